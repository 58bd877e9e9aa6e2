/**
 * What a review never prints: values under secret-named keys, values shaped like a pasted token or
 * container config (the same shapes config validation rejects), and such words inside free text such as
 * `cdktf diff` output. Secret values are not in the synth to begin with (Secret Manager versions are
 * added outside Terraform); this is the second line of defence.
 */
import { looksSecret } from "../config/errors";
import { withoutSecrets } from "../config/secret-shapes";
import { SENSITIVE_TEXT } from "../gtm/core/sensitive";

export { SENSITIVE_TEXT };

/** Attribute names whose values are secrets whatever they look like (Terraform's google provider names). */
const SECRET_KEY =
  /^(secret_data|secret_string|password|private_key|access_token|client_secret|api_key|credentials|token|auth)$|password|private_key|secret_data/i;

/** Names of environment variables (`{ name, value }` entries) whose value is a secret. */
const SECRET_NAME = /token|secret|password|passwd|private|credential|api_?key|auth/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function looksLikeSecret(value: string): boolean {
  return looksSecret(value);
}

/** Free text with every secret-looking part replaced, by the same spans the CLI's output scrubber finds. */
export function redactText(text: string): string {
  return withoutSecrets(text, SENSITIVE_TEXT);
}
