/**
 * Commands the deploy needs around secrets: `sgtm bootstrap` (run by Terraform before the Cloud Run
 * services, see constructs/container-config-bootstrap.ts; the steps are in src/bootstrap) and
 * `sgtm secrets`. Values are never printed, logged or passed on a command line.
 */
import type { Command } from "commander";
import { bootstrap } from "../bootstrap/bootstrap";
import { secretInstructions } from "../bootstrap/instructions";
import { type SecretVersionStore, secretManagerStore } from "../bootstrap/secret-store";
import type { EnvironmentConfig } from "../config/model";
import type { GtmApi } from "../gtm/core/api";
import { loadOne } from "./config-commands";
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
      await bootstrap({
        env,
        vars: deps.env,
        connectStore: () => deps.store(deps.env),
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
