/**
 * Containers and their workspaces: creating a container with its first workspace, and the workspace
 * resource's list/create/get/delete with the per-container limit and unique names. The container
 * resource's own snippet and update are in containers.ts.
 */
import type { tagmanager_v2 } from "@googleapis/tagmanager";
import type { Workspace } from "../api";
import { duplicate, FakeApiError, invalid } from "./errors";
import type { FakeStore } from "./store";
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
  store.addContainer(containerPath, {
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
  });
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
  if ([...container.workspaces.values()].some((workspace) => workspace.name === body.name)) {
    throw duplicate(`Found entity with duplicate name: workspace "${body.name}" already exists.`);
  }
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

export function deleteWorkspace(store: FakeStore, workspacePath: string): void {
  const { container, workspace } = store.workspaceRef(workspacePath);
  container.workspaces.delete(workspace.id);
}
