/**
 * The fake Tag Manager's model and its operations, addressed by full resource paths exactly like the
 * REST API. The HTTP layer (`server.ts`) only routes to these methods; tests may also call them directly
 * to seed a container. Every operation throws `FakeApiError` the way the API answers.
 *
 * This class is the one entry point; the work is done per concept next to it: `store.ts` (records,
 * path lookup, counters), `views.ts` (records as API objects), `workspaces.ts`, `containers.ts`,
 * `collections.ts`, `bulk-update.ts`, `built-in-variables.ts`, `gallery-import.ts`, `versions.ts`,
 * `status.ts` and `sync.ts`.
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
} from "../core/api";
import { disableBuiltInVariables, enableBuiltInVariables, listBuiltInVariables } from "./built-in-variables";
import { bulkUpdate } from "./bulk-update";
import { createEntity, getEntity, listEntities, removeEntity, updateEntity } from "./collections";
import { getContainerSnippet, regenerateContainerConfig, updateContainer } from "./containers";
import type { CollectionKind, EntityByKind } from "./entities";
import { type GalleryImportRequest, importFromGallery } from "./gallery-import";
import { getWorkspaceStatus } from "./status";
import { type FakeStateOptions, FakeStore, type StoreSnapshot } from "./store";
import { syncWorkspace } from "./sync";
import {
  clearCompilerErrors,
  createVersion,
  getLatestVersionHeader,
  getLiveVersion,
  getVersion,
  injectCompilerError,
  injectMergeConflict,
  listVersionHeaders,
  publishVersion,
  seedPublishedVersion,
} from "./versions";
import {
  type CreateContainerOptions,
  createContainer,
  createWorkspace,
  deleteWorkspace,
  getContainer,
  getWorkspace,
  listWorkspaces,
  type SeededContainer,
  updateWorkspace,
} from "./workspaces";

export type { GalleryImportRequest } from "./gallery-import";
export type { BehindOnCreateVersion, FakeStateOptions, StoreSnapshot } from "./store";
export type { CreateContainerOptions, SeededContainer } from "./workspaces";

type Container = tagmanager_v2.Schema$Container;
type ContainerSnippet = tagmanager_v2.Schema$GetContainerSnippetResponse;
type PublishResponse = tagmanager_v2.Schema$PublishContainerVersionResponse;
type BulkUpdateResponse = tagmanager_v2.Schema$BulkUpdateWorkspaceResponse;
type SyncWorkspaceResponse = tagmanager_v2.Schema$SyncWorkspaceResponse;

export class FakeTagManagerState {
  private readonly store: FakeStore;

  constructor(options: FakeStateOptions) {
    this.store = new FakeStore(options);
  }

  /** Forgets every container; counters restart so a reset fake replays identically. */
  reset(): void {
    this.store.reset();
  }

  /** Everything as it is now, to `restore` later: a test replays one state without rebuilding it. */
  snapshot(): StoreSnapshot {
    return this.store.snapshot();
  }

  restore(snapshot: StoreSnapshot): void {
    this.store.restore(snapshot);
  }

  // ---- containers -------------------------------------------------------------------------------

  /** A server container (unless `usageContext` says otherwise) with one empty workspace, no versions and nothing live. */
  createContainer(options: CreateContainerOptions): SeededContainer {
    return createContainer(this.store, options);
  }

  getContainer(containerPath: string): Container {
    return getContainer(this.store, containerPath);
  }

  /** `containerConfig` for a server container; a web container gets its web snippet only. */
  getContainerSnippet(containerPath: string): ContainerSnippet {
    return getContainerSnippet(this.store, containerPath);
  }

  /** Full replace of name, notes, domainName and taggingServerUrls; `usageContext` cannot change. */
  updateContainer(containerPath: string, body: Record<string, unknown>, fingerprint?: string): Container {
    return updateContainer(this.store, containerPath, body, fingerprint);
  }

  /** Seeding shortcut: the container's `containerConfig` gets a new auth code (as if GTM issued one). */
  regenerateContainerConfig(containerPath: string): void {
    regenerateContainerConfig(this.store, containerPath);
  }

  // ---- workspaces -------------------------------------------------------------------------------

  listWorkspaces(containerPath: string): Workspace[] {
    return listWorkspaces(this.store, containerPath);
  }

  /**
   * A new workspace starts from the container's latest version, which becomes its base; without a
   * version, from the container's first-workspace contents on an empty base.
   */
  createWorkspace(containerPath: string, body: { name?: unknown; description?: unknown }): Workspace {
    return createWorkspace(this.store, containerPath, body);
  }

  getWorkspace(workspacePath: string): Workspace {
    return getWorkspace(this.store, workspacePath);
  }

  /** Full replace of name and description, guarded by `fingerprint` when given (409 on mismatch). */
  updateWorkspace(
    workspacePath: string,
    body: { name?: unknown; description?: unknown },
    fingerprint?: string,
  ): Workspace {
    return updateWorkspace(this.store, workspacePath, body, fingerprint);
  }

  deleteWorkspace(workspacePath: string): void {
    deleteWorkspace(this.store, workspacePath);
  }

  /**
   * Merges what versions newer than the workspace's base changed (GTM's "Update workspace"); conflicts
   * stay on the workspace (status `mergeConflict`) and block `create_version`.
   */
  syncWorkspace(workspacePath: string): SyncWorkspaceResponse {
    return syncWorkspace(this.store, workspacePath);
  }

  /** Makes the workspace's next `create_version` answer `compilerError: true` until cleared. */
  injectCompilerError(workspacePath: string, errorMessage = "Injected compiler error"): void {
    injectCompilerError(this.store, workspacePath, errorMessage);
  }

  clearCompilerErrors(workspacePath: string): void {
    clearCompilerErrors(this.store, workspacePath);
  }

  /** Makes the workspace's `create_version` answer a merge conflict (no version) until cleared. */
  injectMergeConflict(workspacePath: string, conflict = true): void {
    injectMergeConflict(this.store, workspacePath, conflict);
  }

  /** Changes relative to the workspace's base version (or an empty container), and its merge conflicts. */
  getWorkspaceStatus(workspacePath: string): WorkspaceStatus {
    return getWorkspaceStatus(this.store, workspacePath);
  }

  // ---- entities ---------------------------------------------------------------------------------

  list<K extends CollectionKind>(workspacePath: string, kind: K): EntityByKind[K][] {
    return listEntities(this.store, workspacePath, kind);
  }

  get(entityPath: string): EntityByKind[CollectionKind] {
    return getEntity(this.store, entityPath);
  }

  create<K extends CollectionKind>(workspacePath: string, kind: K, body: EntityByKind[K]): EntityByKind[K] {
    return createEntity(this.store, workspacePath, kind, body);
  }

  /** Full replace: fields missing from `body` are gone afterwards. */
  update(entityPath: string, body: unknown, fingerprint?: string): EntityByKind[CollectionKind] {
    return updateEntity(this.store, entityPath, body, fingerprint);
  }

  remove(entityPath: string): void {
    removeEntity(this.store, entityPath);
  }

  /** `POST {ws}/bulk_update`: several entity writes, all or nothing (see bulk-update.ts). */
  bulkUpdate(workspacePath: string, body: Record<string, unknown>): BulkUpdateResponse {
    return bulkUpdate(this.store, workspacePath, body);
  }

  /** Seeding shortcut: a client such as `{ name: "GA4", type: "gaaw_client" }`. */
  seedClient(workspacePath: string, client: Client): Client {
    return this.create(workspacePath, "clients", client);
  }

  // ---- templates and built-in variables ---------------------------------------------------------

  importFromGallery(workspacePath: string, request: GalleryImportRequest): EntityByKind["templates"] {
    return importFromGallery(this.store, workspacePath, request);
  }

  listBuiltInVariables(workspacePath: string): BuiltInVariable[] {
    return listBuiltInVariables(this.store, workspacePath);
  }

  /** Enabling an already enabled type succeeds (unverified; idempotent is the harmless choice). */
  enableBuiltInVariables(workspacePath: string, types: readonly string[]): BuiltInVariable[] {
    return enableBuiltInVariables(this.store, workspacePath, types);
  }

  disableBuiltInVariables(workspacePath: string, types: readonly string[]): void {
    disableBuiltInVariables(this.store, workspacePath, types);
  }

  // ---- versions ---------------------------------------------------------------------------------

  /**
   * A workspace behind the latest version is synced first (or versioned as it is: the state's
   * `behindOnCreateVersion`). On success the workspace is consumed and replaced by a new one with the
   * same name and description whose contents equal the new version (`newWorkspacePath`). On a merge
   * conflict or a compile problem: no version, workspace untouched.
   */
  createVersion(
    workspacePath: string,
    body: { name?: unknown; notes?: unknown },
  ): CreateContainerVersionResponse {
    return createVersion(this.store, workspacePath, body);
  }

  publishVersion(versionPath: string, fingerprint?: string): PublishResponse {
    return publishVersion(this.store, versionPath, fingerprint);
  }

  /** Seeding shortcut: version the workspace and publish it; returns the version and the new workspace. */
  seedPublishedVersion(
    workspacePath: string,
    name = "Seed",
  ): { version: ContainerVersion; workspacePath: string } {
    return seedPublishedVersion(this.store, workspacePath, name);
  }

  getVersion(versionPath: string): ContainerVersion {
    return getVersion(this.store, versionPath);
  }

  getLiveVersion(containerPath: string): ContainerVersion {
    return getLiveVersion(this.store, containerPath);
  }

  getLatestVersionHeader(containerPath: string): ContainerVersionHeader {
    return getLatestVersionHeader(this.store, containerPath);
  }

  listVersionHeaders(containerPath: string): ContainerVersionHeader[] {
    return listVersionHeaders(this.store, containerPath);
  }
}
