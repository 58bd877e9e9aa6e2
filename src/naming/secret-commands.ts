/**
 * How secret values get into Secret Manager: out of band, never through Terraform (a `secret_data`
 * lands in state and in the synthesized JSON). Pure, so the CDKTF constructs (the `secret_commands`
 * output) and the CLI (`sgtm secrets`, `sgtm bootstrap`) print the same commands.
 */

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
