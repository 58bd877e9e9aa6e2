/**
 * The fake's in-memory records and how a resource path finds them: containers with their workspaces and
 * versions, the id and fingerprint counters, and the 404s for paths that name nothing. The operations
 * all work on one `FakeStore` and keep no state of their own.
 * Deterministic: ids and fingerprints come from counters, never from the clock.
 */
import type { tagmanager_v2 } from "@googleapis/tagmanager";
import {
  type CollectionKind,
  cloneEntitySet,
  type EntitySet,
  emptyEntitySet,
  type StoredEntity,
} from "./entities";
import { notFound } from "./errors";
import type { GalleryEntry } from "./gallery";

type CompilerErrorLite = tagmanager_v2.Schema$CompilerErrorLite;
type MergeConflict = tagmanager_v2.Schema$MergeConflict;

/**
 * What `create_version` does with a workspace that is behind the latest version (unverified, see
 * README.md): `sync` merges the latest version in first, as its `syncStatus` field suggests, and makes no
 * version on a conflict; `as-is` versions the workspace's entities as they are, which reverts whatever
 * the newer versions changed (the worst case a client must survive).
 */
export type BehindOnCreateVersion = "sync" | "as-is";

export interface FakeStateOptions {
  readonly gallery: readonly GalleryEntry[];
  /** Free GTM allows 3 workspaces per container. */
  readonly maxWorkspacesPerContainer: number;
  /** Whether a second workspace of an existing name is refused (unverified; default true). */
  readonly uniqueWorkspaceNames?: boolean;
  /** Default `sync`. */
  readonly behindOnCreateVersion?: BehindOnCreateVersion;
}

export interface WorkspaceRecord {
  readonly id: string;
  /** Both can be changed by `PUT {workspace}`. */
  name: string;
  description?: string;
  fingerprint: string;
  entities: EntitySet;
  /**
   * The version the workspace was created from or last synced to (undefined: none existed), and its
   * entities: `status` lists changes relative to it and `sync` merges from it.
   */
  baseVersionId?: string;
  base: EntitySet;
  /** Left by a `sync` that met conflicting changes; `create_version` refuses until they are gone. */
  conflicts: MergeConflict[];
  /** Injected by tests; reported by `create_version` until cleared. */
  compilerErrors: CompilerErrorLite[];
  /** Injected by tests: `create_version` answers a merge conflict whatever the contents. */
  mergeConflict?: boolean;
}

export interface VersionRecord {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly fingerprint: string;
  readonly entities: EntitySet;
}

export interface ContainerRecord {
  readonly accountId: string;
  readonly containerId: string;
  readonly publicId: string;
  /** `["server"]` for a server container; fixed when the container is created. */
  readonly usageContext: readonly string[];
  /** The fields a container update replaces. */
  name: string;
  notes?: string;
  domainName: string[];
  taggingServerUrls: string[];
  fingerprint: string;
  /** Bumped by `regenerateContainerConfig`: the auth code in `containerConfig` derives from it. */
  containerConfigGeneration: number;
  readonly workspaces: Map<string, WorkspaceRecord>;
  readonly versions: Map<string, VersionRecord>;
  liveVersionId?: string;
  /**
   * What GTM puts into every new workspace of a container that has no version yet (a server container
   * made in the UI starts with its GA4 client): in the workspace, not in its (empty) base.
   */
  readonly firstWorkspaceContents?: EntitySet;
  /** One id sequence per container for all entity kinds, so a tag id never doubles as a trigger id. */
  readonly counters: { workspace: number; entity: number; version: number };
}

export interface WorkspaceRef {
  readonly container: ContainerRecord;
  readonly workspace: WorkspaceRecord;
  readonly path: string;
}

const WORKSPACE_PATH = /^(accounts\/\d+\/containers\/\d+)\/workspaces\/(\d+)$/;
const ENTITY_PATH =
  /^(accounts\/\d+\/containers\/\d+\/workspaces\/\d+)\/(tags|triggers|variables|templates|clients)\/(\d+)$/;
const VERSION_PATH = /^(accounts\/\d+\/containers\/\d+)\/versions\/(\d+)$/;

/** What `FakeStore.snapshot` copies. */
export interface StoreSnapshot {
  readonly containers: ReadonlyMap<string, ContainerRecord>;
  readonly fingerprintCounter: number;
}

export class FakeStore {
  private readonly containers = new Map<string, ContainerRecord>();
  private fingerprintCounter = 0;

  constructor(readonly options: FakeStateOptions) {}

  /** Forgets every container; counters restart so a reset fake replays identically. */
  reset(): void {
    this.containers.clear();
    this.fingerprintCounter = 0;
  }

  /** A deep copy of every container and the counters, for `restore` (a test replays one state). */
  snapshot(): StoreSnapshot {
    return structuredClone({ containers: this.containers, fingerprintCounter: this.fingerprintCounter });
  }

  restore(snapshot: StoreSnapshot): void {
    const copy = structuredClone(snapshot);
    this.containers.clear();
    for (const [path, container] of copy.containers) this.containers.set(path, container);
    this.fingerprintCounter = copy.fingerprintCounter;
  }

  hasContainer(containerPath: string): boolean {
    return this.containers.has(containerPath);
  }

  addContainer(containerPath: string, container: ContainerRecord): void {
    this.containers.set(containerPath, container);
  }

  nextFingerprint(): string {
    // Looks like the real millisecond fingerprints, but counts instead of reading the clock.
    return String(1_700_000_000_000 + ++this.fingerprintCounter);
  }

  touch(workspace: WorkspaceRecord): void {
    workspace.fingerprint = this.nextFingerprint();
  }

  container(containerPath: string): ContainerRecord {
    const container = this.containers.get(containerPath);
    if (!container) throw notFound(`Not found: container ${containerPath}.`);
    return container;
  }

  workspaceRef(workspacePath: string): WorkspaceRef {
    const match = WORKSPACE_PATH.exec(workspacePath);
    const container = match ? this.container(match[1]) : undefined;
    const workspace = match && container?.workspaces.get(match[2]);
    if (!container || !workspace) throw notFound(`Not found: workspace ${workspacePath}.`);
    return { container, workspace, path: workspacePath };
  }

  entityRef(entityPath: string): { ref: WorkspaceRef; kind: CollectionKind; id: string } {
    const match = ENTITY_PATH.exec(entityPath);
    if (!match) throw notFound(`Not found: ${entityPath}.`);
    return { ref: this.workspaceRef(match[1]), kind: match[2] as CollectionKind, id: match[3] };
  }

  versionRef(versionPath: string): { container: ContainerRecord; version: VersionRecord } {
    const match = VERSION_PATH.exec(versionPath);
    const container = match ? this.container(match[1]) : undefined;
    const version = match && container?.versions.get(match[2]);
    if (!container || !version) throw notFound(`Not found: version ${versionPath}.`);
    return { container, version };
  }

  storedEntity(ref: WorkspaceRef, kind: CollectionKind, id: string): StoredEntity {
    const entity = ref.workspace.entities[kind].get(id);
    if (!entity) throw notFound(`Not found: ${ref.path}/${kind}/${id}.`);
    return entity;
  }

  /**
   * A new workspace starts from the container's latest version; without one, from what GTM puts into
   * a new workspace of the container (its first-workspace contents), on an empty base.
   */
  addWorkspace(container: ContainerRecord, name: string, description?: string): WorkspaceRecord {
    const latest = latestVersion(container);
    const workspace: WorkspaceRecord = {
      id: String(++container.counters.workspace),
      name,
      description,
      fingerprint: this.nextFingerprint(),
      entities: cloneEntitySet(latest?.entities ?? container.firstWorkspaceContents ?? emptyEntitySet()),
      baseVersionId: latest?.id,
      base: cloneEntitySet(latest?.entities ?? emptyEntitySet()),
      conflicts: [],
      compilerErrors: [],
    };
    container.workspaces.set(workspace.id, workspace);
    return workspace;
  }
}

export function latestVersion(container: ContainerRecord): VersionRecord | undefined {
  return [...container.versions.values()].at(-1);
}

export const containerPathOf = (container: ContainerRecord) =>
  `accounts/${container.accountId}/containers/${container.containerId}`;
export const workspacePathOf = (container: ContainerRecord, workspace: WorkspaceRecord) =>
  `${containerPathOf(container)}/workspaces/${workspace.id}`;
export const versionPathOf = (container: ContainerRecord, version: VersionRecord) =>
  `${containerPathOf(container)}/versions/${version.id}`;
