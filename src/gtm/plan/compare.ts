/**
 * The one comparison of a desired body with an existing entity, used for the workspace (what to write)
 * and for the live version (what to publish).
 */
import type { Tag } from "../core/api";
import type { OwnedKind } from "../core/kinds";
import { canonicalJson, type JsonObject, normalizeEntity } from "../core/normalize";
import { withTagType } from "../model/api-body";
import type { DesiredContainer, DesiredEntityOf, DesiredTag } from "../model/types";
import type { ActualEntity } from "./actual";
import type { TokenComparison } from "./token-stand-in";

export interface Comparison<K extends OwnedKind> {
  /** The body to write: the desired one, or with the existing tag's type when the type is unknown. */
  readonly body: DesiredEntityOf<K>;
  readonly before: JsonObject;
  readonly after: JsonObject;
  readonly same: boolean;
}

export interface CompareContext {
  /** With the template's tag type unknown, an existing tag keeps its own type (`withExistingTagType`). */
  readonly typeUnknown: boolean;
  readonly tokenComparison: TokenComparison;
  readonly triggerNames: ReadonlyMap<string, string>;
}

/** Both sides normalized, with the token's stand-in. */
export function compareEntity<K extends OwnedKind>(
  kind: K,
  desiredBody: DesiredEntityOf<K>,
  existing: ActualEntity,
  context: CompareContext,
): Comparison<K> {
  const body = context.typeUnknown ? withExistingTagType(kind, desiredBody, existing) : desiredBody;
  const before = normalizeEntity(kind, context.tokenComparison(kind, existing, "actual"), {
    triggerNames: context.triggerNames,
  });
  const after = normalizeEntity(kind, context.tokenComparison(kind, body, "desired"));
  return { body, before, after, same: canonicalJson(before) === canonicalJson(after) };
}

/**
 * When the reused template's tag type is unknown (`templateTagType` gives undefined), an existing tag
 * keeps its own type: the plan cannot tell a right type from a wrong one, so it never plans an update
 * because of the type, and an update planned for another reason writes the tag's current type back.
 */
function withExistingTagType<K extends OwnedKind>(
  kind: K,
  body: DesiredEntityOf<K>,
  existing: ActualEntity,
): DesiredEntityOf<K> {
  if (kind !== "tag") return body;
  return withTagType(body as DesiredTag, (existing as Tag).type ?? undefined) as DesiredEntityOf<K>;
}

/** The desired entities per kind, tags with the template's type when it is known. */
export function resolvedDesired(
  desired: DesiredContainer,
  tagType: string | undefined,
): { readonly [K in OwnedKind]: readonly DesiredEntityOf<K>[] } {
  return {
    variable: desired.variables,
    trigger: desired.triggers,
    tag: desired.tags.map((t) => withTagType(t, tagType)),
  };
}
