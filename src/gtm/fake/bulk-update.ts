/**
 * `POST {workspace}/bulk_update` with body `{changes: [{tag | trigger | variable, changeStatus}]}`:
 * several entity writes in one request. Its real behaviour is unverified (docs/facts/gtm-api-v2.md);
 * the fake's choices, listed in README.md next to this file:
 * - `added` creates; the entity may carry a placeholder id `new_<n>` in its id field, which later
 *   changes of the same call use to reference it (a tag's `firingTriggerId: ["new_1"]`).
 * - `updated` is a full replace of the entity at `path`, refused (409) when `fingerprint` is stale;
 *   `deleted` removes the entity at `path`, with the usual refusals.
 * - Changes apply in order and all or nothing: one refused change fails the call, nothing is written.
 * - The answer lists the added and updated entities, in request order, with their real ids; deleted
 *   ones are left out (as the client's type documentation says).
 */
import type { tagmanager_v2 } from "@googleapis/tagmanager";
import { createIn, removeIn, updateIn } from "./collections";
import { type CollectionKind, cloneEntitySet, KINDS } from "./entities";
import { FakeApiError, fingerprintConflict, invalid } from "./errors";
import type { FakeStore, WorkspaceRef } from "./store";

type Entity = tagmanager_v2.Schema$Entity;
type BulkUpdateResponse = tagmanager_v2.Schema$BulkUpdateWorkspaceResponse;

/** The entity fields bulk_update takes, and the collection each writes to. */
const ENTITY_FIELDS = { tag: "tags", trigger: "triggers", variable: "variables" } as const;
type EntityField = keyof typeof ENTITY_FIELDS;

const PLACEHOLDER_ID = /^new_\d+$/;

export function bulkUpdate(
  store: FakeStore,
  workspacePath: string,
  body: Record<string, unknown>,
): BulkUpdateResponse {
  const real = store.workspaceRef(workspacePath);
  if (!Array.isArray(body.changes) || body.changes.length === 0)
    throw invalid("changes: at least one change is required.");
  // All or nothing: work on a copy of the workspace; keep it only when every change went through.
  const draft: WorkspaceRef = {
    ...real,
    workspace: { ...real.workspace, entities: cloneEntitySet(real.workspace.entities) },
  };
  const entityCounter = real.container.counters.entity;
  const placeholders = new Map<string, string>();
  const answered: Entity[] = [];
  for (const [index, change] of (body.changes as Entity[]).entries()) {
    try {
      const result = applyChange(store, draft, change, placeholders);
      if (result) answered.push(result);
    } catch (error) {
      real.container.counters.entity = entityCounter;
      if (!(error instanceof FakeApiError)) throw error;
      throw new FakeApiError(error.code, `changes[${index}]: ${error.message}`, error.reason);
    }
  }
  real.workspace.entities = draft.workspace.entities;
  real.workspace.fingerprint = draft.workspace.fingerprint;
  return { changes: answered };
}

function applyChange(
  store: FakeStore,
  draft: WorkspaceRef,
  change: Entity,
  placeholders: Map<string, string>,
): Entity | undefined {
  const fields = (Object.keys(ENTITY_FIELDS) as EntityField[]).filter((f) => change[f] !== undefined);
  const others = Object.keys(change).filter(
    (key) => key !== "changeStatus" && !(key in ENTITY_FIELDS) && change[key as keyof Entity] !== undefined,
  );
  if (fields.length !== 1 || others.length > 0) {
    throw invalid(
      `changes: each change holds exactly one tag, trigger or variable (got ${[...fields, ...others].join(", ") || "none"}).`,
    );
  }
  const field = fields[0];
  const kind: CollectionKind = ENTITY_FIELDS[field];
  const entity = resolvePlaceholders(change[field] as Record<string, unknown>, placeholders);
  switch (change.changeStatus) {
    case "added": {
      const placeholder = entity[KINDS[kind].idField];
      if (placeholder !== undefined && !PLACEHOLDER_ID.test(String(placeholder))) {
        throw invalid(
          `${KINDS[kind].idField}: a new entity's id is a placeholder new_<n> (got "${String(placeholder)}").`,
        );
      }
      const created = createIn(store, draft, kind, entity) as Record<string, unknown>;
      if (placeholder !== undefined)
        placeholders.set(String(placeholder), String(created[KINDS[kind].idField]));
      return { changeStatus: "added", [field]: created };
    }
    case "updated": {
      const id = entityId(draft, kind, entity.path);
      const fingerprint = typeof entity.fingerprint === "string" ? entity.fingerprint : undefined;
      return { changeStatus: "updated", [field]: updateIn(store, draft, kind, id, entity, fingerprint) };
    }
    case "deleted": {
      const id = entityId(draft, kind, entity.path);
      const stored = store.storedEntity(draft, kind, id);
      if (typeof entity.fingerprint === "string" && entity.fingerprint !== stored.fingerprint) {
        throw fingerprintConflict(
          `Fingerprint mismatch: fingerprint "${entity.fingerprint}" does not match the stored fingerprint "${stored.fingerprint}" of ${String(entity.path)}.`,
        );
      }
      removeIn(store, draft, kind, id);
      return undefined;
    }
    default:
      throw invalid(
        `changeStatus: must be added, updated or deleted (got "${String(change.changeStatus)}").`,
      );
  }
}

/** The id of `path`, which must name an entity of `kind` in this very workspace. */
function entityId(draft: WorkspaceRef, kind: CollectionKind, path: unknown): string {
  const prefix = `${draft.path}/${kind}/`;
  if (typeof path !== "string" || !path.startsWith(prefix) || !/^\d+$/.test(path.slice(prefix.length))) {
    throw invalid(
      `path: an updated or deleted ${KINDS[kind].label} names its path in this workspace (got "${String(path)}").`,
    );
  }
  return path.slice(prefix.length);
}

/** The entity with every `new_<n>` trigger reference replaced by the id the call gave that entity. */
function resolvePlaceholders(
  entity: Record<string, unknown>,
  placeholders: ReadonlyMap<string, string>,
): Record<string, unknown> {
  const resolved = { ...entity };
  for (const field of ["firingTriggerId", "blockingTriggerId"]) {
    const ids = resolved[field];
    if (!Array.isArray(ids)) continue;
    resolved[field] = ids.map((id: unknown) => {
      if (typeof id === "string" && PLACEHOLDER_ID.test(id)) {
        const real = placeholders.get(id);
        if (!real) throw invalid(`${field}: "${id}" names no entity added earlier in this call.`);
        return real;
      }
      return id;
    });
  }
  return resolved;
}
