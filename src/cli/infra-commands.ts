/**
 * Commands the deploy needs around secrets: `sgtm bootstrap` (run by Terraform before the Cloud Run
 * services, see constructs/container-config-bootstrap.ts) and `sgtm secrets`. Values are never printed,
 * logged or passed on a command line.
 */
import type { Command } from "commander";
import { addSecretVersionCommand, SECRET_VALUE_VARIABLES } from "../../constructs/secret-values";
import type { EnvironmentConfig } from "../config/model";
import { loadOne } from "./config-commands";
import { UserError } from "./run";

/** The two Secret Manager calls bootstrap makes; the real one is the Secret Manager client. */
export interface SecretVersionStore {
  /** Whether `secret` (`projects/<p>/secrets/<id>`) has an enabled version. */
  hasEnabledVersion(secret: string): Promise<boolean>;
  addVersion(secret: string, data: Buffer): Promise<void>;
}

export interface InfraCommandDeps {
  readonly env: NodeJS.ProcessEnv;
  readonly store: () => Promise<SecretVersionStore>;
  readonly write: (text: string) => void;
}

const WHERE_CONTAINER_CONFIG =
  "Tag Manager > your server container > Admin > Container Settings > Container Config " +
  '(the "Manually provision tagging server" value)';
const WHERE_TIKTOK_TOKEN =
  "TikTok Events Manager > your pixel > Settings > Events API > Generate Access Token";

export type BootstrapOutcome = "added" | "existing";

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
  const trimmed = value?.trim();
  try {
    if (trimmed) {
      checkContainerConfig(trimmed);
      await store.addVersion(secret, Buffer.from(trimmed, "utf8"));
      return "added";
    }
    if (await store.hasEnabledVersion(secret)) return "existing";
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`Secret Manager refused ${secret}: ${describeApiError(error)}`);
  }
  const variable = SECRET_VALUE_VARIABLES.containerConfig;
  throw new UserError(
    [
      `the container-config secret ${env.secrets.containerConfig} (project ${env.gcp.project}) has no version, and ${variable} is not set.`,
      `Copy the value from ${WHERE_CONTAINER_CONFIG}, then either:`,
      `  export ${variable}='<paste>' and run the deploy again, or`,
      `  ${addSecretVersionCommand(env.secrets.containerConfig, env.gcp.project, variable)}`,
    ].join("\n"),
  );
}

/** The container config is base64 of `id=GTM-XXXX&env=N&auth=...`; refuse anything else before storing it. */
function checkContainerConfig(value: string): void {
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, "base64").toString("utf8") : "";
  if (!/^id=GTM-[A-Z0-9]+&env=\d+&auth=\S+$/.test(decoded)) {
    throw new UserError(
      `${SECRET_VALUE_VARIABLES.containerConfig} is not a container config (expected the base64 string from ` +
        `${WHERE_CONTAINER_CONFIG}; the value is not shown)`,
    );
  }
}

function describeApiError(error: unknown): string {
  const { code, details, message } = (error ?? {}) as { code?: number; details?: string; message?: string };
  if (code === 5) return "the secret does not exist (deploy the stack first: `npx cdktf deploy <stack>`)";
  if (code === 7)
    return "permission denied (the deploying identity needs Secret Manager admin on the project)";
  return details || message || String(error);
}

/** The real store, loaded on demand (the client pulls in gRPC; other commands should not pay for it). */
export async function secretManagerStore(): Promise<SecretVersionStore> {
  const { SecretManagerServiceClient } = await import("@google-cloud/secret-manager");
  const client = new SecretManagerServiceClient();
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
      `make sure the container-config secret has a version (from $${SECRET_VALUE_VARIABLES.containerConfig} or an existing one); run by the deploy`,
    )
    .requiredOption("--env <stack>", "environment, <client>-<env>")
    .action(async (opts: { env: string }) => {
      const env = loadOne(program, opts.env);
      const outcome = await bootstrapContainerConfig(
        env,
        deps.env[SECRET_VALUE_VARIABLES.containerConfig],
        await deps.store(),
      );
      deps.write(
        outcome === "added"
          ? `added a version of ${env.secrets.containerConfig} from $${SECRET_VALUE_VARIABLES.containerConfig}\n`
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
  const entries = [
    {
      what: "sGTM container config",
      where: WHERE_CONTAINER_CONFIG,
      id: env.secrets.containerConfig,
      variable: SECRET_VALUE_VARIABLES.containerConfig,
    },
    {
      what: "TikTok Events API access token",
      where: WHERE_TIKTOK_TOKEN,
      id: env.secrets.tiktokAccessToken,
      variable: SECRET_VALUE_VARIABLES.tiktokAccessToken,
    },
  ];
  const lines = [`Secret values for ${env.stackName} (never put them in config files):`];
  for (const e of entries) {
    lines.push(
      "",
      `# ${e.what}: copy it from ${e.where}`,
      `read -rs ${e.variable} && export ${e.variable}`,
      addSecretVersionCommand(e.id, project, e.variable),
    );
  }
  return `${lines.join("\n")}\n`;
}
