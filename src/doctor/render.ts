/** The report: one line per check (its fix indented below), or `{"checks":[...]}` for `--json`. */
import pc from "picocolors";
import type { CheckResult, CheckStatus } from "./types";

const LABEL: Record<CheckStatus, (text: string) => string> = {
  pass: pc.green,
  fail: pc.red,
  skip: pc.yellow,
};
const INDENT = "      ";

export function renderText(stack: string, results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = [`sgtm doctor ${stack}`];
  // A long fix several checks share (the credentials help) is printed once, then referred to.
  const shownBy = new Map<string, string>();
  for (const result of results) {
    lines.push(
      `${LABEL[result.status](result.status.padEnd(4))}  ${result.name.padEnd(width)}  ${result.detail}`,
    );
    if (result.status !== "pass" && result.fix) {
      const label = result.status === "fail" ? "fix" : "to run it";
      const [first, ...rest] = result.fix.split("\n");
      const earlier = rest.length > 0 ? shownBy.get(result.fix) : undefined;
      if (earlier !== undefined) {
        lines.push(`${INDENT}${label}: as for ${earlier} above`);
        continue;
      }
      if (rest.length > 0) shownBy.set(result.fix, result.name);
      lines.push(`${INDENT}${label}: ${first}`);
      for (const line of rest) lines.push(`${INDENT}  ${line}`);
    }
  }
  const count = (status: CheckStatus) => results.filter((r) => r.status === status).length;
  lines.push(`${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped`);
  return `${lines.join("\n")}\n`;
}

export function renderJson(results: readonly CheckResult[]): string {
  const checks = results.map(({ name, status, detail, fix }) => ({ name, status, detail, fix }));
  return `${JSON.stringify({ checks }, null, 2)}\n`;
}
