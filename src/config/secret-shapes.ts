/**
 * What a pasted secret looks like, as a whole value (a config value) or inside a longer text (an error
 * message quoting a request). One list for both: the config checks reject such values and never echo
 * them, and the output scrubber (src/errors/scrub.ts) blanks the same shapes in everything the CLI
 * prints on stderr. Digests the kit computes itself (`sha256:<hex>`) are not secrets.
 */

/** Values that are a secret as a whole: a TikTok token (40 hex; any long hex run), a random string, a config. */
const WHOLE_VALUE_SHAPES: readonly RegExp[] = [
  /^[0-9a-f]{32,}$/i,
  /^(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[A-Z])[A-Za-z0-9]{32,}$/,
  /^aWQ9R1RN[A-Za-z0-9+/=]*$/,
  /^id=GTM-[A-Z0-9]+&env=\d+&auth=/,
];

/**
 * Secrets inside a text. Each pattern is global; group 1, when present, is a prefix that stays
 * visible (`Bearer `, `token=`), the rest of the match is the secret.
 */
const EMBEDDED_SHAPES: readonly RegExp[] = [
  // An Authorization header value, whatever the token looks like.
  /(\bBearer\s+)[A-Za-z0-9._~+/-]{8,}=*/gi,
  // key=value / key: value where the key says what it is and the value is long enough to be random.
  /(\b(?:access[_-]?token|token|secret|api[_-]?key|auth|password|client[_-]?secret)\s*[=:]\s*["']?)[A-Za-z0-9._~+/-]{16,}=*/gi,
  // A long hex run on its own (a TikTok token is 40 hex characters); not a `sha256:` digest.
  /(?<![A-Za-z0-9]|sha256:)[0-9a-f]{32,}(?![A-Za-z0-9])/gi,
  // A long random mixed-case alphanumeric run.
  /(?<![A-Za-z0-9])(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[A-Z])[A-Za-z0-9]{32,}(?![A-Za-z0-9])/g,
  // A CONTAINER_CONFIG, base64 or decoded.
  /aWQ9R1RN[A-Za-z0-9+/=]*/g,
  /id=GTM-[A-Z0-9]+&env=\d+&auth=[^\s&"']+/g,
];

/** A value that looks like a pasted secret, as a whole or anywhere inside it. */
export function looksSecret(value: string): boolean {
  const trimmed = value.trim();
  return WHOLE_VALUE_SHAPES.some((shape) => shape.test(trimmed)) || secretSpans(value).length > 0;
}

/** Where secrets sit inside `text`: `[start, end)` of each, the visible prefixes excluded, merged. */
export function secretSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const shape of EMBEDDED_SHAPES) {
    for (const match of text.matchAll(shape)) {
      const start = (match.index ?? 0) + (match[1]?.length ?? 0);
      spans.push([start, (match.index ?? 0) + match[0].length]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  return merged;
}

/** `text` with every secret-looking part replaced by `replacement`. */
export function withoutSecrets(text: string, replacement: string): string {
  let out = "";
  let at = 0;
  for (const [start, end] of secretSpans(text)) {
    out += text.slice(at, start) + replacement;
    at = end;
  }
  return out + text.slice(at);
}
