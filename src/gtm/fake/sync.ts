/**
 * `POST {workspace}:sync`: bring a workspace that is behind the latest version up to it, as GTM's
 * "Update workspace" does. A three-way merge per entity id (built-in variables per type) between the
 * workspace's base, the workspace and the latest version: a change on one side only is taken, the same
 * change on both sides is kept, different changes on both sides are a merge conflict that keeps the
 * workspace's side and blocks `create_version` until the entity is written again (or the workspace is
 * deleted). Two entities of one kind with one name after the merge conflict too. The base becomes the
 * latest version either way (`SyncWorkspaceResponse`: "the sync is still treated as successful").
 */
import type { tagmanager_v2 } from "@googleapis/tagmanager";
import {
  COLLECTION_KINDS,
  type CollectionKind,
  cloneEntitySet,
  emptyEntitySet,
  KINDS,
  type StoredEntity,
  sameContent,
} from "./entities";
import { type FakeStore, latestVersion, type WorkspaceRef } from "./store";
import { renderInWorkspace } from "./views";

type MergeConflict = tagmanager_v2.Schema$MergeConflict;
type SyncWorkspaceResponse = tagmanager_v2.Schema$SyncWorkspaceResponse;

/** Whether a newer version exists than the one the workspace was created from or last synced to. */
export function isBehind(ref: WorkspaceRef): boolean {
  return latestVersion(ref.container)?.id !== ref.workspace.baseVersionId;
}

export function syncWorkspace(store: FakeStore, workspacePath: string): SyncWorkspaceResponse {
  const ref = store.workspaceRef(workspacePath);
  mergeLatest(store, ref);
  const conflicts = ref.workspace.conflicts;
  return {
    syncStatus: { mergeConflict: conflicts.length > 0, syncError: false },
    ...(conflicts.length > 0 ? { mergeConflict: structuredClone(conflicts) } : {}),
  };
}

/** The merge itself; a no-op for a workspace that is not behind. */
export function mergeLatest(store: FakeStore, ref: WorkspaceRef): void {
  if (!isBehind(ref)) return;
  const latest = latestVersion(ref.container)?.entities ?? emptyEntitySet();
  const { workspace } = ref;
  const conflicts: MergeConflict[] = [];
  for (const kind of COLLECTION_KINDS) {
    const base = workspace.base[kind];
    const mine = workspace.entities[kind];
    const theirs = latest[kind];
    const added = new Set<string>();
    for (const id of new Set([...base.keys(), ...mine.keys(), ...theirs.keys()])) {
      const b = base.get(id);
      const w = mine.get(id);
      const l = theirs.get(id);
      if (same(b, l) || same(w, l)) continue; // only the workspace changed it, or both alike
      if (!same(b, w)) {
        conflicts.push(conflict(ref, kind, w, l));
        continue;
      }
      if (l === undefined) mine.delete(id);
      else {
        mine.set(id, structuredClone(l));
        if (b === undefined) added.add(id);
      }
    }
    // The same name added on both sides: the workspace keeps its own, the other one is a conflict.
    for (const id of added) {
      const incoming = mine.get(id);
      const own = [...mine].find(
        ([other, e]) => other !== id && !added.has(other) && e.name === incoming?.name,
      );
      if (!incoming || !own) continue;
      mine.delete(id);
      conflicts.push(conflict(ref, kind, own[1], incoming));
    }
  }
  for (const type of new Set([
    ...workspace.base.builtIns,
    ...workspace.entities.builtIns,
    ...latest.builtIns,
  ])) {
    // Built-ins are on or off: one the workspace left as its base had it follows the latest version.
    if (workspace.base.builtIns.has(type) !== workspace.entities.builtIns.has(type)) continue;
    if (latest.builtIns.has(type)) workspace.entities.builtIns.add(type);
    else workspace.entities.builtIns.delete(type);
  }
  workspace.base = cloneEntitySet(latest);
  workspace.baseVersionId = latestVersion(ref.container)?.id;
  workspace.conflicts = [...workspace.conflicts, ...conflicts];
  store.touch(workspace);
}

/** A write of an entity in conflict resolves it (the workspace's side is then what the person chose). */
export function resolveConflictsOf(ref: WorkspaceRef, kind: CollectionKind, id: string): void {
  const field = KINDS[kind].versionField;
  const idField = KINDS[kind].idField;
  ref.workspace.conflicts = ref.workspace.conflicts.filter((c) => {
    const sides = [c.entityInWorkspace, c.entityInBaseVersion];
    return !sides.some((side) => (side?.[field] as Record<string, unknown> | undefined)?.[idField] === id);
  });
}

function same(a: StoredEntity | undefined, b: StoredEntity | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return sameContent(a, b);
}

function conflict(
  ref: WorkspaceRef,
  kind: CollectionKind,
  mine: StoredEntity | undefined,
  theirs: StoredEntity | undefined,
): MergeConflict {
  const field = KINDS[kind].versionField;
  const side = (entity: StoredEntity | undefined, status: string) =>
    entity ? { changeStatus: status, [field]: renderInWorkspace(ref, kind, entity) } : undefined;
  return {
    ...(mine ? { entityInWorkspace: side(mine, "updated") } : {}),
    ...(theirs ? { entityInBaseVersion: side(theirs, "updated") } : {}),
  };
}
