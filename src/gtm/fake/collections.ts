/**
 * The CRUD collections under a workspace (tags, triggers, variables, templates, clients): list, get,
 * create, full-replace update with `?fingerprint=`, and delete with its refusals. `storeEntity` is the
 * one write path: server defaults, the next id's record, fresh entity and workspace fingerprints.
 */
import {
  applyServerDefaults,
  type CollectionKind,
  type EntityByKind,
  KINDS,
  type StoredEntity,
  stripClientFields,
} from "./entities";
import { fingerprintConflict, invalid } from "./errors";
import type { FakeStore, WorkspaceRef } from "./store";
import { resolveConflictsOf } from "./sync";
import { checkForContainer } from "./usage-context";
import { deletionBlocker, validateEntity } from "./validate";
import { renderInWorkspace, sortedById } from "./views";

export function listEntities<K extends CollectionKind>(
  store: FakeStore,
  workspacePath: string,
  kind: K,
): EntityByKind[K][] {
  const ref = store.workspaceRef(workspacePath);
  return sortedById(kind, ref.workspace.entities[kind]).map((entity) => renderInWorkspace(ref, kind, entity));
}

export function getEntity(store: FakeStore, entityPath: string): EntityByKind[CollectionKind] {
  const { ref, kind, id } = store.entityRef(entityPath);
  return renderInWorkspace(ref, kind, store.storedEntity(ref, kind, id));
}

export function createEntity<K extends CollectionKind>(
  store: FakeStore,
  workspacePath: string,
  kind: K,
  body: EntityByKind[K],
): EntityByKind[K] {
  return createIn(store, store.workspaceRef(workspacePath), kind, body);
}

export function updateEntity(
  store: FakeStore,
  entityPath: string,
  body: unknown,
  fingerprint?: string,
): EntityByKind[CollectionKind] {
  const { ref, kind, id } = store.entityRef(entityPath);
  return updateIn(store, ref, kind, id, body, fingerprint);
}

export function removeEntity(store: FakeStore, entityPath: string): void {
  const { ref, kind, id } = store.entityRef(entityPath);
  removeIn(store, ref, kind, id);
}

/** A create in the workspace `ref` holds (bulk_update works on a copy of the workspace). */
export function createIn<K extends CollectionKind>(
  store: FakeStore,
  ref: WorkspaceRef,
  kind: K,
  body: unknown,
): EntityByKind[K] {
  const entity = stripClientFields(kind, asObject(body));
  checkForContainer(ref.container, kind, entity);
  validateEntity(kind, entity, {
    containerId: ref.container.containerId,
    entities: ref.workspace.entities,
  });
  return storeEntity(store, ref, kind, String(++ref.container.counters.entity), entity);
}

/** Full replace of entity `id` in `ref`, refused (409) when `fingerprint` is given and stale. */
export function updateIn(
  store: FakeStore,
  ref: WorkspaceRef,
  kind: CollectionKind,
  id: string,
  body: unknown,
  fingerprint?: string,
): EntityByKind[CollectionKind] {
  const current = store.storedEntity(ref, kind, id);
  if (fingerprint !== undefined && fingerprint !== current.fingerprint) {
    throw fingerprintConflict(
      `Fingerprint mismatch: fingerprint "${fingerprint}" does not match the stored fingerprint "${current.fingerprint}" of ${ref.path}/${kind}/${id}.`,
    );
  }
  const entity = stripClientFields(kind, asObject(body));
  checkForContainer(ref.container, kind, entity);
  validateEntity(kind, entity, {
    containerId: ref.container.containerId,
    entities: ref.workspace.entities,
    selfId: id,
  });
  return storeEntity(store, ref, kind, id, entity);
}

/** Deletes entity `id` of `ref`, unless something still uses it (400). */
export function removeIn(store: FakeStore, ref: WorkspaceRef, kind: CollectionKind, id: string): void {
  store.storedEntity(ref, kind, id);
  const blocker = deletionBlocker(kind, id, {
    containerId: ref.container.containerId,
    entities: ref.workspace.entities,
  });
  if (blocker) throw invalid(`Cannot delete: ${blocker}`);
  ref.workspace.entities[kind].delete(id);
  resolveConflictsOf(ref, kind, id);
  store.touch(ref.workspace);
}

export function storeEntity<K extends CollectionKind>(
  store: FakeStore,
  ref: WorkspaceRef,
  kind: K,
  id: string,
  entity: Record<string, unknown>,
): EntityByKind[K] {
  applyServerDefaults(kind, entity);
  const stored = {
    ...entity,
    [KINDS[kind].idField]: id,
    fingerprint: store.nextFingerprint(),
  } as StoredEntity;
  ref.workspace.entities[kind].set(id, stored);
  resolveConflictsOf(ref, kind, id);
  store.touch(ref.workspace);
  return renderInWorkspace(ref, kind, stored);
}

function asObject(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw invalid("Request body must be a JSON object.");
  return body as Record<string, unknown>;
}
