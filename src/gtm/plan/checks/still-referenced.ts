/**
 * Owned entities to delete that entities the kit does not own still use: GTM would refuse to compile
 * the version, after every write. Variables by `{{Name}}` in any value (nested lists and maps, trigger
 * conditions included), triggers by id (a tag's firing/blocking triggers, a trigger group), tags by
 * name (tag sequencing).
 */
import type { Tag, Trigger } from "../../core/api";
import { OWNED_KINDS, type OwnedKind } from "../../core/kinds";
import { compareText, lowerCamelEnum } from "../../core/normalize";
import { isOwnedBy } from "../../core/ownership";
import { type ActualEntity, actualEntities } from "../actual";
import type { PlanProblem } from "../problems";
import type { PlanCheck } from "./check";

interface User {
  readonly kind: OwnedKind;
  readonly entity: ActualEntity;
  readonly strings: readonly string[];
}

export const stillReferenced: PlanCheck = ({ desired, actual, changes }) => {
  const byKind = actualEntities(actual);
  const users: User[] = (["tag", "trigger", "variable"] as const).flatMap((kind) =>
    byKind[kind]
      .filter((e) => !isOwnedBy(e, desired.stack))
      .map((entity) => ({ kind, entity, strings: stringsOf(entity) }))
      .sort((a, b) => compareText(a.entity.name ?? "", b.entity.name ?? "")),
  );
  const problems: PlanProblem[] = [];
  const deleted = new Set(changes.flatMap((c) => (c.action === "delete" ? [`${c.kind}:${c.name}`] : [])));
  // In the workspace's order, kind by kind (the order the entities were read in).
  for (const kind of OWNED_KINDS) {
    for (const entity of byKind[kind]) {
      const name = entity.name ?? "";
      if (!deleted.has(`${kind}:${name}`) || !isOwnedBy(entity, desired.stack)) continue;
      const using = users.filter((user) => uses(user, kind, entity));
      if (using.length === 0) continue;
      problems.push({
        severity: "error",
        code: "still-referenced",
        kind,
        name,
        users: using.map((u) => ({ kind: u.kind, name: u.entity.name ?? "" })),
      });
    }
  }
  return problems;
};

function uses(user: User, kind: OwnedKind, entity: ActualEntity): boolean {
  const name = entity.name ?? "";
  if (kind === "variable") return user.strings.some((s) => s.includes(`{{${name}}}`));
  if (kind === "trigger") {
    const id = (entity as Trigger).triggerId;
    if (!id) return false;
    if (user.kind === "tag") {
      const tag = user.entity as Tag;
      return [...(tag.firingTriggerId ?? []), ...(tag.blockingTriggerId ?? [])].includes(id);
    }
    const group = user.entity as Trigger;
    return (
      user.kind === "trigger" &&
      lowerCamelEnum(group.type ?? "") === "triggerGroup" &&
      stringsOf(group.parameter ?? []).includes(id)
    );
  }
  if (user.kind !== "tag") return false;
  const tag = user.entity as Tag;
  return [...(tag.setupTag ?? []), ...(tag.teardownTag ?? [])].some((s) => s.tagName === name);
}

/** Every string value of an entity except its name and notes (a `{{...}}` may be anywhere else). */
function stringsOf(entity: object): string[] {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) for (const item of value) walk(item);
    else if (typeof value === "object" && value !== null)
      for (const [key, item] of Object.entries(value)) if (key !== "name" && key !== "notes") walk(item);
  };
  walk(entity);
  return out;
}
