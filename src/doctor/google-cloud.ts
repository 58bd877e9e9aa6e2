/**
 * Doctor's reads of Google Cloud, as plain REST GETs: the load balancer address and the certificate
 * (Compute Engine, Certificate Manager), and the secrets (Secret Manager). The GET itself is injected:
 * the CLI's is google-auth-library's authorized request, tests' a plain fetch to a local server.
 */
import { acceptedToken, SecretValue } from "../gtm/client/access-token";
import { firstLine, isCredentialsFailure, RemoteCallError } from "./errors";
import { type CertificateStatus, type CloudReader, REMOTE_TIMEOUT_MS, type SecretReader } from "./types";

/** A GET that resolves with any HTTP status; rejects only when there is no answer. */
export type GoogleGet = (url: string) => Promise<{ readonly status: number; readonly data: unknown }>;

export interface GoogleRoots {
  readonly compute: string;
  readonly certificateManager: string;
  readonly secretManager: string;
}

export const GOOGLE_ROOTS: GoogleRoots = {
  compute: "https://compute.googleapis.com/",
  certificateManager: "https://certificatemanager.googleapis.com/",
  secretManager: "https://secretmanager.googleapis.com/",
};

type Json = Record<string, unknown>;

export function googleCloudReaders(
  get: GoogleGet,
  roots: GoogleRoots = GOOGLE_ROOTS,
): { cloud: CloudReader; secrets: SecretReader } {
  const read = async (root: string, path: string): Promise<Json> => {
    const { status, data } = await get(new URL(path, root).toString());
    if (status < 200 || status >= 300) {
      throw new RemoteCallError(googleMessage(data) ?? `HTTP ${status}`, "http", status);
    }
    return isObject(data) ? data : {};
  };
  const at = (project: string) => `projects/${encodeURIComponent(project)}`;
  const secret = (project: string, secretId: string) =>
    `v1/${at(project)}/secrets/${encodeURIComponent(secretId)}`;
  return {
    cloud: {
      async globalAddress(project, name) {
        const data = await read(
          roots.compute,
          `compute/v1/${at(project)}/global/addresses/${encodeURIComponent(name)}`,
        );
        if (typeof data.address !== "string") {
          throw new RemoteCallError(`global address ${name} has no IP address`, "format");
        }
        return data.address;
      },
      async certificate(project, kind, name) {
        const encoded = encodeURIComponent(name);
        if (kind === "google-managed") {
          const data = await read(
            roots.compute,
            `compute/v1/${at(project)}/global/sslCertificates/${encoded}`,
          );
          return managedStatus(data);
        }
        const data = await read(
          roots.certificateManager,
          `v1/${at(project)}/locations/global/certificates/${encoded}`,
        );
        return certificateManagerStatus(data);
      },
    },
    secrets: {
      async hasEnabledVersion(project, secretId) {
        const data = await read(
          roots.secretManager,
          `${secret(project, secretId)}/versions?filter=${encodeURIComponent("state:ENABLED")}&pageSize=1`,
        );
        return Array.isArray(data.versions) && data.versions.length > 0;
      },
      async membersWithRole(project, secretId, role) {
        const data = await read(roots.secretManager, `${secret(project, secretId)}:getIamPolicy`);
        const bindings = Array.isArray(data.bindings) ? data.bindings.filter(isObject) : [];
        return bindings
          .filter((binding) => binding.role === role && Array.isArray(binding.members))
          .flatMap((binding) =>
            (binding.members as unknown[]).filter((m): m is string => typeof m === "string"),
          );
      },
      async latestValue(project, secretId) {
        // Secret Manager answers 404 for `latest` of a secret without versions.
        const data = await read(
          roots.secretManager,
          `${secret(project, secretId)}/versions/latest:access`,
        ).catch((error: unknown) => {
          if (error instanceof RemoteCallError && error.status === 404) return undefined;
          throw error;
        });
        if (!data) return undefined;
        const payload = isObject(data.payload) ? data.payload.data : undefined;
        const raw = typeof payload === "string" ? Buffer.from(payload, "base64").toString("utf8") : "";
        const value = acceptedToken(
          raw,
          `the latest version of secret ${secretId}`,
          `Add a version holding the token alone (gcloud secrets versions add ${secretId} --project ${project} --data-file=-).`,
        );
        return value ? new SecretValue(value) : undefined;
      },
    },
  };
}

/** Compute's `managed.status` and `managed.domainStatus`. */
function managedStatus(data: Json): CertificateStatus {
  const managed = isObject(data.managed) ? data.managed : {};
  const domains = isObject(managed.domainStatus) ? managed.domainStatus : {};
  return {
    state: typeof managed.status === "string" ? managed.status : `not managed (${String(data.type ?? "?")})`,
    domains: Object.fromEntries(Object.entries(domains).map(([domain, state]) => [domain, String(state)])),
  };
}

/** Certificate Manager's `managed.state`, `provisioningIssue` and `authorizationAttemptInfo`. */
function certificateManagerStatus(data: Json): CertificateStatus {
  const managed = isObject(data.managed) ? data.managed : {};
  const attempts = Array.isArray(managed.authorizationAttemptInfo)
    ? managed.authorizationAttemptInfo.filter(isObject)
    : [];
  const issue = isObject(managed.provisioningIssue) ? managed.provisioningIssue : undefined;
  const explain = (reason: unknown, details: unknown) =>
    [reason, details].filter((part) => typeof part === "string" && part).join(": ");
  return {
    state: typeof managed.state === "string" ? managed.state : "not managed",
    domains: Object.fromEntries(
      attempts.map((attempt) => {
        const why = explain(attempt.failureReason, attempt.details);
        return [String(attempt.domain), `${String(attempt.state)}${why ? ` (${why})` : ""}`];
      }),
    ),
    ...(issue ? { issue: explain(issue.reason, issue.details) } : {}),
  };
}

function googleMessage(data: unknown): string | undefined {
  const error = isObject(data) ? data.error : undefined;
  const message = isObject(error) ? error.message : undefined;
  return typeof message === "string" ? message : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What the requests need of google-auth-library's client (`AuthClient.request`, gaxios underneath). */
export interface AuthorizedClient {
  request(options: {
    url: string;
    method: "GET" | "POST";
    /** A JSON body (POST). */
    data?: unknown;
    timeout: number;
    validateStatus: (status: number) => boolean;
  }): Promise<{ status: number; data: unknown }>;
}

/** A GET, or a POST with a JSON body (`testIamPermissions`), that resolves with any HTTP status. */
export type GoogleRequest = (
  url: string,
  post?: { readonly body: unknown },
) => Promise<{ readonly status: number; readonly data: unknown }>;

/**
 * A `GoogleGet` through an authorized client, resolved on the first call (so a missing login fails the
 * checks that need Google, not doctor). Every status is an answer; failures to get one are
 * `RemoteCallError`s: `credentials` when the client or its token cannot be had.
 */
export function authorizedGet(
  client: () => Promise<AuthorizedClient>,
  timeoutMs = REMOTE_TIMEOUT_MS,
): GoogleGet {
  const request = authorizedRequest(client, timeoutMs);
  return (url) => request(url);
}

/** `authorizedGet`, able to POST a JSON body too (the acceptance run's permission check). */
export function authorizedRequest(
  client: () => Promise<AuthorizedClient>,
  timeoutMs = REMOTE_TIMEOUT_MS,
): GoogleRequest {
  let resolved: Promise<AuthorizedClient> | undefined;
  return async (url, post) => {
    resolved ??= client();
    let authorized: AuthorizedClient;
    try {
      authorized = await resolved;
    } catch (error) {
      throw new RemoteCallError(firstLine(error), "credentials");
    }
    try {
      const { status, data } = await authorized.request({
        url,
        method: post ? "POST" : "GET",
        ...(post ? { data: post.body } : {}),
        timeout: timeoutMs,
        validateStatus: () => true,
      });
      return { status, data };
    } catch (error) {
      throw fromGaxiosError(error);
    }
  };
}

/** A gaxios failure (googleapis clients, google-auth-library) as a `RemoteCallError`. */
export function fromGaxiosError(error: unknown): RemoteCallError {
  if (error instanceof RemoteCallError) return error;
  const e = (error ?? {}) as {
    response?: { status?: unknown; data?: unknown };
    status?: unknown;
    name?: unknown;
  };
  const status =
    typeof e.response?.status === "number"
      ? e.response.status
      : typeof e.status === "number"
        ? e.status
        : undefined;
  const message = googleMessage(e.response?.data) ?? firstLine(error);
  if (status !== undefined) return new RemoteCallError(message, "http", status);
  if (isCredentialsFailure(error)) return new RemoteCallError(message, "credentials");
  const timedOut =
    e.name === "TimeoutError" || e.name === "AbortError" || /timed? ?out|aborted/i.test(message);
  return new RemoteCallError(message, timedOut ? "timeout" : "network");
}
