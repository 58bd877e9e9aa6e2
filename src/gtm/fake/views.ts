/**
 * How stored records look on the wire: each render function turns a record from `store.ts` into the
 * API object a client receives, with `path`, ids and `tagManagerUrl` filled in for where it is shown
 * (a workspace or a version). Pure: nothing here changes the store.
 */
import type { tagmanager_v2 } from "@googleapis/tagmanager";
import type { BuiltInVariable, ContainerVersion, ContainerVersionHeader, Workspace } from "../core/api";
import { builtInVariablesOf } from "./builtins";
import {
  COLLECTION_KINDS,
  type CollectionKind,
  type EntityByKind,
  KINDS,
  type StoredEntity,
} from "./entities";
import {
  type ContainerRecord,
  containerPathOf,
  type VersionRecord,
  versionPathOf,
  type WorkspaceRecord,
  type WorkspaceRef,
  workspacePathOf,
} from "./store";

type Container = tagmanager_v2.Schema$Container;

const UI_BASE = "https://tagmanager.google.com/#/container/";

export function renderContainer(container: ContainerRecord): Container {
  const path = containerPathOf(container);
  return {
    path,
    accountId: container.accountId,
    containerId: container.containerId,
    name: container.name,
    publicId: container.publicId,
    usageContext: [...container.usageContext],
    ...(container.notes ? { notes: container.notes } : {}),
    ...(container.domainName.length > 0 ? { domainName: [...container.domainName] } : {}),
    ...(container.taggingServerUrls.length > 0
      ? { taggingServerUrls: [...container.taggingServerUrls] }
      : {}),
    fingerprint: container.fingerprint,
    tagManagerUrl: UI_BASE + path,
  };
}

export function renderWorkspace(container: ContainerRecord, workspace: WorkspaceRecord): Workspace {
  const path = workspacePathOf(container, workspace);
  return {
    path,
    accountId: container.accountId,
    containerId: container.containerId,
    workspaceId: workspace.id,
    name: workspace.name,
    ...(workspace.description ? { description: workspace.description } : {}),
    fingerprint: workspace.fingerprint,
    tagManagerUrl: UI_BASE + path,
  };
}

export function renderInWorkspace<K extends CollectionKind>(
  ref: WorkspaceRef,
  kind: K,
  entity: StoredEntity,
): EntityByKind[K] {
  return renderEntity(ref.container, ref.path, kind, entity, ref.workspace.id) as EntityByKind[K];
}

export function renderVersion(container: ContainerRecord, version: VersionRecord): ContainerVersion {
  const path = versionPathOf(container, version);
  const rendered: Record<string, unknown> = {
    path,
    accountId: container.accountId,
    containerId: container.containerId,
    containerVersionId: version.id,
    name: version.name,
    description: version.description,
    fingerprint: version.fingerprint,
    tagManagerUrl: UI_BASE + path,
    container: renderContainer(container),
  };
  for (const kind of COLLECTION_KINDS) {
    const entities = sortedById(kind, version.entities[kind]).map((entity) =>
      renderEntity(container, path, kind, entity),
    );
    if (entities.length > 0) rendered[KINDS[kind].versionField] = entities;
  }
  if (version.entities.builtIns.size > 0) {
    rendered.builtInVariable = [...version.entities.builtIns].map((type) =>
      renderBuiltIn(container, path, type),
    );
  }
  return JSON.parse(JSON.stringify(rendered)) as ContainerVersion;
}

function renderEntity(
  container: ContainerRecord,
  parentPath: string,
  kind: CollectionKind,
  entity: StoredEntity,
  workspaceId?: string,
): Record<string, unknown> {
  const path = `${parentPath}/${kind}/${String(entity[KINDS[kind].idField])}`;
  return {
    path,
    accountId: container.accountId,
    containerId: container.containerId,
    ...(workspaceId ? { workspaceId } : {}),
    ...structuredClone(entity),
    tagManagerUrl: `${UI_BASE}${path}?apiLink=${KINDS[kind].label}`,
  };
}

export function renderBuiltIn(
  container: ContainerRecord,
  parentPath: string,
  type: string,
  workspaceId?: string,
): BuiltInVariable {
  return {
    path: `${parentPath}/built_in_variables`,
    accountId: container.accountId,
    containerId: container.containerId,
    ...(workspaceId ? { workspaceId } : {}),
    type,
    name: builtInVariablesOf(container.usageContext)[type] ?? type,
  };
}

export function renderVersionHeader(
  container: ContainerRecord,
  version: VersionRecord,
): ContainerVersionHeader {
  const count = (kind: CollectionKind) => String(version.entities[kind].size);
  return {
    path: versionPathOf(container, version),
    accountId: container.accountId,
    containerId: container.containerId,
    containerVersionId: version.id,
    ...(version.name ? { name: version.name } : {}),
    numTags: count("tags"),
    numTriggers: count("triggers"),
    numVariables: count("variables"),
    numClients: count("clients"),
    numCustomTemplates: count("templates"),
  };
}

export function sortedById(kind: CollectionKind, entities: Map<string, StoredEntity>): StoredEntity[] {
  const idOf = (entity: StoredEntity) => Number(entity[KINDS[kind].idField]);
  return [...entities.values()].sort((a, b) => idOf(a) - idOf(b));
}
