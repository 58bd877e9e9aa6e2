/**
 * Containers and their workspaces: creating a container with its first workspace, and the workspace
 * resource's list/create/get/update/delete with the per-container limit and (by default) unique names.
 * The container resource's own snippet and update are in containers.ts.
 */
import type { tagmanager_v2 } from "@googleapis/tagmanager";
import type { Client, Workspace } from "../core/api";
import { applyServerDefaults, emptyEntitySet, type StoredEntity, stripClientFields } from "./entities";
import { duplicate, FakeApiError, fingerprintConflict, invalid } from "./errors";
import type { ContainerRecord, FakeStore } from "./store";
import { renderContainer, renderWorkspace } from "./views";

type Container = tagmanager_v2.Schema$Container;

export interface CreateContainerOptions {
  readonly accountId: string;
  readonly containerId: string;
  readonly publicId?: string;
  readonly name?: string;
  /** Default `["server"]`; `["web"]` makes a web container (no `containerConfig` in its snippet). */
  readonly usageContext?: readonly string[];
  readonly taggingServerUrls?: readonly string[];
  /** Name of the workspace every new container starts with. */
  readonly workspaceName?: string;
  /**
   * Clients GTM puts into every new workspace while the container has no version, as unversioned
   * additions (a server container made in the GTM UI starts with its GA4 client this way). Default none.
   */
  readonly firstWorkspaceClients?: readonly Client[];
}

export interface SeededContainer {
  readonly containerPath: string;
  /** The container's initial workspace ("Default Workspace"). */
  readonly workspacePath: string;
  readonly container: Container;
}

export function createContainer(store: FakeStore, options: CreateContainerOptions): SeededContainer {
  const containerPath = `accounts/${options.accountId}/containers/${options.containerId}`;
  if (store.hasContainer(containerPath)) throw duplicate(`Container ${containerPath} already exists.`);
  const container: ContainerRecord = {
    accountId: options.accountId,
    containerId: options.containerId,
    publicId: options.publicId ?? `GTM-FAKE${options.containerId}`,
    name: options.name ?? `Server container ${options.containerId}`,
    usageContext: [...(options.usageContext ?? ["server"])],
    domainName: [],
    taggingServerUrls: [...(options.taggingServerUrls ?? [])],
    fingerprint: store.nextFingerprint(),
    containerConfigGeneration: 1,
    workspaces: new Map(),
    versions: new Map(),
    counters: { workspace: 0, entity: 0, version: 0 },
    firstWorkspaceContents: emptyEntitySet(),
  };
  for (const client of options.firstWorkspaceClients ?? []) {
    // One id for all workspaces: the same client, so merging two of them finds no conflict.
    const id = String(++container.counters.entity);
    const stored = stripClientFields("clients", { ...client });
    applyServerDefaults("clients", stored);
    const entity = { ...stored, clientId: id, fingerprint: store.nextFingerprint() };
    container.firstWorkspaceContents?.clients.set(id, entity as unknown as StoredEntity);
  }
  store.addContainer(containerPath, container);
  const workspace = createWorkspace(store, containerPath, {
    name: options.workspaceName ?? "Default Workspace",
  });
  return {
    containerPath,
    workspacePath: String(workspace.path),
    container: getContainer(store, containerPath),
  };
}

export function getContainer(store: FakeStore, containerPath: string): Container {
  return renderContainer(store.container(containerPath));
}

export function listWorkspaces(store: FakeStore, containerPath: string): Workspace[] {
  const container = store.container(containerPath);
  return [...container.workspaces.values()].map((workspace) => renderWorkspace(container, workspace));
}

export function createWorkspace(
  store: FakeStore,
  containerPath: string,
  body: { name?: unknown; description?: unknown },
): Workspace {
  const container = store.container(containerPath);
  if (typeof body.name !== "string" || body.name === "")
    throw invalid("workspace.name: required field is missing.");
  if (container.workspaces.size >= store.options.maxWorkspacesPerContainer) {
    throw new FakeApiError(
      400,
      `Workspace limit reached: a container can have at most ${store.options.maxWorkspacesPerContainer} workspaces.`,
      "failedPrecondition",
    );
  }
  refuseDuplicateName(store, container, body.name);
  const workspace = store.addWorkspace(
    container,
    body.name,
    typeof body.description === "string" ? body.description : undefined,
  );
  return renderWorkspace(container, workspace);
}

export function getWorkspace(store: FakeStore, workspacePath: string): Workspace {
  const { container, workspace } = store.workspaceRef(workspacePath);
  return renderWorkspace(container, workspace);
}

/** `PUT {workspace}?fingerprint=`: a full replace of the name and the description. */
export function updateWorkspace(
  store: FakeStore,
  workspacePath: string,
  body: { name?: unknown; description?: unknown },
  fingerprint?: string,
): Workspace {
  const { container, workspace } = store.workspaceRef(workspacePath);
  if (fingerprint !== undefined && fingerprint !== workspace.fingerprint) {
    throw fingerprintConflict(
      `Fingerprint mismatch: fingerprint "${fingerprint}" does not match the stored fingerprint "${workspace.fingerprint}" of ${workspacePath}.`,
    );
  }
  if (typeof body.name !== "string" || body.name === "")
    throw invalid("workspace.name: required field is missing.");
  refuseDuplicateName(store, container, body.name, workspace.id);
  workspace.name = body.name;
  workspace.description = typeof body.description === "string" ? body.description : undefined;
  store.touch(workspace);
  return renderWorkspace(container, workspace);
}

function refuseDuplicateName(store: FakeStore, container: ContainerRecord, name: string, selfId?: string) {
  if (store.options.uniqueWorkspaceNames === false) return;
  if ([...container.workspaces.values()].some((w) => w.name === name && w.id !== selfId)) {
    throw duplicate(`Found entity with duplicate name: workspace "${name}" already exists.`);
  }
}

export function deleteWorkspace(store: FakeStore, workspacePath: string): void {
  const { container, workspace } = store.workspaceRef(workspacePath);
  container.workspaces.delete(workspace.id);
}
