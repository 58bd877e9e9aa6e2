/**
 * Whether the live version already holds the desired owned entities, by the same comparison the differ
 * uses. A workspace with nothing to change can still need a publish: an earlier run may have stopped
 * between version and publish.
 */
import type { ContainerVersion } from "../core/api";
import { OWNED_KINDS, type OwnedKind } from "../core/kinds";
import { normalizeBuiltInType } from "../core/normalize";
import { isOwnedBy } from "../core/ownership";
import { findTikTokTemplates } from "../core/tiktok-template";
import type { DesiredContainer, DesiredEntityOf } from "../model/types";
import { actualEntities, triggerNamesById } from "./actual";
import { type CompareContext, compareEntity, resolvedDesired } from "./compare";
import { resolvedTagType } from "./template-choice";
import { tokenComparator } from "./token-stand-in";
import type { LiveComparison, LiveDifference } from "./types";

export function compareLiveVersion(
  desired: DesiredContainer,
  containerId: string,
  live: ContainerVersion | undefined,
  tokenHash: string | undefined,
): LiveComparison {
  if (live === undefined) return { status: "never-published" };
  const liveTemplate = findTikTokTemplates(live.customTemplate ?? [])[0];
  const tagType = liveTemplate
    ? resolvedTagType(liveTemplate, containerId, live.tag ?? [], desired.stack)
    : undefined;
  const desiredByKind = resolvedDesired(desired, tagType);
  const liveByKind = actualEntities({ tags: live.tag, triggers: live.trigger, variables: live.variable });
  const context: CompareContext = {
    // As in the workspace plan: with the live template's type unknown, a published tag's type is kept.
    typeUnknown: liveTemplate !== undefined && tagType === undefined,
    tokenComparison: tokenComparator(desired.tokenVariableName, tokenHash),
    triggerNames: triggerNamesById(live.trigger ?? []),
  };
  const differences: LiveDifference[] = [];
  const compareKind = <K extends OwnedKind>(kind: K): void => {
    const owned = new Map(
      liveByKind[kind].filter((e) => isOwnedBy(e, desired.stack)).map((e) => [e.name ?? "", e] as const),
    );
    for (const desiredBody of desiredByKind[kind] as readonly DesiredEntityOf<K>[]) {
      const published = owned.get(desiredBody.name);
      owned.delete(desiredBody.name);
      const same = published !== undefined && compareEntity(kind, desiredBody, published, context).same;
      if (!same) differences.push({ kind, name: desiredBody.name, noLongerDesired: false });
    }
    for (const name of owned.keys()) differences.push({ kind, name, noLongerDesired: true });
  };
  for (const kind of OWNED_KINDS) compareKind(kind);
  const liveBuiltIns = new Set((live.builtInVariable ?? []).map((b) => normalizeBuiltInType(b.type)));
  for (const type of desired.builtIns)
    if (!liveBuiltIns.has(type)) differences.push({ kind: "built-in", name: type });
  if (differences.length === 0) return { status: "matches" };
  return { status: "differs", versionId: live.containerVersionId ?? "?", differences };
}
