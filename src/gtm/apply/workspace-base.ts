/**
 * Which version a workspace is really based on, by what the API shows rather than by what its lock line
 * says: the `Workspace` resource carries no base (docs/facts/gtm-api-v2.md#workspaces-and-versions), and
 * a lock line can be wrong (an older kit relabelled leftovers it was about to remove, then died before
 * the removal). A workspace's `status` lists what it changed relative to its base; so a workspace is
 * based on `version` when every entity its status does not list is in the version as it is, and every
 * entity of the version is still in the workspace or listed as changed. A colleague's tag, trigger,
 * variable, template or built-in variable in a newer version fails that test. (GTM keeps an entity's id
 * from a version into the workspaces made from it; were that not so, every workspace would fail the
 * test, and apply would rebuild it from the latest version: slower, never a revert.)
 */
import type { ContainerVersion, WorkspaceEntity, WorkspaceStatus } from "../core/api";
import type { OwnedKind } from "../core/kinds";
import { canonicalJson, normalizeBuiltInType, normalizeEntity } from "../core/normalize";
import type { ActualWorkspace } from "../plan/actual";

type Row = Record<string, unknown>;
type Contents = Pick<ActualWorkspace, "tags" | "triggers" | "variables" | "templates" | "builtInVariables">;

interface KindInfo {
  readonly inWorkspace: (c: Contents) => readonly object[];
  readonly inVersion: (v: ContainerVersion) => readonly object[] | undefined;
  readonly inChange: (e: WorkspaceEntity) => object | undefined | null;
  readonly id: string;
  /** The comparable form: what the entity is, not where it sits. */
  readonly content: (e: Row) => string;
}

const owned = (kind: OwnedKind) => (e: Row) => canonicalJson(normalizeEntity(kind, e));
const rows = (list: readonly object[] | null | undefined) => (list ?? []) as readonly Row[];

const KINDS: readonly KindInfo[] = [
  {
    inWorkspace: (c) => c.tags,
    inVersion: (v) => v.tag,
    inChange: (e) => e.tag,
    id: "tagId",
    content: owned("tag"),
  },
  {
    inWorkspace: (c) => c.triggers,
    inVersion: (v) => v.trigger,
    inChange: (e) => e.trigger,
    id: "triggerId",
    content: owned("trigger"),
  },
  {
    inWorkspace: (c) => c.variables,
    inVersion: (v) => v.variable,
    inChange: (e) => e.variable,
    id: "variableId",
    content: owned("variable"),
  },
  {
    inWorkspace: (c) => c.templates,
    inVersion: (v) => v.customTemplate,
    inChange: (e) => e.customTemplate,
    id: "templateId",
    content: (e) => canonicalJson([e.name ?? null, e.templateData ?? null]),
  },
];

/** Whether `contents` (a workspace, with its `status`) was made from or synced to `version`. */
export function isBasedOn(contents: Contents, status: WorkspaceStatus, version: ContainerVersion): boolean {
  const changes = status.workspaceChange ?? [];
  for (const kind of KINDS) {
    const changed = new Set(
      changes
        .map((c) => (kind.inChange(c) as Row | undefined | null)?.[kind.id])
        .filter((id): id is string => typeof id === "string"),
    );
    const versioned = new Map(rows(kind.inVersion(version)).map((e) => [String(e[kind.id]), e]));
    const present = new Set<string>();
    for (const entity of rows(kind.inWorkspace(contents))) {
      const id = String(entity[kind.id]);
      present.add(id);
      if (changed.has(id)) continue;
      const there = versioned.get(id);
      if (!there || kind.content(there) !== kind.content(entity)) return false;
    }
    for (const id of versioned.keys()) if (!present.has(id) && !changed.has(id)) return false;
  }
  const changedTypes = new Set(changes.map((c) => normalizeBuiltInType(c.builtInVariable?.type)));
  const types = (list: readonly { type?: string | null }[] | undefined) =>
    new Set((list ?? []).map((b) => normalizeBuiltInType(b.type)));
  const here = types(contents.builtInVariables);
  const there = types(version.builtInVariable ?? []);
  for (const type of new Set([...here, ...there]))
    if (here.has(type) !== there.has(type) && !changedTypes.has(type)) return false;
  return true;
}
