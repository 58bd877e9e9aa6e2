/**
 * The one place where secrets are taken out of what the process prints. Code paths do not scrub their
 * own messages (a new one would forget): the CLI routes stdout and stderr through `scrubOutput`, so an
 * API error quoting a request body, a library's message or a stack trace is cleaned on its way out.
 *
 * - Known values: every secret the process holds registers itself (`SecretValue` does, in its
 *   constructor, and the token's raw form where it entered); they are blanked on stdout and stderr,
 *   raw, JSON-escaped and URL-encoded, and so is any run of `MIN_FRAGMENT_LENGTH` or more characters
 *   of them (an API error quoting a truncated body, a log cutting a value short).
 * - Shapes: on stderr, where errors go, anything that looks like a secret (config/secret-shapes.ts:
 *   long hex or random runs, `Bearer ...`, `token=...`, container configs) is blanked too. stdout is
 *   left to known values: it carries plans and JSON whose digests and template shas must stay intact.
 */
import { withoutSecrets } from "../config/secret-shapes";

export const SCRUBBED_TEXT = "(sensitive)";

/** Shorter values are not registered: blanking them would mangle ordinary words. */
const MIN_SECRET_LENGTH = 8;

/**
 * A piece of a secret this long is blanked wherever it appears: long enough that ordinary words do not
 * match by chance, short enough that a quoted fragment of a token is no longer useful to anyone.
 */
const MIN_FRAGMENT_LENGTH = 12;

const known = new Set<string>();
/**
 * Every `MIN_FRAGMENT_LENGTH`-character piece of every form of every registered secret that holds a
 * letter and a digit: a random token's pieces all but always do, while a piece made of words (the
 * "tiktok-token" of a made-up demo value) would blank secret names and file names everywhere.
 */
const fragments = new Set<string>();
const RANDOM_LOOKING = /^(?=.*\d)(?=.*[A-Za-z])/;

/** Registers a secret the process holds, so no output ever shows it, whole or in part. */
export function registerSecret(value: string): void {
  if (value.length < MIN_SECRET_LENGTH) return;
  for (const form of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) {
    known.add(form);
    for (let i = 0; i + MIN_FRAGMENT_LENGTH <= form.length; i++) {
      const fragment = form.slice(i, i + MIN_FRAGMENT_LENGTH);
      if (RANDOM_LOOKING.test(fragment)) fragments.add(fragment);
    }
  }
}

/** `text` without any registered secret; with `shapes`, without anything that looks like one either. */
export function scrub(text: string, options: { readonly shapes?: boolean } = {}): string {
  let out = text;
  // Longest first, so a value that contains another is blanked whole.
  for (const value of [...known].sort((a, b) => b.length - a.length)) {
    if (out.includes(value)) out = out.split(value).join(SCRUBBED_TEXT);
  }
  out = withoutFragments(out);
  return options.shapes ? withoutSecrets(out, SCRUBBED_TEXT) : out;
}

/** Blanks every run of text made of overlapping registered fragments. */
function withoutFragments(text: string): string {
  if (fragments.size === 0) return text;
  const spans: [number, number][] = [];
  for (let i = 0; i + MIN_FRAGMENT_LENGTH <= text.length; i++) {
    if (!fragments.has(text.slice(i, i + MIN_FRAGMENT_LENGTH))) continue;
    const last = spans.at(-1);
    if (last && i <= last[1]) last[1] = i + MIN_FRAGMENT_LENGTH;
    else spans.push([i, i + MIN_FRAGMENT_LENGTH]);
  }
  if (spans.length === 0) return text;
  let out = "";
  let from = 0;
  for (const [start, end] of spans) {
    out += text.slice(from, start) + SCRUBBED_TEXT;
    from = end;
  }
  return out + text.slice(from);
}

type Write = NodeJS.WriteStream["write"];

/**
 * Routes `stdout` and `stderr` writes through `scrub` (shapes on stderr only) until the returned
 * function is called. Wraps whatever `write` is installed, so it composes with test capture.
 */
export function scrubOutput(
  streams: { readonly stdout: NodeJS.WriteStream; readonly stderr: NodeJS.WriteStream } = process,
): () => void {
  const restore = [wrap(streams.stdout, false), wrap(streams.stderr, true)];
  return () => {
    for (const undo of restore) undo();
  };
}

function wrap(stream: NodeJS.WriteStream, shapes: boolean): () => void {
  const original = stream.write;
  const scrubbed = function (this: unknown, chunk: unknown, ...rest: unknown[]) {
    const text =
      typeof chunk === "string"
        ? chunk
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk).toString("utf8")
          : undefined;
    const out = text === undefined ? chunk : scrub(text, { shapes });
    return (original as (...args: unknown[]) => boolean).call(stream, out, ...rest);
  } as Write;
  stream.write = scrubbed;
  return () => {
    if (stream.write === scrubbed) stream.write = original;
  };
}
