/**
 * The real reads behind the prerequisite checks, as the identity every kit command runs as
 * (src/credentials: Terraform's google provider's), billed to the sandbox project: Cloud Billing,
 * Service Usage, Resource Manager's `testIamPermissions`, Cloud Storage, Cloud DNS, Secret Manager
 * and the Tag Manager API. Plain REST through one injected request, as doctor's readers are; the roots
 * can point at local stand-ins.
 */
import type { EnvironmentConfig } from "../config/model";
import { googleCloudClient, googleCredentialSource, tagManagerConnection } from "../credentials/google";
import { RemoteCallError } from "../doctor/errors";
import { authorizedRequest, type GoogleRequest, googleCloudReaders } from "../doctor/google-cloud";
import { connectGtmReads } from "../doctor/gtm-reads";
import type { SecretValue } from "../gtm/client/access-token";
import type { PrerequisiteReads } from "./prerequisites";

export interface PrerequisiteRoots {
  readonly billing: string;
  readonly serviceUsage: string;
  readonly resourceManager: string;
  readonly storage: string;
  readonly dns: string;
  readonly secretManager: string;
}

export const PREREQUISITE_ROOTS: PrerequisiteRoots = {
  billing: "https://cloudbilling.googleapis.com/",
  serviceUsage: "https://serviceusage.googleapis.com/",
  resourceManager: "https://cloudresourcemanager.googleapis.com/",
  storage: "https://storage.googleapis.com/",
  dns: "https://dns.googleapis.com/",
  secretManager: "https://secretmanager.googleapis.com/",
};

type Json = Record<string, unknown>;

/**
 * The reads over `request`; `identity` says who the calls run as once a token can be had, and
 * `containerUsage` reads the container through the kit's Tag Manager connection.
 */
export function prerequisiteReads(
  request: GoogleRequest,
  more: Pick<PrerequisiteReads, "identity" | "containerUsage">,
  roots: PrerequisiteRoots = PREREQUISITE_ROOTS,
): PrerequisiteReads {
  const call = async (root: string, path: string, post?: { body: unknown }): Promise<Json> => {
    const { status, data } = await request(new URL(path, root).toString(), post);
    if (status < 200 || status >= 300) {
      const error = (data as { error?: { message?: unknown } } | undefined)?.error;
      throw new RemoteCallError(
        typeof error?.message === "string" ? error.message : `HTTP ${status}`,
        "http",
        status,
      );
    }
    return typeof data === "object" && data !== null ? (data as Json) : {};
  };
  const project = (id: string) => `projects/${encodeURIComponent(id)}`;
  const { secrets } = googleCloudReaders((url) => request(url), {
    compute: roots.secretManager,
    certificateManager: roots.secretManager,
    secretManager: roots.secretManager,
  });
  return {
    ...more,
    async billingEnabled(id) {
      return (await call(roots.billing, `v1/${project(id)}/billingInfo`)).billingEnabled === true;
    },
    async serviceState(id, service) {
      const data = await call(
        roots.serviceUsage,
        `v1/${project(id)}/services/${encodeURIComponent(service)}`,
      );
      return typeof data.state === "string" ? data.state : "STATE_UNSPECIFIED";
    },
    async grantedPermissions(id, permissions) {
      const data = await call(roots.resourceManager, `v1/${project(id)}:testIamPermissions`, {
        body: { permissions },
      });
      return Array.isArray(data.permissions)
        ? data.permissions.filter((p): p is string => typeof p === "string")
        : [];
    },
    async bucketExists(bucket) {
      await call(roots.storage, `storage/v1/b/${encodeURIComponent(bucket)}`);
    },
    async dnsZoneName(id, zone) {
      const data = await call(roots.dns, `dns/v1/${project(id)}/managedZones/${encodeURIComponent(zone)}`);
      return typeof data.dnsName === "string" ? data.dnsName : "";
    },
    secretHasVersion: (id, secretId) => secrets.hasEnabledVersion(id, secretId),
  };
}

/** The real reads, as the identity `vars` select, billed to the environment's project. */
export function realPrerequisiteReads(env: EnvironmentConfig, vars: NodeJS.ProcessEnv): PrerequisiteReads {
  const client = () => googleCloudClient(vars, env.gcp.project);
  return prerequisiteReads(authorizedRequest(client), {
    async identity() {
      const source = googleCredentialSource(vars);
      const token = await (await client()).getAccessToken();
      if (!token.token) throw new Error("no access token was issued");
      return source.kind === "adc"
        ? "Application Default Credentials"
        : `the credentials in $${source.variable}`;
    },
    async containerUsage(path) {
      const gtm = await connectGtmReads(tagManagerConnection(env, vars));
      return (await gtm.getContainer(path)).usageContext ?? [];
    },
  });
}

/** The TikTok token from a secret of the sandbox project (`--token-secret`), as the same identity. */
export async function tokenFromSecret(
  env: EnvironmentConfig,
  vars: NodeJS.ProcessEnv,
  secretId: string,
): Promise<SecretValue | undefined> {
  const { secrets } = googleCloudReaders(authorizedRequest(() => googleCloudClient(vars, env.gcp.project)));
  return secrets.latestValue(env.gcp.project, secretId);
}
