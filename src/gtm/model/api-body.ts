/** From desired bodies to API bodies, right before apply sends them. */
import type { Parameter, Tag, Trigger, Variable } from "../core/api";
import type { OwnedKind } from "../core/kinds";
import { isSensitiveValue } from "../core/sensitive";
import { TAG_TYPE_PLACEHOLDER } from "../core/tiktok-template";
import type {
  DesiredCondition,
  DesiredEntity,
  DesiredEntityOf,
  DesiredParameter,
  DesiredTag,
  DesiredTrigger,
  DesiredVariable,
} from "./types";
// ---------------------------------------------------------------------------------------------------
// From desired bodies to API bodies (apply)

export interface ApplyBindings {
  /** Type of the imported TikTok template; needed while a tag body carries the placeholder. */
  readonly tagType?: string;
  /** Trigger name -> id, for tags. */
  readonly triggerIds?: ReadonlyMap<string, string>;
  /** The token read at apply time; substituted for the sensitive marker. */
  readonly accessToken?: string;
}

/** The API body to create or PUT (full replace) for a desired entity. Throws when a binding is missing. */
export function toApiBody(kind: "tag", body: DesiredTag, bindings: ApplyBindings): Tag;
export function toApiBody(kind: "trigger", body: DesiredTrigger, bindings: ApplyBindings): Trigger;
export function toApiBody(kind: "variable", body: DesiredVariable, bindings: ApplyBindings): Variable;
export function toApiBody(
  kind: OwnedKind,
  body: DesiredEntity,
  bindings: ApplyBindings,
): Tag | Trigger | Variable;
export function toApiBody(
  kind: OwnedKind,
  body: DesiredEntity,
  bindings: ApplyBindings,
): Tag | Trigger | Variable {
  const parameters = (list: readonly DesiredParameter[]) => list.map((p) => toApiParameter(p, bindings));
  if (kind === "variable") {
    const v = body as DesiredVariable;
    return { name: v.name, type: v.type, notes: v.notes, parameter: parameters(v.parameter) };
  }
  if (kind === "trigger") {
    const t = body as DesiredTrigger;
    const conditions = (list: readonly DesiredCondition[]) =>
      list.map((c) => ({ type: c.type, parameter: parameters(c.parameter) }));
    return {
      name: t.name,
      type: t.type,
      notes: t.notes,
      customEventFilter: conditions(t.customEventFilter),
      ...(t.filter.length > 0 ? { filter: conditions(t.filter) } : {}),
    };
  }
  const tag = body as DesiredTag;
  const type = tag.type === TAG_TYPE_PLACEHOLDER ? bindings.tagType : tag.type;
  if (!type) throw new Error(`tag "${tag.name}": the TikTok template's tag type is not known yet`);
  return {
    name: tag.name,
    type,
    notes: tag.notes,
    parameter: parameters(tag.parameter),
    firingTriggerId: tag.firingTriggerNames.map((name) => {
      const id = bindings.triggerIds?.get(name);
      if (id === undefined) throw new Error(`tag "${tag.name}": trigger "${name}" has no id yet`);
      return id;
    }),
    tagFiringOption: tag.tagFiringOption,
  };
}

function toApiParameter(p: DesiredParameter, bindings: ApplyBindings): Parameter {
  const out: Parameter = { type: p.type };
  if (p.key !== undefined) out.key = p.key;
  if (isSensitiveValue(p.value)) {
    if (bindings.accessToken === undefined)
      throw new Error("the access token is needed to write its constant");
    out.value = bindings.accessToken;
  } else if (p.value !== undefined) {
    out.value = p.value;
  }
  if (p.list) out.list = p.list.map((x) => toApiParameter(x, bindings));
  if (p.map) out.map = p.map.map((x) => toApiParameter(x, bindings));
  return out;
}

/** The tag with its template type resolved (the plan does this when the template is already there). */
export function withTagType(tag: DesiredTag, type: string | undefined): DesiredTag {
  return type !== undefined && tag.type === TAG_TYPE_PLACEHOLDER ? { ...tag, type } : tag;
}

/** A desired body with its kind: what a create or an update of the plan carries. */
export type KindedBody = {
  readonly [K in OwnedKind]: { readonly kind: K; readonly body: DesiredEntityOf<K> };
}[OwnedKind];

/** `toApiBody` for a body whose kind travels with it (a plan's create or update). */
export function apiBodyOf(entity: KindedBody, bindings: ApplyBindings): Tag | Trigger | Variable {
  switch (entity.kind) {
    case "tag":
      return toApiBody("tag", entity.body, bindings);
    case "trigger":
      return toApiBody("trigger", entity.body, bindings);
    case "variable":
      return toApiBody("variable", entity.body, bindings);
  }
}
