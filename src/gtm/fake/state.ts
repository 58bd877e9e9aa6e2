/**
 * The fake Tag Manager's in-memory model and its operations, addressed by full resource paths exactly
 * like the REST API. The HTTP layer (`server.ts`) only routes to these methods; tests may also call
 * them directly to seed a container. Every operation throws `FakeApiError` the way the API answers.
 * Deterministic: ids and fingerprints come from counters, never from the clock.
 */
import type { tagmanager_v2 } from "@googleapis/tagmanager";
import type {
  BuiltInVariable,
  Client,
  ContainerVersion,
  ContainerVersionHeader,
  CreateContainerVersionResponse,
  Workspace,
  WorkspaceStatus,
} from "../api";
import { SERVER_BUILT_IN_VARIABLES } from "./builtins";
import {
  applyServerDefaults,
  COLLECTION_KINDS,
  type CollectionKind,
  cloneEntitySet,
  type EntityByKind,
  type EntitySet,
  emptyEntitySet,
  KINDS,
  type StoredEntity,
  sameContent,
  stripClientFields,
} from "./entities";
import { duplicate, FakeApiError, fingerprintConflict, invalid, notFound } from "./errors";
import {
  type FakeStateOptions,
  FakeStore,
  latestVersion,
  type VersionRecord,
  type WorkspaceRecord,
  type WorkspaceRef,
  workspacePathOf,
} from "./store";
import { deletionBlocker, unknownVariableReferences, validateEntity } from "./validate";
import {
  renderBuiltIn,
  renderContainer,
  renderInWorkspace,
  renderVersion,
  renderVersionHeader,
  renderWorkspace,
  sortedById,
} from "./views";

export type { FakeStateOptions } from "./store";

type Container = tagmanager_v2.Schema$Container;
type CompilerErrorLite = tagmanager_v2.Schema$CompilerErrorLite;
type PublishResponse = tagmanager_v2.Schema$PublishContainerVersionResponse;
type Entity = tagmanager_v2.Schema$Entity;

export interface CreateContainerOptions {
  readonly accountId: string;
  readonly containerId: string;
  readonly publicId?: string;
  readonly name?: string;
  /** Name of the workspace every new container starts with. */
  readonly workspaceName?: string;
}

export interface SeededContainer {
  readonly containerPath: string;
  /** The container's initial workspace ("Default Workspace"). */
  readonly workspacePath: string;
  readonly container: Container;
}

export interface GalleryImportRequest {
  readonly owner: string;
  readonly repository: string;
  readonly sha?: string;
  readonly acknowledgePermissions: boolean;
}

export class FakeTagManagerState {
  private readonly store: FakeStore;

  constructor(options: FakeStateOptions) {
    this.store = new FakeStore(options);
  }

  /** Forgets every container; counters restart so a reset fake replays identically. */
  reset(): void {
    this.store.reset();
  }

  // ---- containers -------------------------------------------------------------------------------

  /** A server container with one empty workspace, no versions and nothing live. */
  createContainer(options: CreateContainerOptions): SeededContainer {
    const containerPath = `accounts/${options.accountId}/containers/${options.containerId}`;
    if (this.store.hasContainer(containerPath)) throw duplicate(`Container ${containerPath} already exists.`);
    this.store.addContainer(containerPath, {
      accountId: options.accountId,
      containerId: options.containerId,
      publicId: options.publicId ?? `GTM-FAKE${options.containerId}`,
      name: options.name ?? `Server container ${options.containerId}`,
      fingerprint: this.store.nextFingerprint(),
      workspaces: new Map(),
      versions: new Map(),
      counters: { workspace: 0, entity: 0, version: 0 },
    });
    const workspace = this.createWorkspace(containerPath, {
      name: options.workspaceName ?? "Default Workspace",
    });
    return {
      containerPath,
      workspacePath: String(workspace.path),
      container: this.getContainer(containerPath),
    };
  }

  getContainer(containerPath: string): Container {
    return renderContainer(this.store.container(containerPath));
  }

  // ---- workspaces -------------------------------------------------------------------------------

  listWorkspaces(containerPath: string): Workspace[] {
    const container = this.store.container(containerPath);
    return [...container.workspaces.values()].map((workspace) => renderWorkspace(container, workspace));
  }

  /** A new workspace starts from the container's latest version (or empty). */
  createWorkspace(containerPath: string, body: { name?: unknown; description?: unknown }): Workspace {
    const container = this.store.container(containerPath);
    if (typeof body.name !== "string" || body.name === "")
      throw invalid("workspace.name: required field is missing.");
    if (container.workspaces.size >= this.store.options.maxWorkspacesPerContainer) {
      throw new FakeApiError(
        400,
        `Workspace limit reached: a container can have at most ${this.store.options.maxWorkspacesPerContainer} workspaces.`,
        "failedPrecondition",
      );
    }
    if ([...container.workspaces.values()].some((workspace) => workspace.name === body.name)) {
      throw duplicate(`Found entity with duplicate name: workspace "${body.name}" already exists.`);
    }
    const workspace = this.store.addWorkspace(
      container,
      body.name,
      typeof body.description === "string" ? body.description : undefined,
    );
    return renderWorkspace(container, workspace);
  }

  getWorkspace(workspacePath: string): Workspace {
    const { container, workspace } = this.store.workspaceRef(workspacePath);
    return renderWorkspace(container, workspace);
  }

  deleteWorkspace(workspacePath: string): void {
    const { container, workspace } = this.store.workspaceRef(workspacePath);
    container.workspaces.delete(workspace.id);
  }

  /** Makes the workspace's next `create_version` answer `compilerError: true` until cleared. */
  injectCompilerError(workspacePath: string, errorMessage = "Injected compiler error"): void {
    this.store
      .workspaceRef(workspacePath)
      .workspace.compilerErrors.push({ errorType: "injected", errorMessage });
  }

  clearCompilerErrors(workspacePath: string): void {
    this.store.workspaceRef(workspacePath).workspace.compilerErrors = [];
  }

  /** Makes the workspace's `create_version` answer a merge conflict (no version) until cleared. */
  injectMergeConflict(workspacePath: string, conflict = true): void {
    this.store.workspaceRef(workspacePath).workspace.mergeConflict = conflict;
  }

  /**
   * Changes relative to the container's latest version (or an empty container); never merge
   * conflicts, because the fake has no `sync`.
   */
  getWorkspaceStatus(workspacePath: string): WorkspaceStatus {
    const ref = this.store.workspaceRef(workspacePath);
    const base = latestVersion(ref.container)?.entities ?? emptyEntitySet();
    const changes: Entity[] = [];
    for (const kind of COLLECTION_KINDS) changes.push(...this.collectionChanges(ref, kind, base));
    changes.push(...this.builtInChanges(ref, base));
    return { workspaceChange: changes, mergeConflict: [] };
  }

  // ---- entities ---------------------------------------------------------------------------------

  list<K extends CollectionKind>(workspacePath: string, kind: K): EntityByKind[K][] {
    const ref = this.store.workspaceRef(workspacePath);
    return sortedById(kind, ref.workspace.entities[kind]).map((entity) =>
      renderInWorkspace(ref, kind, entity),
    );
  }

  get(entityPath: string): EntityByKind[CollectionKind] {
    const { ref, kind, id } = this.store.entityRef(entityPath);
    return renderInWorkspace(ref, kind, this.store.storedEntity(ref, kind, id));
  }

  create<K extends CollectionKind>(workspacePath: string, kind: K, body: EntityByKind[K]): EntityByKind[K] {
    const ref = this.store.workspaceRef(workspacePath);
    const entity = stripClientFields(kind, asObject(body));
    validateEntity(kind, entity, {
      containerId: ref.container.containerId,
      entities: ref.workspace.entities,
    });
    return this.storeEntity(ref, kind, String(++ref.container.counters.entity), entity);
  }

  /** Full replace: fields missing from `body` are gone afterwards. */
  update(entityPath: string, body: unknown, fingerprint?: string): EntityByKind[CollectionKind] {
    const { ref, kind, id } = this.store.entityRef(entityPath);
    const current = this.store.storedEntity(ref, kind, id);
    if (fingerprint !== undefined && fingerprint !== current.fingerprint) {
      throw fingerprintConflict(
        `Fingerprint mismatch: fingerprint "${fingerprint}" does not match the stored fingerprint "${current.fingerprint}" of ${entityPath}.`,
      );
    }
    const entity = stripClientFields(kind, asObject(body));
    validateEntity(kind, entity, {
      containerId: ref.container.containerId,
      entities: ref.workspace.entities,
      selfId: id,
    });
    return this.storeEntity(ref, kind, id, entity);
  }

  remove(entityPath: string): void {
    const { ref, kind, id } = this.store.entityRef(entityPath);
    this.store.storedEntity(ref, kind, id);
    const blocker = deletionBlocker(kind, id, {
      containerId: ref.container.containerId,
      entities: ref.workspace.entities,
    });
    if (blocker) throw invalid(`Cannot delete: ${blocker}`);
    ref.workspace.entities[kind].delete(id);
    this.store.touch(ref.workspace);
  }

  /** Seeding shortcut: a client such as `{ name: "GA4", type: "gaaw_client" }`. */
  seedClient(workspacePath: string, client: Client): Client {
    return this.create(workspacePath, "clients", client);
  }

  // ---- templates and built-in variables ---------------------------------------------------------

  importFromGallery(workspacePath: string, request: GalleryImportRequest): EntityByKind["templates"] {
    const ref = this.store.workspaceRef(workspacePath);
    if (!request.acknowledgePermissions) {
      throw invalid(
        "acknowledgePermissions: must be true to import a gallery template that requests permissions.",
      );
    }
    const entry = this.store.options.gallery.find(
      (e) => e.owner === request.owner && e.repository === request.repository,
    );
    if (!entry) throw notFound(`Gallery template ${request.owner}/${request.repository} not found.`);
    const sha = request.sha ?? entry.shas[0];
    if (!entry.shas.includes(sha))
      throw notFound(`Gallery template version ${sha} of ${entry.owner}/${entry.repository} not found.`);
    const template = {
      name: entry.displayName,
      templateData: entry.templateData,
      galleryReference: {
        host: "github.com",
        owner: entry.owner,
        repository: entry.repository,
        version: sha,
        galleryTemplateId: entry.galleryTemplateId,
        signature: entry.signature,
        isModified: false,
      },
    };
    validateEntity("templates", template, {
      containerId: ref.container.containerId,
      entities: ref.workspace.entities,
    });
    return this.storeEntity(ref, "templates", String(++ref.container.counters.entity), template);
  }

  listBuiltInVariables(workspacePath: string): BuiltInVariable[] {
    const ref = this.store.workspaceRef(workspacePath);
    return [...ref.workspace.entities.builtIns].map((type) =>
      renderBuiltIn(ref.container, workspacePath, type, ref.workspace.id),
    );
  }

  /** Enabling an already enabled type succeeds (unverified; idempotent is the harmless choice). */
  enableBuiltInVariables(workspacePath: string, types: readonly string[]): BuiltInVariable[] {
    const ref = this.store.workspaceRef(workspacePath);
    requireKnownBuiltIns(types);
    for (const type of types) ref.workspace.entities.builtIns.add(type);
    this.store.touch(ref.workspace);
    return types.map((type) => renderBuiltIn(ref.container, workspacePath, type, ref.workspace.id));
  }

  disableBuiltInVariables(workspacePath: string, types: readonly string[]): void {
    const ref = this.store.workspaceRef(workspacePath);
    requireKnownBuiltIns(types);
    for (const type of types) ref.workspace.entities.builtIns.delete(type);
    this.store.touch(ref.workspace);
  }

  // ---- versions ---------------------------------------------------------------------------------

  /**
   * On success the workspace is consumed and replaced by a new one with the same name whose contents
   * equal the new version (`newWorkspacePath`). On a compile problem: no version, workspace untouched.
   */
  createVersion(
    workspacePath: string,
    body: { name?: unknown; notes?: unknown },
  ): CreateContainerVersionResponse {
    const ref = this.store.workspaceRef(workspacePath);
    const syncStatus = { syncError: false, mergeConflict: ref.workspace.mergeConflict === true };
    if (syncStatus.mergeConflict) return { compilerError: false, syncStatus };
    const compilerErrors = this.compilerErrors(ref.workspace);
    if (compilerErrors.length > 0) return { compilerError: true, compilerErrors, syncStatus };
    const version: VersionRecord = {
      id: String(++ref.container.counters.version),
      name: typeof body.name === "string" ? body.name : undefined,
      description: typeof body.notes === "string" ? body.notes : undefined,
      fingerprint: this.store.nextFingerprint(),
      entities: cloneEntitySet(ref.workspace.entities),
    };
    ref.container.versions.set(version.id, version);
    ref.container.workspaces.delete(ref.workspace.id);
    const successor = this.store.addWorkspace(ref.container, ref.workspace.name, ref.workspace.description);
    return {
      containerVersion: renderVersion(ref.container, version),
      newWorkspacePath: workspacePathOf(ref.container, successor),
      syncStatus,
      compilerError: false,
    };
  }

  publishVersion(versionPath: string, fingerprint?: string): PublishResponse {
    const { container, version } = this.store.versionRef(versionPath);
    if (fingerprint !== undefined && fingerprint !== version.fingerprint) {
      throw fingerprintConflict(
        `Fingerprint mismatch: fingerprint "${fingerprint}" does not match the stored fingerprint "${version.fingerprint}" of ${versionPath}.`,
      );
    }
    container.liveVersionId = version.id;
    return { compilerError: false, containerVersion: renderVersion(container, version) };
  }

  /** Seeding shortcut: version the workspace and publish it; returns the version and the new workspace. */
  seedPublishedVersion(
    workspacePath: string,
    name = "Seed",
  ): { version: ContainerVersion; workspacePath: string } {
    const response = this.createVersion(workspacePath, { name });
    if (!response.containerVersion?.path || !response.newWorkspacePath) {
      throw new Error(`seedPublishedVersion: compile failed: ${JSON.stringify(response.compilerErrors)}`);
    }
    const published = this.publishVersion(response.containerVersion.path);
    return { version: published.containerVersion ?? {}, workspacePath: response.newWorkspacePath };
  }

  getVersion(versionPath: string): ContainerVersion {
    const { container, version } = this.store.versionRef(versionPath);
    return renderVersion(container, version);
  }

  getLiveVersion(containerPath: string): ContainerVersion {
    const container = this.store.container(containerPath);
    const live = container.liveVersionId && container.versions.get(container.liveVersionId);
    if (!live) throw notFound(`Container ${containerPath} has no live version.`);
    return renderVersion(container, live);
  }

  getLatestVersionHeader(containerPath: string): ContainerVersionHeader {
    const container = this.store.container(containerPath);
    const latest = latestVersion(container);
    if (!latest) throw notFound(`Container ${containerPath} has no version.`);
    return renderVersionHeader(container, latest);
  }

  listVersionHeaders(containerPath: string): ContainerVersionHeader[] {
    const container = this.store.container(containerPath);
    return [...container.versions.values()].map((version) => renderVersionHeader(container, version));
  }

  // ---- internals --------------------------------------------------------------------------------

  private storeEntity<K extends CollectionKind>(
    ref: WorkspaceRef,
    kind: K,
    id: string,
    entity: Record<string, unknown>,
  ): EntityByKind[K] {
    applyServerDefaults(kind, entity);
    const stored = {
      ...entity,
      [KINDS[kind].idField]: id,
      fingerprint: this.store.nextFingerprint(),
    } as StoredEntity;
    ref.workspace.entities[kind].set(id, stored);
    this.store.touch(ref.workspace);
    return renderInWorkspace(ref, kind, stored);
  }

  private compilerErrors(workspace: WorkspaceRecord): CompilerErrorLite[] {
    const unknown = unknownVariableReferences(workspace.entities).map((name) => ({
      errorType: "unknownVariable",
      errorMessage: `Unknown variable "{{${name}}}" found in the workspace.`,
    }));
    return [...workspace.compilerErrors, ...unknown];
  }

  private collectionChanges(ref: WorkspaceRef, kind: CollectionKind, base: EntitySet): Entity[] {
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

  private builtInChanges(ref: WorkspaceRef, base: EntitySet): Entity[] {
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
}

function requireKnownBuiltIns(types: readonly string[]): void {
  if (types.length === 0) throw invalid("type: at least one built-in variable type is required.");
  const unknown = types.find((type) => !(type in SERVER_BUILT_IN_VARIABLES));
  if (unknown) throw invalid(`type: invalid value "${unknown}".`);
}

function asObject(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw invalid("Request body must be a JSON object.");
  return body as Record<string, unknown>;
}
