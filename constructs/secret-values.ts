/**
 * How secret values get into Secret Manager: out of band, never through Terraform (a `secret_data`
 * lands in state and in the synthesized JSON). Pure, so the CLI can share it without loading cdktf.
 */
import {
  GENERIC_CONTAINER_CONFIG_VARIABLE,
  stackVariable,
  TIKTOK_ACCESS_TOKEN_VARIABLE,
} from "../src/naming/variables";

/** The shell command that adds `$variable` as a new version of `secretId` (the value never hits argv). */
export function addSecretVersionCommand(secretId: string, project: string, variable: string): string {
  return `printf %s "$${variable}" | gcloud secrets versions add ${secretId} --project ${project} --data-file=-`;
}

/**
 * Reads a value into `variable` without echo (`-s`) and without it entering the command line or the
 * shell history: the user pastes the value and presses Enter.
 */
export function readSecretCommand(variable: string): string {
  return `read -rs ${variable}`;
}

/**
 * The variable `sgtm bootstrap --env <stack>` reads the container config from:
 * `SGTM_CONTAINER_CONFIG_<STACK>`, the stack name upper-cased with every other character replaced by
 * `_` (`acme-staging` -> `SGTM_CONTAINER_CONFIG_ACME_STAGING`). One variable per environment, so a value
 * exported for one stack can never end up in another stack's secret.
 */
export function containerConfigVariable(stackName: string): string {
  return stackVariable(GENERIC_CONTAINER_CONFIG_VARIABLE, stackName);
}

export { GENERIC_CONTAINER_CONFIG_VARIABLE, TIKTOK_ACCESS_TOKEN_VARIABLE };
