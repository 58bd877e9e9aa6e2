/**
 * `GET {workspace}/status`: what the workspace changed relative to its base, the version it was created
 * from or last synced to (or an empty container), compared by content with fingerprints ignored; and the
 * merge conflicts its last sync left. A workspace behind the latest version does not show what newer
 * versions changed: those are no change of the workspace's (the API's `workspaceChange`).
 */
import type { tagmanager_v2 } from "@googleapis/tagmanager";
import type { WorkspaceStatus } from "../core/api";
import { COLLECTION_KINDS, type CollectionKind, type EntitySet, KINDS, sameContent } from "./entities";
import type { FakeStore, WorkspaceRef } from "./store";
import { renderBuiltIn, renderInWorkspace } from "./views";

type Entity = tagmanager_v2.Schema$Entity;

export function getWorkspaceStatus(store: FakeStore, workspacePath: string): WorkspaceStatus {
  const ref = store.workspaceRef(workspacePath);
  const base = ref.workspace.base;
  const changes: Entity[] = [];
  for (const kind of COLLECTION_KINDS) changes.push(...collectionChanges(ref, kind, base));
  changes.push(...builtInChanges(ref, base));
  return { workspaceChange: changes, mergeConflict: structuredClone(ref.workspace.conflicts) };
}

function collectionChanges(ref: WorkspaceRef, kind: CollectionKind, base: EntitySet): Entity[] {
  const field = KINDS[kind].versionField;
  const current = ref.workspace.entities[kind];
  const before = base[kind];
  const changes: Entity[] = [];
  for (const [id, entity] of current) {
    const old = before.get(id);
    if (!old || !sameContent(old, entity)) {
      changes.push({
        changeStatus: old ? "updated" : "added",
        [field]: renderInWorkspace(ref, kind, entity),
      });
    }
  }
  for (const [id, old] of before) {
    if (!current.has(id))
      changes.push({ changeStatus: "deleted", [field]: renderInWorkspace(ref, kind, old) });
  }
  return changes;
}

function builtInChanges(ref: WorkspaceRef, base: EntitySet): Entity[] {
  const render = (type: string) => renderBuiltIn(ref.container, ref.path, type, ref.workspace.id);
  const current = ref.workspace.entities.builtIns;
  return [
    ...[...current]
      .filter((t) => !base.builtIns.has(t))
      .map((t) => ({ changeStatus: "added", builtInVariable: render(t) })),
    ...[...base.builtIns]
      .filter((t) => !current.has(t))
      .map((t) => ({ changeStatus: "deleted", builtInVariable: render(t) })),
  ];
}
