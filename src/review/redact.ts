/**
 * What a review never prints: values under secret-named keys, values shaped like a pasted token or
 * container config (the same shapes config validation rejects), and such words inside free text such as
 * `cdktf diff` output. Secret values are not in the synth to begin with (Secret Manager versions are
 * added outside Terraform); this is the second line of defence.
 */
import { looksSecret } from "../config/errors";
import { SENSITIVE_TEXT } from "../gtm/sensitive";

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

/**
 * Free text with every secret-looking word replaced. A word is what lies between spaces, quotes and
 * brackets; a word that does not look secret as a whole is checked again in its parts between `=`, `:`,
 * `,` and `&` (so `value=<token>` hides the token, `id=GTM-...&auth=...` goes whole).
 */
export function redactText(text: string): string {
  return text.replace(/[^\s"'`()[\]{}<>]+/g, (word) => {
    // `KEY=<value>`: keep the key readable when only the value is secret.
    const parts = word.replace(/[^=:,&]+=*/g, (part) => (looksSecret(part) ? SENSITIVE_TEXT : part));
    if (parts !== word) return parts;
    return looksSecret(word) ? SENSITIVE_TEXT : word;
  });
}
