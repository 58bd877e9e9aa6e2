/**
 * What `cdktf diff <stack>` (Terraform's plan, streamed) says in its summary line. Terraform prints
 * `Plan: [N to import, ]N to add, N to change, N to destroy.`, `No changes.` or, when only outputs
 * change, `Changes to Outputs:` without a plan line.
 */

export interface TerraformPlanSummary {
  readonly hasChanges: boolean;
  readonly import: number;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
}

const PLAN_LINE = /Plan: (?:(\d+) to import, )?(\d+) to add, (\d+) to change, (\d+) to destroy/;

/** The summary, or undefined when the output has none (the diff did not get to a plan). */
export function readTerraformPlan(output: string): TerraformPlanSummary | undefined {
  const text = withoutAnsi(output);
  const plan = PLAN_LINE.exec(text);
  if (plan) {
    const [imported, add, change, destroy] = plan.slice(1).map((n) => Number(n ?? 0));
    return { hasChanges: imported + add + change + destroy > 0, import: imported, add, change, destroy };
  }
  const none = { import: 0, add: 0, change: 0, destroy: 0 };
  if (/Changes to Outputs:/.test(text)) return { hasChanges: true, ...none };
  if (/No changes\./.test(text)) return { hasChanges: false, ...none };
  return undefined;
}

export function withoutAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "");
}
