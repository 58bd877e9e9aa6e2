/**
 * What `cdktf diff <stack>` (Terraform's plan, streamed) says in its summary line. Terraform prints
 * `Plan: [N to import, ]N to add, N to change, N to destroy.`, `No changes.` or, when only outputs
 * change, `Changes to Outputs:` without a plan line. The stack's GTM step is replaced on every plan
 * (docs/adr/0006): that replacement is not an infrastructure change and is left out of the counts; what
 * GTM would change is the GTM section's business.
 */
import { stripVTControlCharacters } from "node:util";

export interface TerraformPlanSummary {
  readonly hasChanges: boolean;
  readonly import: number;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
}

const PLAN_LINE = /Plan: (?:(\d+) to import, )?(\d+) to add, (\d+) to change, (\d+) to destroy/;
/** `# terraform_data.gtm-container_apply_<hash> must be replaced`: the GTM step's every-deploy run. */
const GTM_STEP_REPLACED = /# terraform_data\.gtm-container_apply_[A-Za-z0-9]+ must be replaced/;

/** The summary, or undefined when the output has none (the diff did not get to a plan). */
export function readTerraformPlan(output: string): TerraformPlanSummary | undefined {
  const text = withoutAnsi(output);
  const plan = PLAN_LINE.exec(text);
  if (plan) {
    const counts = plan.slice(1).map((n) => Number(n ?? 0));
    const [imported, added, change, destroyed] = counts;
    const gtmStep = GTM_STEP_REPLACED.test(text) ? 1 : 0;
    const [add, destroy] = [added - gtmStep, destroyed - gtmStep];
    return { hasChanges: imported + add + change + destroy > 0, import: imported, add, change, destroy };
  }
  const none = { import: 0, add: 0, change: 0, destroy: 0 };
  if (/Changes to Outputs:/.test(text)) return { hasChanges: true, ...none };
  if (/No changes\./.test(text)) return { hasChanges: false, ...none };
  return undefined;
}

export function withoutAnsi(text: string): string {
  return stripVTControlCharacters(text);
}
