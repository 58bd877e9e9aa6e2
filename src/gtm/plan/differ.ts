/**
 * The differ: which owned entities to create, update and delete, and whether the token changed. Only
 * entities carrying the stack's ownership marker are ever touched; a same-named entity of anyone else
 * is left alone here and reported by the name-clash check.
 */
import { OWNED_KINDS, type OwnedKind } from "../core/kinds";
import { compareText, normalizeEntity } from "../core/normalize";
import { isOwnedBy } from "../core/ownership";
import type { DesiredContainer, DesiredEntityOf } from "../model/types";
import { type ActualWorkspace, actualEntities, pathAndFingerprint, triggerNamesById } from "./actual";
import { type CompareContext, compareEntity, resolvedDesired } from "./compare";
import { diffFields } from "./diff";
import { tokenChanged, tokenComparator } from "./token-stand-in";
import type { Plan, PlanChange } from "./types";

export interface Differences {
  /** Dependency order: creates and updates by kind, then deletes in the reverse kind order. */
  readonly changes: readonly PlanChange[];
  readonly tokenStatus: Plan["token"]["status"];
}

export function diffWorkspace(
  desired: DesiredContainer,
  actual: ActualWorkspace,
  tagType: string | undefined,
  typeUnknown: boolean,
  tokenHash: string | undefined,
): Differences {
  const stack = desired.stack;
  const desiredByKind = resolvedDesired(desired, tagType);
  const actualByKind = actualEntities(actual);
  const tokenComparison = tokenComparator(desired.tokenVariableName, tokenHash);
  const context: CompareContext = {
    typeUnknown,
    tokenComparison,
    triggerNames: triggerNamesById(actual.triggers),
  };
  const upserts: PlanChange[] = [];
  const deletes: PlanChange[] = [];
  let tokenStatus: Plan["token"]["status"] = "create";

  const diffKind = <K extends OwnedKind>(kind: K): void => {
    const actualByName = new Map(actualByKind[kind].map((e) => [e.name ?? "", e] as const));
    const wanted = desiredByKind[kind] as readonly DesiredEntityOf<K>[];
    for (const desiredBody of wanted) {
      const existing = actualByName.get(desiredBody.name);
      if (existing === undefined) {
        const diff = diffFields(undefined, normalizeEntity(kind, desiredBody));
        upserts.push({
          action: "create",
          kind,
          name: desiredBody.name,
          body: desiredBody,
          diff,
        } as PlanChange);
        continue;
      }
      if (!isOwnedBy(existing, stack)) continue;
      const { body, before, after, same } = compareEntity(kind, desiredBody, existing, context);
      if (kind === "variable" && body.name === desired.tokenVariableName) {
        tokenStatus =
          tokenHash === undefined ? "not compared" : tokenChanged(before, after) ? "changed" : "unchanged";
      }
      if (same) continue;
      const located = pathAndFingerprint(existing);
      const diff = diffFields(before, after);
      upserts.push({ action: "update", kind, name: body.name, ...located, body, diff } as PlanChange);
    }
    const desiredNames = new Set(wanted.map((e) => e.name));
    for (const existing of actualByKind[kind]) {
      if (!isOwnedBy(existing, stack) || desiredNames.has(existing.name ?? "")) continue;
      const before = normalizeEntity(kind, tokenComparison(kind, existing, "actual"), context);
      deletes.push({
        action: "delete",
        kind,
        name: existing.name ?? "",
        ...pathAndFingerprint(existing),
        diff: diffFields(before, undefined),
      } as PlanChange);
    }
  };
  for (const kind of OWNED_KINDS) diffKind(kind);

  const kindRank = (c: PlanChange) => OWNED_KINDS.indexOf(c.kind);
  upserts.sort((a, b) => kindRank(a) - kindRank(b) || compareText(a.name, b.name));
  deletes.sort((a, b) => kindRank(b) - kindRank(a) || compareText(a.name, b.name));
  // Retiring: the token's constant is deleted with the rest (or was never written).
  return { changes: [...upserts, ...deletes], tokenStatus: desired.retiring ? "removed" : tokenStatus };
}
