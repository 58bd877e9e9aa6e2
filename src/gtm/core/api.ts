/**
 * The small API surface the reconciler needs. Two implementations share it: the real
 * `@googleapis/tagmanager` client (`googleapis-api.ts`, also used against the local fake through
 * `rootUrl`) and in-memory doubles in unit tests. Paths are full resource paths
 * (`accounts/1/containers/2/workspaces/3`), exactly as the REST API addresses them.
 */
import type { tagmanager_v2 } from "@googleapis/tagmanager";

export type Tag = tagmanager_v2.Schema$Tag;
export type Trigger = tagmanager_v2.Schema$Trigger;
export type Variable = tagmanager_v2.Schema$Variable;
export type CustomTemplate = tagmanager_v2.Schema$CustomTemplate;
export type BuiltInVariable = tagmanager_v2.Schema$BuiltInVariable;
export type Workspace = tagmanager_v2.Schema$Workspace;
export type Client = tagmanager_v2.Schema$Client;
export type Parameter = tagmanager_v2.Schema$Parameter;
export type Condition = tagmanager_v2.Schema$Condition;
export type ContainerVersion = tagmanager_v2.Schema$ContainerVersion;
export type ContainerVersionHeader = tagmanager_v2.Schema$ContainerVersionHeader;
export type CreateContainerVersionResponse = tagmanager_v2.Schema$CreateContainerVersionResponse;
export type WorkspaceStatus = tagmanager_v2.Schema$GetWorkspaceStatusResponse;
export type Container = tagmanager_v2.Schema$Container;
export type ContainerSnippet = tagmanager_v2.Schema$GetContainerSnippetResponse;
/**
 * A tag, trigger or variable with its `changeStatus`: one change of a `bulk_update`, or one entry of a
 * workspace's status (`workspaceChange`).
 */
export type WorkspaceEntity = tagmanager_v2.Schema$Entity;
export type BulkUpdateResponse = tagmanager_v2.Schema$BulkUpdateWorkspaceResponse;
export type SyncWorkspaceResponse = tagmanager_v2.Schema$SyncWorkspaceResponse;

/** Entity kinds the kit creates, updates and deletes (templates are only imported, never deleted). */
export type EntityKind = "variables" | "triggers" | "tags";
export type EntityOf<K extends EntityKind> = K extends "tags"
  ? Tag
  : K extends "triggers"
    ? Trigger
    : Variable;

export interface GalleryCoordinates {
  readonly owner: string;
  readonly repository: string;
  readonly sha: string;
}

/**
 * What a write that could undo someone's work (a publish, `create_version`, removing a leftover
 * workspace) checks right before each of its requests, every retry included: it throws to stop the
 * write unsent. The API has no compare-and-swap on a container's versions, so the kit narrows the
 * window to the moment before the request instead (after any wait for quota or a backoff).
 */
export type WriteGuard = () => Promise<void>;

export interface PublishOptions {
  /** `?fingerprint=`: the version's, as read. */
  readonly fingerprint?: string;
  readonly guard?: WriteGuard;
}

export interface GtmApi {
  /** `GET {container}`: `usageContext` (a server container lists "server"), `taggingServerUrls`, fingerprint. */
  getContainer(containerPath: string): Promise<Container>;
  /**
   * `GET {container}:snippet`. For a server container, `containerConfig`: the tagging server's
   * `CONTAINER_CONFIG`, a secret (docs/facts/gtm-api-v2.md#containers).
   */
  getContainerSnippet(containerPath: string): Promise<ContainerSnippet>;
  /** `PUT {container}`: full replace guarded by the stored fingerprint, like the entities. */
  updateContainer(containerPath: string, body: Container, fingerprint: string): Promise<Container>;

  /** `accounts/{a}/containers/{c}/workspaces` (all pages). */
  listWorkspaces(containerPath: string): Promise<Workspace[]>;
  createWorkspace(containerPath: string, name: string, description: string): Promise<Workspace>;
  /** `GET {ws}`. */
  getWorkspace(workspacePath: string): Promise<Workspace>;
  /**
   * `PUT {ws}?fingerprint=`: name and description, refused when the workspace changed since the
   * fingerprint was read (how the kit takes over a workspace another run left behind).
   */
  updateWorkspace(
    workspacePath: string,
    body: { readonly name: string; readonly description: string },
    fingerprint: string,
  ): Promise<Workspace>;
  /** `DELETE {ws}`; the kit removes its own workspace once everything in it is versioned. */
  deleteWorkspace(workspacePath: string, guard?: WriteGuard): Promise<void>;
  /** `POST {ws}:sync`: merge the versions newer than the workspace's base into it. */
  syncWorkspace(workspacePath: string): Promise<SyncWorkspaceResponse>;
  /** `GET {ws}/status`: changed entities and merge conflicts. */
  getWorkspaceStatus(workspacePath: string): Promise<WorkspaceStatus>;

  /** All pages of tags, triggers or variables of a workspace. */
  list<K extends EntityKind>(kind: K, workspacePath: string): Promise<EntityOf<K>[]>;
  create<K extends EntityKind>(kind: K, workspacePath: string, body: EntityOf<K>): Promise<EntityOf<K>>;
  /** Full-replace PUT guarded by the stored fingerprint. */
  update<K extends EntityKind>(
    kind: K,
    path: string,
    body: EntityOf<K>,
    fingerprint: string,
  ): Promise<EntityOf<K>>;
  remove(kind: EntityKind, path: string): Promise<void>;
  /**
   * `POST {ws}/bulk_update` with `{changes}`: several entity writes in one request. Its real behaviour
   * is unverified (docs/facts/gtm-api-v2.md#protocol): callers read the result back.
   */
  bulkUpdate(workspacePath: string, changes: readonly WorkspaceEntity[]): Promise<BulkUpdateResponse>;

  listTemplates(workspacePath: string): Promise<CustomTemplate[]>;
  importTemplateFromGallery(workspacePath: string, gallery: GalleryCoordinates): Promise<CustomTemplate>;
  listBuiltInVariables(workspacePath: string): Promise<BuiltInVariable[]>;
  /** `POST {ws}/built_in_variables?type=a&type=b`. */
  enableBuiltInVariables(workspacePath: string, types: readonly string[]): Promise<BuiltInVariable[]>;

  /**
   * `POST {ws}:create_version`. May answer 200 with `compilerError: true` and no version
   * (docs/facts/gtm-api-v2.md#workspaces-and-versions).
   */
  createVersion(
    workspacePath: string,
    name: string,
    notes: string,
    guard?: WriteGuard,
  ): Promise<CreateContainerVersionResponse>;
  /** `POST {version}:publish?fingerprint=`. */
  publishVersion(versionPath: string, options?: PublishOptions): Promise<ContainerVersion>;
  /** `GET {container}/versions:live`; undefined when nothing was ever published (404). */
  getLiveVersion(containerPath: string): Promise<ContainerVersion | undefined>;
  /** `GET {container}/version_headers:latest`; undefined when the container has no version. */
  getLatestVersionHeader(containerPath: string): Promise<ContainerVersionHeader | undefined>;
  getVersion(versionPath: string): Promise<ContainerVersion>;
}

/** An HTTP-level failure, normalised from gaxios so callers need not know the client library. */
export class GtmApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    /** Google error reasons (`rateLimitExceeded`, `notFound`, ...) when the body had any. */
    readonly reasons: readonly string[],
    readonly method: string,
    readonly path: string,
  ) {
    super(message);
    this.name = "GtmApiError";
  }
}
