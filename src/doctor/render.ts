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
  for (const result of results) {
    lines.push(
      `${LABEL[result.status](result.status.padEnd(4))}  ${result.name.padEnd(width)}  ${result.detail}`,
    );
    if (result.status !== "pass" && result.fix) {
      const [first, ...rest] = result.fix.split("\n");
      lines.push(`${INDENT}${result.status === "fail" ? "fix" : "to run it"}: ${first}`);
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
