/**
 * The TikTok access token, read at apply time and held only in memory: never printed, never written to
 * disk, never in a plan. `SGTM_TIKTOK_ACCESS_TOKEN_<STACK>` (then the generic `SGTM_TIKTOK_ACCESS_TOKEN`)
 * overrides Secret Manager for local runs and tests. Wherever it enters the kit (a variable, a secret
 * version, bootstrap) it passes `acceptedToken`: what is written and sent is the token alone.
 */
import type { EnvironmentConfig } from "../../config/model";
import { UserError } from "../../errors/report";
import { registerSecret } from "../../errors/scrub";
import { addSecretVersionCommand, readSecretCommand } from "../../naming/secret-commands";
import { stackVariable, TIKTOK_ACCESS_TOKEN_VARIABLE } from "../../naming/variables";
import { sha256 } from "../core/sensitive";
import { isLoopback, ROOT_URL_ENV_VAR } from "./connect";

/**
 * `SGTM_TIKTOK_ACCESS_TOKEN_<STACK>` (stack upper-cased, other characters `_`): preferred over the
 * generic variable, which a shell working on several clients could apply to the wrong pixel.
 */
export function stackTokenVariable(stackName: string): string {
  return stackVariable(TIKTOK_ACCESS_TOKEN_VARIABLE, stackName);
}

/**
 * Wraps the value so an accidental `console.log`/JSON of the object shows nothing, and registers it
 * with the output scrubber, so a message quoting it (an API error echoing a request body) shows
 * nothing either.
 */
export class SecretValue {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
    registerSecret(value);
  }
  reveal(): string {
    return this.#value;
  }
  /** SHA-256 hex: how plans compare the token without holding it. */
  hash(): string {
    return sha256(this.#value);
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

/**
 * The token as it entered (`raw`), as the kit holds it: surrounding whitespace (a newline from `echo`
 * or a paste) and a `Bearer ` prefix removed, since the Events API takes the token alone in its
 * `Access-Token` header (and fetch would trim a header anyway, so a token held with its newline is not
 * the one sent). Whitespace left inside is refused: a token pasted across lines, or two values in one.
 * Undefined when nothing is left. `source` and `fix` word the refusal; the value is never shown, and
 * the raw form is registered with the scrubber too.
 */
export function acceptedToken(raw: string, source: string, fix: string): string | undefined {
  registerSecret(raw);
  const bare = raw
    .trim()
    .replace(/^bearer\s+/i, "")
    .trim();
  if (bare === "") return undefined;
  if (/[\s\p{Cc}]/u.test(bare)) {
    throw new UserError(
      `${source} holds a line break, a space or another control character inside the token (the value is not shown): a TikTok access token is a single word. ${fix}`,
    );
  }
  return bare;
}

/** How to set `variable` again, the token alone. */
function setVariableAgain(variable: string): string {
  return `Set it again with the token alone: ${readSecretCommand(variable)} && export ${variable}`;
}

/** Where an environment override came from, so the CLI can say which variable it used. */
export interface TokenOverride {
  readonly token: SecretValue;
  readonly variable: string;
}

/**
 * The variables the token is read from, in order: the stack's own, then the generic one. The generic
 * variable is the same for every environment: only against the local fake (a loopback root) may it
 * stand in, never in a deploy, where it would write one client's token into another's.
 */
export function tokenVariables(stackName: string, variables: NodeJS.ProcessEnv = process.env): string[] {
  const generic = isLoopback(variables[ROOT_URL_ENV_VAR]) ? [TIKTOK_ACCESS_TOKEN_VARIABLE] : [];
  return [stackTokenVariable(stackName), ...generic];
}

/**
 * Every place apply looks for the token, in its order: the variables, then (except against the local
 * fake, where nothing is read from Google) the environment's secret. What a missing token names.
 */
export function tokenSources(env: EnvironmentConfig, variables: NodeJS.ProcessEnv = process.env): string[] {
  const secret = isLoopback(variables[ROOT_URL_ENV_VAR])
    ? []
    : [`secret ${env.secrets.tiktokAccessToken} (project ${env.gcp.project})`];
  return [...tokenVariables(env.stackName, variables).map((v) => `$${v}`), ...secret];
}

/** Environment override only (plan without Secret Manager access: the token is then "not compared"). */
export function tokenOverride(
  stackName: string,
  variables: NodeJS.ProcessEnv = process.env,
): TokenOverride | undefined {
  for (const variable of tokenVariables(stackName, variables)) {
    const raw = variables[variable];
    const value = raw && acceptedToken(raw, `$${variable}`, setVariableAgain(variable));
    if (value) return { token: new SecretValue(value), variable };
  }
  return undefined;
}

export function tokenFromEnvironment(
  stackName: string,
  variables: NodeJS.ProcessEnv = process.env,
): SecretValue | undefined {
  return tokenOverride(stackName, variables)?.token;
}

/**
 * The latest version of the environment's token secret (callers check `tokenOverride` first). The
 * Secret Manager client is loaded lazily: plans against an export or the fake never pay for it.
 */
export async function tokenFromSecretManager(env: EnvironmentConfig): Promise<SecretValue | undefined> {
  const { SecretManagerServiceClient } = await import("@google-cloud/secret-manager");
  const client = new SecretManagerServiceClient();
  try {
    const name = `projects/${env.gcp.project}/secrets/${env.secrets.tiktokAccessToken}/versions/latest`;
    const [version] = await client.accessSecretVersion({ name });
    const data = version.payload?.data;
    const raw = typeof data === "string" ? data : data ? Buffer.from(data).toString("utf8") : "";
    const value = acceptedToken(
      raw,
      `the latest version of secret ${env.secrets.tiktokAccessToken}`,
      secretFix(env),
    );
    return value ? new SecretValue(value) : undefined;
  } finally {
    await client.close();
  }
}

/** How to replace the secret's latest version with the token alone. */
export function secretFix(env: EnvironmentConfig): string {
  const variable = stackTokenVariable(env.stackName);
  return `Add a version holding the token alone: ${readSecretCommand(variable)} && ${addSecretVersionCommand(env.secrets.tiktokAccessToken, env.gcp.project, variable)}`;
}
