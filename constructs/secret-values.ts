/**
 * How secret values get into Secret Manager: out of band, never through Terraform (a `secret_data`
 * lands in state and in the synthesized JSON). Pure, so the CLI can share it without loading cdktf.
 */

/** The shell command that adds `$variable` as a new version of `secretId` (the value never hits argv). */
export function addSecretVersionCommand(secretId: string, project: string, variable: string): string {
  return `printf %s "$${variable}" | gcloud secrets versions add ${secretId} --project ${project} --data-file=-`;
}

/** Environment variables the commands read from; `sgtm bootstrap` reads the container config too. */
export const SECRET_VALUE_VARIABLES = {
  containerConfig: "SGTM_CONTAINER_CONFIG",
  tiktokAccessToken: "SGTM_TIKTOK_ACCESS_TOKEN",
} as const;
