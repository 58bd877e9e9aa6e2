/**
 * The Secret Manager calls bootstrap makes, behind a small interface: the real one is the Secret Manager
 * client, as the identity Terraform's google provider uses; tests pass one in memory. A refused call
 * becomes a UserError that says why (never the secret's value).
 */
import type { EnvironmentConfig } from "../config/model";
import {
  CREDENTIALS_HELP,
  connectSecretManager,
  googleCredentialSource,
  secretManagerClientOptions,
} from "../credentials/google";
import { UserError } from "../errors/report";

export interface SecretVersionStore {
  /** Whether `secret` (`projects/<p>/secrets/<id>`) has an enabled version. */
  hasEnabledVersion(secret: string): Promise<boolean>;
  /**
   * The data of `versions/latest` (the most recently added version, what Cloud Run reads), or undefined
   * when the secret has no enabled version or its latest one is disabled.
   */
  latestData(secret: string): Promise<Buffer | undefined>;
  addVersion(secret: string, data: Buffer): Promise<void>;
}

export function secretPath(env: EnvironmentConfig, id: string): string {
  return `projects/${env.gcp.project}/secrets/${id}`;
}

/** The real store, loaded on demand (the client pulls in gRPC; other commands should not pay for it). */
export async function secretManagerStore(vars: NodeJS.ProcessEnv): Promise<SecretVersionStore> {
  const source = googleCredentialSource(vars);
  const options = await secretManagerClientOptions(source);
  const { SecretManagerServiceClient } = await import("@google-cloud/secret-manager");
  const client = new SecretManagerServiceClient(options);
  await connectSecretManager(client, source);
  const hasEnabledVersion = async (secret: string) => {
    const [versions] = await client.listSecretVersions(
      { parent: secret, filter: "state:ENABLED", pageSize: 1 },
      { autoPaginate: false },
    );
    return versions.length > 0;
  };
  return {
    hasEnabledVersion,
    async latestData(secret) {
      // `latest` is the most recently added version whatever its state: without an enabled version
      // there is nothing to read, and a disabled latest answers FAILED_PRECONDITION.
      if (!(await hasEnabledVersion(secret))) return undefined;
      try {
        const [version] = await client.accessSecretVersion({ name: `${secret}/versions/latest` });
        const data = version.payload?.data;
        return data === undefined || data === null ? undefined : Buffer.from(data);
      } catch (error) {
        if ((error as { code?: unknown }).code === 9) return undefined;
        throw error;
      }
    },
    async addVersion(secret, data) {
      await client.addSecretVersion({ parent: secret, payload: { data } });
    },
  };
}

/** `store` with every call's failure turned into an explained UserError naming the secret. */
export function explainedSecretStore(store: SecretVersionStore): SecretVersionStore {
  return {
    hasEnabledVersion: (secret) => secretManager(secret, () => store.hasEnabledVersion(secret)),
    latestData: (secret) => secretManager(secret, () => store.latestData(secret)),
    addVersion: (secret, data) => secretManager(secret, () => store.addVersion(secret, data)),
  };
}

/** Runs one Secret Manager call, turning its failure into an explained UserError. */
async function secretManager<T>(secret: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`Secret Manager refused ${secret}: ${describeSecretManagerError(error)}`);
  }
}

function describeSecretManagerError(error: unknown): string {
  const { code, details, message } = (error ?? {}) as { code?: number; details?: string; message?: string };
  const text = details || message || String(error);
  if (code === 5) return "the secret does not exist (deploy the stack first: `npx cdktf deploy <stack>`)";
  if (code === 7)
    return "permission denied (the deploying identity needs Secret Manager admin on the project)";
  // An expired or revoked login or token: gRPC reports the failed token refresh as UNAUTHENTICATED.
  if (code === 16 || /invalid_grant|invalid_rapt|Getting metadata from plugin failed/.test(text)) {
    return [`the credentials were refused (${text}).`, ...CREDENTIALS_HELP].join("\n");
  }
  return text;
}
