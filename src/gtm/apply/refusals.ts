/**
 * When apply must not go ahead, decided before any write: foreign changes in the kit's workspace, a
 * plan with errors, a token that is needed but missing, a reviewed plan the container no longer matches.
 */
import type { EnvironmentConfig } from "../../config/model";
import { type SecretValue, stackTokenVariable } from "../client/access-token";
import { canonicalJson } from "../core/normalize";
import type { Plan, ReviewedPlan } from "../plan/types";
import { problemMessage } from "../render/wording";
import { ApplyRefused } from "./apply-refused";
import type { PlanRun } from "./plan-run";

export { ApplyRefused };

export function refuseUnsafe(run: PlanRun, env: EnvironmentConfig, token: SecretValue | undefined): void {
  const workspace = env.gtm.workspace;
  if (run.refusals.length > 0) {
    // A container never versioned: GTM put them there, and they are nobody's unfinished work.
    const step =
      run.read.latest === undefined
        ? "The container has never been versioned, and GTM puts these into every new workspace: publish the container's first version from its Default Workspace in GTM (Submit), then run again."
        : "Finish or discard them in the GTM UI (or move them to another workspace), then run again.";
    throw new ApplyRefused(
      `workspace "${workspace}" holds changes the kit did not make, which a version would publish:\n  - ${run.refusals.join("\n  - ")}\n${step}`,
    );
  }
  if (run.plan.errors.length > 0) {
    throw new ApplyRefused(`the plan has errors:\n  - ${run.plan.errors.map(problemMessage).join("\n  - ")}`);
  }
  const writesToken = run.plan.changes.some(
    (c) => c.kind === "variable" && c.name === run.plan.token.variable && c.action !== "delete",
  );
  if (writesToken && !token) {
    throw new ApplyRefused(
      `the TikTok access token is needed to write "${run.plan.token.variable}": grant this identity access to secret ${env.secrets.tiktokAccessToken} or set ${stackTokenVariable(env.stackName)}`,
    );
  }
}

/** A plan deleting most of the kit's entities needs `--allow-mass-delete` (the plan's mass-delete warning). */
export function refuseMassDelete(plan: Plan, allowed: boolean): void {
  const problem = plan.warnings.find((p) => p.code === "mass-delete");
  if (problem && !allowed) throw new ApplyRefused(problemMessage(problem));
}

/** `file`: where the reviewed plan came from; none when it is the plan apply showed just before. */
export function checkReviewedPlan(reviewed: ReviewedPlan, fresh: ReviewedPlan, file?: string): void {
  if (reviewed.environment.stack !== fresh.environment.stack) {
    throw new ApplyRefused(
      `the plan file is for ${reviewed.environment.stack}, not ${fresh.environment.stack}`,
    );
  }
  if (reviewed.basis !== fresh.basis || !sameChanges(reviewed, fresh)) {
    throw new ApplyRefused(
      file === undefined
        ? "the container changed since the plan shown above was read (or the config did): nothing was written; run apply again and review the new plan"
        : `the container changed since the reviewed plan ${file} was made (or the config did): run plan again, review it, then apply the new plan file`,
    );
  }
}

export function sameChanges(a: ReviewedPlan, b: ReviewedPlan): boolean {
  // Key order must not matter: a reviewed plan comes back from its file (`renderJson` sorts keys).
  const key = (p: ReviewedPlan) =>
    canonicalJson([
      p.template.action,
      p.builtIns,
      p.changes.map((c) => [c.action, c.kind, c.name, "body" in c ? c.body : null]),
    ]);
  return key(a) === key(b);
}
