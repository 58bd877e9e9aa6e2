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
