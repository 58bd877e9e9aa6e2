/**
 * A digest of what an environment's synth is made from: its resolved config, files and defaults
 * applied. The stack records it (stacks/environment-stack.ts) and `sgtm plan` compares it with the
 * config it loads, so a synth older than the config is refused instead of shown as the change.
 * Where the files are is left out: the same config read through another folder path is the same.
 */
import { createHash } from "node:crypto";
import type { EnvironmentConfig } from "./model";

export function configDigest(env: EnvironmentConfig): string {
  const { sourceFiles: _where, ...config } = env;
  return `sha256:${createHash("sha256").update(stableJson(config)).digest("hex")}`;
}

/** JSON with object keys sorted at every level; `undefined` members left out, as JSON does. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => stableJson(v ?? null)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
