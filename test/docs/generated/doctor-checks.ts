/** The doctor guide's table of checks (docs/doctor.md), from `CHECKS` in report order. */
import type { Check } from "../../../src/doctor/context";
import { CHECKS } from "../../../src/doctor/run";
import { markdownTable } from "./blocks";

/** One row per check; consecutive checks with the same texts (`dns-tagging`, `dns-preview`) share one. */
export function doctorChecksTable(checks: readonly Check[] = CHECKS): string {
  const rows: { names: string[]; passesWhen: string; usualFix: string }[] = [];
  for (const { name, doc } of checks) {
    const last = rows.at(-1);
    if (last && last.passesWhen === doc.passesWhen && last.usualFix === doc.usualFix) last.names.push(name);
    else rows.push({ names: [name], ...doc });
  }
  return markdownTable(
    ["check", "passes when", "the usual fix"],
    rows.map((r) => [r.names.map((n) => `\`${n}\``).join(", "), r.passesWhen, r.usualFix]),
  );
}
