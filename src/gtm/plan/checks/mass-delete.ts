/**
 * A plan that deletes more than half of the entities the kit manages in the container (or all of
 * them), as an emptied event map does: apply refuses it without an explicit `--allow-mass-delete`
 * (octoDNS's safety threshold). A warning here, a refusal in apply (`refusalsOf`).
 */
import { OWNED_KINDS } from "../../core/kinds";
import { isOwnedBy } from "../../core/ownership";
import { actualEntities } from "../actual";
import type { PlanCheck } from "./check";

export const massDelete: PlanCheck = ({ desired, actual, changes }) => {
  const byKind = actualEntities(actual);
  const owned = OWNED_KINDS.reduce(
    (sum, kind) => sum + byKind[kind].filter((e) => isOwnedBy(e, desired.stack)).length,
    0,
  );
  const deletes = changes.filter((c) => c.action === "delete").length;
  if (deletes === 0 || deletes * 2 <= owned) return [];
  return [{ severity: "warning", code: "mass-delete", stack: desired.stack, deletes, owned }];
};
