/**
 * The plan as a JSON document: the contract CI and pull-request tooling read (`formatVersion`), and
 * the file `apply --plan` takes back. Problems carry their code, kind, name and message; the publish
 * block its reason; hidden differences their note.
 */
import type { PlanProblem } from "../plan/problems";
import type { FieldDiff, Plan, PlanChange } from "../plan/types";
import { HIDDEN_DIFFERENCE_NOTE, problemMessage, publishReason } from "./wording";

export interface ProblemDocument {
  readonly code: PlanProblem["code"];
  readonly kind?: string;
  readonly name?: string;
  readonly message: string;
}

export function problemDocument(problem: PlanProblem): ProblemDocument {
  return {
    code: problem.code,
    ...("kind" in problem ? { kind: problem.kind } : {}),
    ...("name" in problem && problem.name !== undefined ? { name: problem.name } : {}),
    message: problemMessage(problem),
  };
}

function diffDocument({ hidden, ...diff }: FieldDiff) {
  return { ...diff, ...(hidden ? { note: HIDDEN_DIFFERENCE_NOTE[hidden] } : {}) };
}

function changeDocument(change: PlanChange) {
  return { ...change, diff: change.diff.map(diffDocument) };
}

export function planDocument(plan: Plan) {
  const { live, ...publish } = plan.publish;
  return {
    ...plan,
    changes: plan.changes.map(changeDocument),
    errors: plan.errors.map(problemDocument),
    warnings: plan.warnings.map(problemDocument),
    publish: { ...publish, reason: publishReason(live) },
  };
}
