/**
 * Commands the deploy needs around secrets: `sgtm bootstrap` (run by Terraform before the Cloud Run
 * services, see constructs/container-config-bootstrap.ts; the steps are in bootstrap.ts) and
 * `sgtm secrets`. Values are never printed, logged or passed on a command line.
 */
import type { Command } from "commander";
import type { EnvironmentConfig } from "../config/model";
import { stackTokenVariable } from "../gtm/client/access-token";
import { TAG_MANAGER_LOGIN_COMMAND } from "../gtm/client/connect";
import type { GtmApi } from "../gtm/core/api";
import { addSecretVersionCommand, readSecretCommand } from "../naming/secret-commands";
import { containerConfigVariable } from "../naming/variables";
import {
  bootstrap,
  containerConfigFromEnvironment,
  PASTE_HINT,
  type SecretVersionStore,
  WHERE_CONTAINER_CONFIG,
  WHERE_TIKTOK_TOKEN,
} from "./bootstrap";
import { loadOne } from "./config-commands";
import {
  connectSecretManager,
  googleCredentialSource,
  secretManagerClientOptions,
} from "./google-credentials";
import { connectForEnvironment } from "./gtm-connect";

export interface InfraCommandDeps {
  readonly env: NodeJS.ProcessEnv;
  /** Connects to Secret Manager with the credentials `vars` select; throws a UserError when it cannot. */
  readonly store: (vars: NodeJS.ProcessEnv) => Promise<SecretVersionStore>;
  /** Connects to the Tag Manager API as the same identity (`SGTM_GTM_ROOT_URL`: another server). */
  readonly gtm: (env: EnvironmentConfig, vars: NodeJS.ProcessEnv) => Promise<GtmApi>;
  /** stdout */
  readonly write: (text: string) => void;
  /** stderr: notes and instructions */
  readonly warn: (text: string) => void;
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

const DEFAULT_DEPS: InfraCommandDeps = {
  env: process.env,
  store: secretManagerStore,
  gtm: connectForEnvironment,
  write: (text) => process.stdout.write(text),
  warn: (text) => process.stderr.write(text),
};

export function registerInfraCommands(program: Command, deps: InfraCommandDeps = DEFAULT_DEPS): void {
  program
    .command("bootstrap")
    .description(
      `before the first deploy's services (run by the deploy, safe to re-run): the container config from GTM (or $SGTM_CONTAINER_CONFIG_<STACK>) into its secret when it changed, https://<domain> in the container's server URLs, the first TikTok token from $SGTM_TIKTOK_ACCESS_TOKEN_<STACK>`,
    )
    .requiredOption("--env <stack>", "environment, <client>-<env>")
    .action(async (opts: { env: string }) => {
      const env = loadOne(program, opts.env);
      // Refuse the generic variable before connecting to anything.
      containerConfigFromEnvironment(env, deps.env);
      const store = await deps.store(deps.env);
      await bootstrap({
        env,
        vars: deps.env,
        store,
        connectGtm: () => deps.gtm(env, deps.env),
        report: (line) => deps.write(`${line}\n`),
        note: deps.warn,
      });
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
  const { containerConfig, tiktokAccessToken } = env.secrets;
  const configVariable = containerConfigVariable(env.stackName);
  const tokenVariable = stackTokenVariable(env.stackName);
  return [
    `Secret values for ${env.stackName}: never in config files, never on a command line.`,
    `Each \`${readSecretCommand("...")}\` waits for you to ${PASTE_HINT}.`,
    "",
    "# First deploy. Log in with the Tag Manager scopes: the deploy's bootstrap step reads the container",
    `# config of container ${env.gtm.containerId} from GTM into ${containerConfig}.`,
    TAG_MANAGER_LOGIN_COMMAND,
    `# TikTok Events API access token, from ${WHERE_TIKTOK_TOKEN}:`,
    `# bootstrap adds it to ${tiktokAccessToken} (only ${tokenVariable} is read for ${env.stackName}).`,
    `${readSecretCommand(tokenVariable)} && export ${tokenVariable}`,
    `npx cdktf deploy ${env.stackName}`,
    "",
    `# Without Tag Manager access: before the deploy, the container config from ${WHERE_CONTAINER_CONFIG}`,
    `${readSecretCommand(configVariable)} && export ${configVariable}`,
    "",
    "# Later: read the container config from GTM again (a version is added only when it changed)",
    `npx sgtm bootstrap --env ${env.stackName}`,
    "# or add new values by hand (each after its `read` above):",
    addSecretVersionCommand(containerConfig, project, configVariable),
    addSecretVersionCommand(tiktokAccessToken, project, tokenVariable),
    "",
  ].join("\n");
}
