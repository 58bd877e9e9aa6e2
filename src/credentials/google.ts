/**
 * The one place the kit's Google identity is chosen: the identity Terraform's google provider uses, so
 * every command works wherever the deploy does. `sgtm gtm`, `sgtm plan`, `sgtm bootstrap` and
 * `sgtm doctor` call the Tag Manager API, Secret Manager and Google Cloud's REST APIs as that identity,
 * and every credentials problem ends with the same help text. Key material and tokens are never shown,
 * not even in a parse error.
 */
import { readFileSync } from "node:fs";
import type { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import type { EnvironmentConfig } from "../config/model";
import { UserError } from "../errors/report";
import {
  type ConnectOptions,
  connectGtm,
  isLoopback,
  ROOT_URL_ENV_VAR,
  TAG_MANAGER_LOGIN_COMMAND,
  type TagManagerIdentity,
} from "../gtm/client/connect";
import { deadlinesFromEnvironment } from "../gtm/client/deadline";
import type { GtmApi } from "../gtm/core/api";
import {
  GOOGLE_ACCESS_TOKEN_VARIABLE,
  GOOGLE_CREDENTIAL_ORDER,
  GOOGLE_KEY_VARIABLES,
} from "../naming/variables";

/** Terraform's google provider: `access_token` (this variable) wins over `credentials` (the next ones). */
const ACCESS_TOKEN_VARIABLE = GOOGLE_ACCESS_TOKEN_VARIABLE;
const CREDENTIALS_VARIABLES = GOOGLE_KEY_VARIABLES;

/** How to give the kit an identity: the lines every credentials problem ends with, in every command. */
export const CREDENTIALS_HELP = [
  "The kit runs as the identity Terraform's google provider uses. Give it one of:",
  `  ${TAG_MANAGER_LOGIN_COMMAND}`,
  "      # your user account, with the Tag Manager scopes the kit needs",
  "  export GOOGLE_APPLICATION_CREDENTIALS=/path/to/service-account-key.json   # in CI: workload identity federation, see docs/ci.md",
  `  export ${ACCESS_TOKEN_VARIABLE}="$(gcloud auth application-default print-access-token)"   # after the login above: short-lived, with the Tag Manager scopes; Terraform reads it too`,
  `It looks, in this order, at ${GOOGLE_CREDENTIAL_ORDER}; $${CREDENTIALS_VARIABLES[0]} and the next two take a key as JSON or a path.`,
  "In GTM the identity must be a user of the container.",
  "Then run the command again (for bootstrap: the deploy).",
];

/** Where the credentials come from, in the google provider's precedence. */
export type GoogleCredentialSource =
  | { readonly kind: "access-token"; readonly variable: string; readonly token: string }
  | { readonly kind: "key"; readonly variable: string; readonly key: Record<string, unknown> }
  | { readonly kind: "key-file"; readonly variable: string; readonly path: string }
  /** Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC file, the metadata server. */
  | { readonly kind: "adc" };

export function googleCredentialSource(vars: NodeJS.ProcessEnv): GoogleCredentialSource {
  const token = vars[ACCESS_TOKEN_VARIABLE]?.trim();
  if (token) return { kind: "access-token", variable: ACCESS_TOKEN_VARIABLE, token };
  for (const variable of CREDENTIALS_VARIABLES) {
    const value = vars[variable]?.trim();
    if (!value) continue;
    if (!value.startsWith("{")) return { kind: "key-file", variable, path: value };
    try {
      return { kind: "key", variable, key: JSON.parse(value) as Record<string, unknown> };
    } catch {
      // JSON.parse quotes the input in its message: never show it, it holds a private key.
      throw new UserError(
        [`${variable} is not valid JSON (the value is not shown).`, ...CREDENTIALS_HELP].join("\n"),
      );
    }
  }
  return { kind: "adc" };
}

function describeSource(source: GoogleCredentialSource): string {
  switch (source.kind) {
    case "access-token":
      return `the access token in ${source.variable}`;
    case "key":
      return `the key in ${source.variable}`;
    case "key-file":
      return `the key file ${source.path} (from ${source.variable})`;
    case "adc":
      return "Application Default Credentials";
  }
}

/** The source with its key file read: what both clients are built from. */
export function loadIdentity(source: GoogleCredentialSource): TagManagerIdentity {
  switch (source.kind) {
    case "access-token":
      return { kind: "access-token", token: source.token };
    case "key":
      return { kind: "key", key: source.key };
    case "key-file": {
      // Read it here: google-auth-library would otherwise quote a broken file in its parse error.
      let text: string;
      try {
        text = readFileSync(source.path, "utf8");
      } catch (error) {
        throw new UserError(
          [
            `${source.variable} names ${source.path}, which cannot be read (${(error as Error).message}).`,
            ...CREDENTIALS_HELP,
          ].join("\n"),
        );
      }
      try {
        return { kind: "key", key: JSON.parse(text) as Record<string, unknown> };
      } catch {
        throw new UserError(
          [`${source.path} (from ${source.variable}) is not a JSON key file.`, ...CREDENTIALS_HELP].join(
            "\n",
          ),
        );
      }
    }
    case "adc":
      return { kind: "adc" };
  }
}

type SecretManagerClientOptions = NonNullable<ConstructorParameters<typeof SecretManagerServiceClient>[0]>;

/** Client options that make the Secret Manager client authenticate as `source`. */
export async function secretManagerClientOptions(
  source: GoogleCredentialSource,
): Promise<SecretManagerClientOptions> {
  const identity = loadIdentity(source);
  switch (identity.kind) {
    case "access-token": {
      // A bare token (no refresh token, no expiry): sent as is; Google refuses it once it expires.
      const { OAuth2Client } = await import("google-auth-library");
      const authClient = new OAuth2Client();
      authClient.setCredentials({ access_token: identity.token });
      return { authClient };
    }
    case "key":
      return { credentials: identity.key };
    case "adc":
      return {};
  }
}

/** What connecting needs of the client: its auth (to resolve credentials) and its gRPC stub. */
export interface ConnectableClient {
  readonly auth: { getClient(): Promise<unknown> };
  initialize(): Promise<unknown>;
}

/**
 * Resolves the credentials and creates the client's stub before any call. The client's methods run
 * `initialize().catch((err) => { throw err; })`, so a credentials failure inside a call escapes as an
 * unhandled rejection (a stack trace) besides rejecting the call: resolve them here, where it is caught
 * and explained.
 */
export async function connectSecretManager(
  client: ConnectableClient,
  source: GoogleCredentialSource,
): Promise<void> {
  try {
    await client.auth.getClient();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const problem =
      source.kind === "adc" && /Could not load the default credentials/.test(message)
        ? "no Google credentials for Secret Manager: none of the places below holds any (no variable is set, there is no `gcloud auth application-default login`, and this is not a Google Cloud machine)."
        : `could not load Google credentials from ${describeSource(source)}: ${error instanceof SyntaxError ? "not valid JSON" : message}`;
    throw new UserError([problem, ...CREDENTIALS_HELP].join("\n"));
  }
  // Credentials resolved, so this can only fail on something unexpected (reported as such by the CLI).
  await client.initialize();
}

/**
 * How `vars` reach the Tag Manager API: `SGTM_GTM_ROOT_URL` when set (a loopback one, the local fake,
 * gets no credentials), billed to the environment's project, as the deploy's identity.
 */
export function tagManagerConnection(
  env: EnvironmentConfig,
  vars: NodeJS.ProcessEnv,
): Pick<ConnectOptions, "rootUrl" | "quotaProject" | "identity" | "deadlines"> {
  const rootUrl = vars[ROOT_URL_ENV_VAR];
  return {
    rootUrl,
    quotaProject: env.gcp.project,
    identity: isLoopback(rootUrl) ? undefined : loadIdentity(googleCredentialSource(vars)),
    deadlines: deadlinesFromEnvironment(vars),
  };
}

/**
 * The Tag Manager API as the deploy's identity, so bootstrap and the GTM step of one `cdktf deploy`
 * run as the same identity. Missing credentials become the help text (exit 1, no stack trace).
 */
export async function connectTagManager(
  env: EnvironmentConfig,
  vars: NodeJS.ProcessEnv,
  onWait?: ConnectOptions["onWait"],
): Promise<GtmApi> {
  const connection = tagManagerConnection(env, vars);
  try {
    // Every wait is shown, on any root: a local server with a quota of its own waits as Google's does.
    return await connectGtm({ ...connection, onWait });
  } catch (error) {
    if (/Could not load the default credentials/.test((error as Error)?.message ?? "")) {
      throw new UserError(
        [
          `no Google credentials for the Tag Manager API (for the local fake, set ${ROOT_URL_ENV_VAR} instead).`,
          ...CREDENTIALS_HELP,
        ].join("\n"),
      );
    }
    throw error;
  }
}

const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

/** google-auth-library's client for Google Cloud's REST APIs as the identity `vars` select, billing `project`. */
export async function googleCloudClient(vars: NodeJS.ProcessEnv, project: string) {
  const options = await secretManagerClientOptions(googleCredentialSource(vars));
  const { GoogleAuth } = await import("google-auth-library");
  const auth = new GoogleAuth({
    scopes: [CLOUD_PLATFORM_SCOPE],
    ...(options.authClient ? { authClient: options.authClient } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const client = await auth.getClient();
  client.quotaProjectId = project;
  return client;
}
