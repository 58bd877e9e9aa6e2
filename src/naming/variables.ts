/**
 * Environment variables that carry secret values into the kit's commands. Each secret has one variable
 * per stack (`<PREFIX>_<STACK>`, the stack upper-cased with every other character `_`), so a value
 * exported for one client's environment never reaches another's.
 */

/** The generic container-config variable: refused by bootstrap (see `containerConfigVariable`). */
export const GENERIC_CONTAINER_CONFIG_VARIABLE = "SGTM_CONTAINER_CONFIG";

/** The generic TikTok token variable: accepted after the stack's own, with a note naming it. */
export const TIKTOK_ACCESS_TOKEN_VARIABLE = "SGTM_TIKTOK_ACCESS_TOKEN";

export function stackVariable(prefix: string, stackName: string): string {
  return `${prefix}_${stackName.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
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

/** Terraform's google provider's `access_token` variable: a bare token, read before any key. */
export const GOOGLE_ACCESS_TOKEN_VARIABLE = "GOOGLE_OAUTH_ACCESS_TOKEN";
/** The provider's `credentials` variables, in its order: a service account key, as JSON or a file path. */
export const GOOGLE_KEY_VARIABLES = [
  "GOOGLE_CREDENTIALS",
  "GOOGLE_CLOUD_KEYFILE_JSON",
  "GCLOUD_KEYFILE_JSON",
] as const;

/**
 * Every place a Google identity is found, in the order the kit (as the provider) looks: what a message
 * about missing or broken credentials names, so any of them can be the fix.
 */
export const GOOGLE_CREDENTIAL_ORDER = `$${GOOGLE_ACCESS_TOKEN_VARIABLE}, ${GOOGLE_KEY_VARIABLES.map((v) => `$${v}`).join(", ")}, then Application Default Credentials ($GOOGLE_APPLICATION_CREDENTIALS, gcloud's application-default login, the service account of a Google Cloud machine)`;
