/** What the check tests share: a hand-built CheckInput around the production environment of fixtures.ts. */
import { desiredContainer } from "../../../src/gtm/model/desired";
import type { DesiredContainer } from "../../../src/gtm/model/types";
import type { ActualWorkspace } from "../../../src/gtm/plan/actual";
import type { CheckInput } from "../../../src/gtm/plan/checks/check";
import type { PlanProblem } from "../../../src/gtm/plan/problems";
import { planTemplate } from "../../../src/gtm/plan/template-choice";
import type { PlanChange } from "../../../src/gtm/plan/types";
import { problemMessage } from "../../../src/gtm/render/wording";
import { emptyWorkspace, loadEnv, PRODUCTION_ENV } from "../fixtures";

export const STACK = "shop-production";

let cached: DesiredContainer | undefined;
/** PRODUCTION_ENV's desired container: events add_to_cart, page_view, purchase; client "GA4". */
export function production(): DesiredContainer {
  cached ??= desiredContainer(loadEnv(PRODUCTION_ENV));
  return cached;
}

/**
 * A check's input: `actual` over an empty workspace of the fixtures' container, the template the plan
 * would pick from it, and the given changes (none unless said).
 */
export function checkInput(
  actual: Partial<ActualWorkspace> = {},
  options: Partial<Omit<CheckInput, "actual">> = {},
): CheckInput {
  const desired = options.desired ?? production();
  const workspace = { ...emptyWorkspace(), ...actual };
  return {
    desired,
    actual: workspace,
    template: options.template ?? planTemplate(desired, workspace),
    changes: options.changes ?? [],
  };
}

/** A planned delete, as the differ lists it (the checks read only action, kind and name). */
export function deletion(kind: PlanChange["kind"], name: string): PlanChange {
  return { action: "delete", kind, name, diff: [] } as PlanChange;
}

/** The message of the only problem found. */
export function onlyMessage(problems: readonly PlanProblem[]): string {
  expect(problems).toHaveLength(1);
  return problems.map(problemMessage).join("");
}
