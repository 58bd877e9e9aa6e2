/**
 * A desired name that a hand-made entity already has: never silently taken over. The differ leaves
 * such an entity alone; this says why and how to adopt it. Another environment's entities are the
 * shared-container check's.
 */
import { OWNED_KINDS } from "../../core/kinds";
import { isOwnedBy, ownerOf } from "../../core/ownership";
import { actualEntities } from "../actual";
import type { PlanProblem } from "../problems";
import type { PlanCheck } from "./check";

export const nameClash: PlanCheck = ({ desired, actual }) => {
  const actualByKind = actualEntities(actual);
  const problems: PlanProblem[] = [];
  for (const kind of OWNED_KINDS) {
    const actualByName = new Map(actualByKind[kind].map((e) => [e.name ?? "", e] as const));
    const wanted = { variable: desired.variables, trigger: desired.triggers, tag: desired.tags }[kind];
    for (const { name } of wanted) {
      const existing = actualByName.get(name);
      if (existing === undefined || isOwnedBy(existing, desired.stack)) continue;
      if (ownerOf(existing.notes) !== undefined) continue; // another environment's: shared-container
      problems.push({ severity: "error", code: "name-clash", kind, name, stack: desired.stack });
    }
  }
  return problems;
};
