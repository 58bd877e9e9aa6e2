/**
 * Commands the deploy needs around secrets: `sgtm bootstrap` (run by Terraform before the Cloud Run
 * services, see constructs/container-config-bootstrap.ts) and `sgtm secrets`. Values are never printed,
 * logged or passed on a command line.
 */
import { readFileSync } from "node:fs";
import type { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import type { Command } from "commander";
import type { EnvironmentConfig } from "../config/model";
import { UserError } from "../errors/report";
import { addSecretVersionCommand, readSecretCommand } from "../naming/secret-commands";
import {
  containerConfigVariable,
  GENERIC_CONTAINER_CONFIG_VARIABLE,
  TIKTOK_ACCESS_TOKEN_VARIABLE,
} from "../naming/variables";
import { loadOne } from "./config-commands";

/** The two Secret Manager calls bootstrap makes; the real one is the Secret Manager client. */
export interface SecretVersionStore {
  /** Whether `secret` (`projects/<p>/secrets/<id>`) has an enabled version. */
  hasEnabledVersion(secret: string): Promise<boolean>;
  addVersion(secret: string, data: Buffer): Promise<void>;
}

export interface InfraCommandDeps {
  readonly env: NodeJS.ProcessEnv;
  /** Connects to Secret Manager with the credentials `vars` select; throws a UserError when it cannot. */
  readonly store: (vars: NodeJS.ProcessEnv) => Promise<SecretVersionStore>;
  readonly write: (text: string) => void;
}

const WHERE_CONTAINER_CONFIG =
  "Tag Manager > your server container > Admin > Container Settings > Container Config " +
  '(the "Manually provision tagging server" value)';
const WHERE_TIKTOK_TOKEN =
  "TikTok Events Manager > your pixel > Settings > Events API > Generate Access Token";
const PASTE_HINT = "paste the value, then Enter: nothing is echoed and it stays out of shell history";

export type BootstrapOutcome = "added" | "existing";

/**
 * The container config bootstrap should store for `env`: `SGTM_CONTAINER_CONFIG_<STACK>` (trimmed and
 * checked), or undefined when it is not set. Refuses when only the generic `SGTM_CONTAINER_CONFIG` is
 * set: one value for every environment would land in whichever stack is deployed first from that shell.
 */
export function containerConfigFromEnvironment(
  env: EnvironmentConfig,
  vars: NodeJS.ProcessEnv,
): string | undefined {
  const variable = containerConfigVariable(env.stackName);
  const value = vars[variable]?.trim();
  if (value) {
    checkContainerConfig(value, variable);
    return value;
  }
  if (vars[GENERIC_CONTAINER_CONFIG_VARIABLE]?.trim()) {
    throw new UserError(
      [
        `${GENERIC_CONTAINER_CONFIG_VARIABLE} is set, but bootstrap reads ${variable} for ${env.stackName}.`,
        `The generic variable is the same for every environment: a later first deploy of another stack from this shell would store this value in that stack's secret. Move the value to ${variable} (the value is not shown):`,
        `  unset ${GENERIC_CONTAINER_CONFIG_VARIABLE}`,
        `  ${readSecretCommand(variable)} && export ${variable}   # ${PASTE_HINT}`,
        `then run the deploy again (\`npx cdktf deploy ${env.stackName}\`).`,
      ].join("\n"),
    );
  }
  return undefined;
}

/**
 * Makes sure the container-config secret has a version: adds `value` when given (explicit intent wins),
 * else accepts an existing enabled version, else fails with the exact steps.
 */
export async function bootstrapContainerConfig(
  env: EnvironmentConfig,
  value: string | undefined,
  store: SecretVersionStore,
): Promise<BootstrapOutcome> {
  const secret = `projects/${env.gcp.project}/secrets/${env.secrets.containerConfig}`;
  const variable = containerConfigVariable(env.stackName);
  const trimmed = value?.trim();
  try {
    if (trimmed) {
      checkContainerConfig(trimmed, variable);
      await store.addVersion(secret, Buffer.from(trimmed, "utf8"));
      return "added";
    }
    if (await store.hasEnabledVersion(secret)) return "existing";
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`Secret Manager refused ${secret}: ${describeApiError(error)}`);
  }
  throw new UserError(
    [
      `the container-config secret ${env.secrets.containerConfig} (project ${env.gcp.project}) has no version, and ${variable} is not set.`,
      `Copy the value from ${WHERE_CONTAINER_CONFIG}, then:`,
      `  ${readSecretCommand(variable)} && export ${variable}   # ${PASTE_HINT}`,
      `and run the deploy again (\`npx cdktf deploy ${env.stackName}\`), or add the version yourself:`,
      `  ${addSecretVersionCommand(env.secrets.containerConfig, env.gcp.project, variable)}`,
    ].join("\n"),
  );
}

/** The container config is base64 of `id=GTM-XXXX&env=N&auth=...`; refuse anything else before storing it. */
function checkContainerConfig(value: string, variable: string): void {
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, "base64").toString("utf8") : "";
  if (!/^id=GTM-[A-Z0-9]+&env=\d+&auth=\S+$/.test(decoded)) {
    throw new UserError(
      `${variable} is not a container config (expected the base64 string from ` +
        `${WHERE_CONTAINER_CONFIG}; the value is not shown)`,
    );
  }
}

function describeApiError(error: unknown): string {
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

// ---------------------------------------------------------------------------------------------------
// Credentials: the identity Terraform's google provider uses, so bootstrap (run by Terraform) works
// wherever the deploy does.

/** Terraform's google provider: `access_token` (this variable) wins over `credentials` (the next ones). */
const ACCESS_TOKEN_VARIABLE = "GOOGLE_OAUTH_ACCESS_TOKEN";
/** The provider's `credentials` variables, in its order: a service account key, as JSON or a file path. */
const CREDENTIALS_VARIABLES = ["GOOGLE_CREDENTIALS", "GOOGLE_CLOUD_KEYFILE_JSON", "GCLOUD_KEYFILE_JSON"];

const CREDENTIALS_HELP = [
  "Bootstrap uses the identity Terraform's google provider uses. Give it one of:",
  "  gcloud auth application-default login                               # your user account",
  "  export GOOGLE_APPLICATION_CREDENTIALS=/path/to/service-account-key.json",
  `  export ${ACCESS_TOKEN_VARIABLE}="$(gcloud auth print-access-token)"   # short-lived; Terraform reads it too`,
  `(${CREDENTIALS_VARIABLES[0]}, a key as JSON or a path, works as well), then run the deploy again.`,
];

/** Where the Secret Manager client's credentials come from, in the google provider's precedence. */
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

type SecretManagerClientOptions = NonNullable<ConstructorParameters<typeof SecretManagerServiceClient>[0]>;

/** Client options that make the Secret Manager client authenticate as `source`. */
export async function secretManagerClientOptions(
  source: GoogleCredentialSource,
): Promise<SecretManagerClientOptions> {
  switch (source.kind) {
    case "access-token": {
      // A bare token (no refresh token, no expiry): sent as is; Google refuses it once it expires.
      const { OAuth2Client } = await import("google-auth-library");
      const authClient = new OAuth2Client();
      authClient.setCredentials({ access_token: source.token });
      return { authClient };
    }
    case "key":
      return { credentials: source.key };
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
        return { credentials: JSON.parse(text) as Record<string, unknown> };
      } catch {
        throw new UserError(
          [`${source.path} (from ${source.variable}) is not a JSON key file.`, ...CREDENTIALS_HELP].join(
            "\n",
          ),
        );
      }
    }
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
        ? `no Google credentials for Secret Manager: none of ${ACCESS_TOKEN_VARIABLE}, ${CREDENTIALS_VARIABLES[0]} or GOOGLE_APPLICATION_CREDENTIALS is set, there is no \`gcloud auth application-default login\`, and this is not a Google Cloud machine.`
        : `could not load Google credentials from ${describeSource(source)}: ${error instanceof SyntaxError ? "not valid JSON" : message}`;
    throw new UserError([problem, ...CREDENTIALS_HELP].join("\n"));
  }
  // Credentials resolved, so this can only fail on something unexpected (reported as such by the CLI).
  await client.initialize();
}

/** The real store, loaded on demand (the client pulls in gRPC; other commands should not pay for it). */
export async function secretManagerStore(vars: NodeJS.ProcessEnv): Promise<SecretVersionStore> {
  const source = googleCredentialSource(vars);
  const options = await secretManagerClientOptions(source);
  const { SecretManagerServiceClient } = await import("@google-cloud/secret-manager");
  const client = new SecretManagerServiceClient(options);
  await connectSecretManager(client, source);
  return {
    async hasEnabledVersion(secret) {
      const [versions] = await client.listSecretVersions(
        { parent: secret, filter: "state:ENABLED", pageSize: 1 },
        { autoPaginate: false },
      );
      return versions.length > 0;
    },
    async addVersion(secret, data) {
      await client.addSecretVersion({ parent: secret, payload: { data } });
    },
  };
}

const DEFAULT_DEPS: InfraCommandDeps = {
  env: process.env,
  store: secretManagerStore,
  write: (text) => process.stdout.write(text),
};

export function registerInfraCommands(program: Command, deps: InfraCommandDeps = DEFAULT_DEPS): void {
  program
    .command("bootstrap")
    .description(
      `make sure the container-config secret has a version (from $${GENERIC_CONTAINER_CONFIG_VARIABLE}_<STACK>, e.g. ${containerConfigVariable("acme-staging")}, or an existing one); run by the deploy`,
    )
    .requiredOption("--env <stack>", "environment, <client>-<env>")
    .action(async (opts: { env: string }) => {
      const env = loadOne(program, opts.env);
      const value = containerConfigFromEnvironment(env, deps.env);
      const outcome = await bootstrapContainerConfig(env, value, await deps.store(deps.env));
      deps.write(
        outcome === "added"
          ? `added a version of ${env.secrets.containerConfig} from $${containerConfigVariable(env.stackName)}\n`
          : `${env.secrets.containerConfig} already has a version\n`,
      );
    });

  program
    .command("secrets")
    .description("print the commands that add the secret values of an environment")
    .requiredOption("--env <stack>", "environment, <client>-<env>")
    .action((opts: { env: string }) => {
      deps.write(secretInstructions(loadOne(program, opts.env)));
    });
}

export function secretInstructions(env: EnvironmentConfig): string {
  const { project } = env.gcp;
  const containerConfig = containerConfigVariable(env.stackName);
  const token = TIKTOK_ACCESS_TOKEN_VARIABLE;
  return [
    `Secret values for ${env.stackName}: never in config files, never on a command line.`,
    `Each \`${readSecretCommand("...")}\` waits for you to ${PASTE_HINT}.`,
    "",
    `# sGTM container config: copy it from ${WHERE_CONTAINER_CONFIG}`,
    `${readSecretCommand(containerConfig)} && export ${containerConfig}`,
    `# first deploy: the deploy's bootstrap step adds it (only ${containerConfig} is read for ${env.stackName})`,
    `npx cdktf deploy ${env.stackName}`,
    "# a new value once the secret exists (after the `read` above):",
    addSecretVersionCommand(env.secrets.containerConfig, project, containerConfig),
    "",
    `# TikTok Events API access token (after the first deploy, which creates the secret): copy it from ${WHERE_TIKTOK_TOKEN}`,
    `${readSecretCommand(token)} && ${addSecretVersionCommand(env.secrets.tiktokAccessToken, project, token)}`,
    "",
  ].join("\n");
}
