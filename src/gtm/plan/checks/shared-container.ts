/**
 * Entities the kit manages for another environment: two environments on one container (validate
 * rejects that configuration), or an environment renamed. One error for all of them, instead of a
 * name clash per entity and their tags taken for hand-made ones.
 */
import { OWNED_KINDS } from "../../core/kinds";
import { compareText } from "../../core/normalize";
import { ownerOf } from "../../core/ownership";
import { actualEntities } from "../actual";
import type { PlanCheck } from "./check";

export const sharedContainer: PlanCheck = ({ desired, actual }) => {
  const byKind = actualEntities(actual);
  const owners = OWNED_KINDS.flatMap((kind) => byKind[kind].map((e) => ownerOf(e.notes))).filter(
    (owner): owner is string => owner !== undefined && owner !== desired.stack,
  );
  if (owners.length === 0) return [];
  return [
    {
      severity: "error",
      code: "shared-container",
      stack: desired.stack,
      owners: [...new Set(owners)].sort(compareText),
      entities: owners.length,
    },
  ];
};
