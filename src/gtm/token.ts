/**
 * The TikTok access token, read at apply time and held only in memory: never printed, never written to
 * disk, never in a plan. `SGTM_TIKTOK_ACCESS_TOKEN` overrides Secret Manager for local runs and tests.
 */
import { createHash } from "node:crypto";
import type { EnvironmentConfig } from "../config/model";

export const TOKEN_ENV_VAR = "SGTM_TIKTOK_ACCESS_TOKEN";

/** Wraps the value so an accidental `console.log`/JSON of the object shows nothing. */
export class SecretValue {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  /** SHA-256 hex: how plans compare the token without holding it. */
  hash(): string {
    return tokenHash(this.#value);
  }
  toString(): string {
    return "(sensitive)";
  }
  toJSON(): string {
    return "(sensitive)";
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "SecretValue((sensitive))";
  }
}

export function tokenHash(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export type TokenSource = (env: EnvironmentConfig) => Promise<SecretValue | undefined>;

/** Environment override only (plan without Secret Manager access: token is then "not compared"). */
export function tokenFromEnvironment(variables: NodeJS.ProcessEnv = process.env): SecretValue | undefined {
  const value = variables[TOKEN_ENV_VAR];
  return value ? new SecretValue(value) : undefined;
}

/**
 * Environment override, else the latest version of the environment's token secret. The Secret Manager
 * client is loaded lazily: plans against an export or the fake never pay for it.
 */
export const tokenFromSecretManager: TokenSource = async (env) => {
  const fromEnv = tokenFromEnvironment();
  if (fromEnv) return fromEnv;
  const { SecretManagerServiceClient } = await import("@google-cloud/secret-manager");
  const client = new SecretManagerServiceClient();
  try {
    const name = `projects/${env.gcp.project}/secrets/${env.secrets.tiktokAccessToken}/versions/latest`;
    const [version] = await client.accessSecretVersion({ name });
    const data = version.payload?.data;
    const value = typeof data === "string" ? data : data ? Buffer.from(data).toString("utf8") : "";
    return value ? new SecretValue(value) : undefined;
  } finally {
    await client.close();
  }
};
