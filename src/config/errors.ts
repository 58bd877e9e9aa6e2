/**
 * Config errors: every problem names the file, the position, the key path, the value, what is allowed
 * and the fix. Format: `file:line:col key.path: what is wrong (got X; allowed: ...). Fix: ...`.
 */
import { looksSecret } from "./secret-shapes";

export interface ConfigProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Dotted key path, e.g. `tiktok.events.purchase.currency`; empty for the file as a whole. */
  readonly path: string;
  readonly message: string;
  readonly got?: string;
  readonly allowed?: string;
  readonly fix?: string;
  /**
   * `warning`: reported, but the environment still loads (`sgtm validate` prints it, exit 0). Absent: an
   * error, and nothing is synthesized or sent.
   */
  readonly severity?: "warning";
}

/** A problem before it is placed in a file: what a check knows (the caller knows which file supplied it). */
export type ProblemDetails = Omit<ConfigProblem, "file" | "line" | "col" | "path">;

export function formatProblem(p: ConfigProblem): string {
  const where = `${p.file}:${p.line}:${p.col}`;
  const key = p.path ? ` ${p.path}:` : "";
  const details = [p.got !== undefined ? `got ${p.got}` : "", p.allowed ? `allowed: ${p.allowed}` : ""]
    .filter(Boolean)
    .join("; ");
  const fix = p.fix ? ` Fix: ${p.fix}` : "";
  const label = p.severity === "warning" ? "warning: " : "";
  return `${label}${where}${key} ${p.message}${details ? ` (${details})` : ""}.${fix}`;
}

/** Thrown by the loader with every problem found; the CLI prints them and exits 1, never a stack trace. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ConfigError";
  }
}

/** Secret-looking values: the shapes live in secret-shapes.ts, shared with the output scrubber. */
export { looksSecret };

export function redacted(value: string): string {
  return `${value.slice(0, 4)}… (${value.length} chars, not shown)`;
}

/** Renders a value for `got ...`: short, quoted, never a secret-looking string. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") {
    if (looksSecret(value)) return redacted(value);
    const shown = value.length > 48 ? `${value.slice(0, 12)}…(${value.length} chars)` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === "object") return Array.isArray(value) ? "a list" : "a mapping";
  return String(value);
}

/** Levenshtein distance, for did-you-mean suggestions. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  const prefixed = candidates.filter((c) => lower.length >= 3 && c.toLowerCase().startsWith(lower));
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(input.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(input.length / 3)) ? best : undefined;
}
