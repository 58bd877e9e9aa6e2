/**
 * The one place where secrets are taken out of what the process prints. Code paths do not scrub their
 * own messages (a new one would forget): the CLI routes stdout and stderr through `scrubOutput`, so an
 * API error quoting a request body, a library's message or a stack trace is cleaned on its way out.
 *
 * - Known values: every secret the process holds registers itself (`SecretValue` does, in its
 *   constructor); they are blanked on stdout and stderr, raw, JSON-escaped and URL-encoded.
 * - Shapes: on stderr, where errors go, anything that looks like a secret (config/secret-shapes.ts:
 *   long hex or random runs, `Bearer ...`, `token=...`, container configs) is blanked too. stdout is
 *   left to known values: it carries plans and JSON whose digests and template shas must stay intact.
 */
import { withoutSecrets } from "../config/secret-shapes";

export const SCRUBBED_TEXT = "(sensitive)";

/** Shorter values are not registered: blanking them would mangle ordinary words. */
const MIN_SECRET_LENGTH = 8;

const known = new Set<string>();

/** Registers a secret the process holds, so no output ever shows it. */
export function registerSecret(value: string): void {
  if (value.length < MIN_SECRET_LENGTH) return;
  for (const form of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) known.add(form);
}

/** `text` without any registered secret; with `shapes`, without anything that looks like one either. */
export function scrub(text: string, options: { readonly shapes?: boolean } = {}): string {
  let out = text;
  // Longest first, so a value that contains another is blanked whole.
  for (const value of [...known].sort((a, b) => b.length - a.length)) {
    if (out.includes(value)) out = out.split(value).join(SCRUBBED_TEXT);
  }
  return options.shapes ? withoutSecrets(out, SCRUBBED_TEXT) : out;
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
