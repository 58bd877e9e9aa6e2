/**
 * The plan: what apply would change in the kit's workspace, computed from the desired container and
 * the workspace as read (raw API shapes, or a UI export). Pure: the I/O shell reads, this decides.
 * template -> differ (`differ.ts`) -> checks (`checks/`, one file each) -> publish comparison -> basis.
 *
 * - Only owned entities (ownership marker in `notes`) are created, updated or deleted; a hand-made
 *   entity with a clashing name is an error, never silently taken over.
 * - Updates are full-replace PUTs guarded by the fingerprint read here, so the change carries both.
 * - The access token is compared by SHA-256 when its hash is given, never shown, never in a body.
 * - `basis` digests what the plan was computed from, so apply can refuse a workspace that moved.
 *
 * The JSON shape of a plan (`render/document.ts`) is a contract (CI and pull-request comments read
 * it): change it only with a new `formatVersion`.
 */

import { normalizeBuiltInType } from "../core/normalize";
import type { DesiredContainer } from "../model/types";
import type { ActualWorkspace } from "./actual";
import { computeBasis } from "./basis";
import { PLAN_CHECKS, RETIREMENT_CHECKS } from "./checks";
import { diffWorkspace } from "./differ";
import { compareLiveVersion } from "./publish";
import { isTagTypeUnknown, planTemplate } from "./template-choice";
import { type ChangeAction, PLAN_FORMAT_VERSION, type Plan, type PlanOptions } from "./types";

export function plan(desired: DesiredContainer, actual: ActualWorkspace, opts: PlanOptions = {}): Plan {
  const template = planTemplate(desired, actual);
  const { changes, tokenStatus } = diffWorkspace(
    desired,
    actual,
    template.tagType,
    isTagTypeUnknown(template),
    opts.tokenHash,
  );
  const checks = desired.retiring ? RETIREMENT_CHECKS : PLAN_CHECKS;
  const problems = checks.flatMap((check) => check({ desired, actual, template, changes }));
  const errors = problems.filter((p) => p.severity === "error");
  const warnings = problems.filter((p) => p.severity === "warning");

  const enabled = new Set(actual.builtInVariables.map((b) => normalizeBuiltInType(b.type)));
  const builtIns = desired.builtIns.filter((type) => !enabled.has(type));
  const count = (action: ChangeAction) => changes.filter((c) => c.action === action).length;
  const live = compareLiveVersion(desired, actual.containerId, actual.liveVersion, opts.tokenHash);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    environment: desired.environment,
    template,
    builtIns,
    token: { variable: desired.tokenVariableName, status: tokenStatus },
    changes,
    errors,
    warnings,
    publish: {
      liveDiffers: live.status !== "matches",
      live,
      byDefault: desired.environment.publishByDefault,
    },
    basis: computeBasis(actual, desired.tokenVariableName),
    summary: {
      create: count("create"),
      update: count("update"),
      delete: count("delete"),
      errors: errors.length,
      warnings: warnings.length,
    },
    hasChanges: changes.length > 0 || template.action === "import" || builtIns.length > 0,
  };
}
