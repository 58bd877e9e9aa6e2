/**
 * Reads what the plan needs, in as few calls as the API allows. The kit deletes its workspace once its
 * content is versioned, so usually there is none: the plan then reads the latest container version (what
 * a new workspace starts from) and the live one, 3 calls. When the workspace exists (an interrupted run,
 * or edits someone made in it) the plan reads it: its status, the paged lists of tags, triggers,
 * variables, templates and built-in variables, and the live version, 8 calls.
 */
import type { GtmConfig } from "../config/model";
import type { ContainerVersionHeader, GtmApi, Workspace, WorkspaceStatus } from "./api";
import { type ActualWorkspace, workspaceFromVersion } from "./plan/actual";

export interface WorkspaceRead {
  readonly containerPath: string;
  /** Undefined when the kit's workspace does not exist yet (apply creates it). */
  readonly workspace?: Workspace;
  readonly status?: WorkspaceStatus;
  readonly actual: ActualWorkspace;
  /** The latest version when it is newer than the live one (a new workspace would start from it). */
  readonly unpublishedLatest?: ContainerVersionHeader;
}

export function containerPathOf(gtm: GtmConfig): string {
  return `accounts/${gtm.accountId}/containers/${gtm.containerId}`;
}

export async function findWorkspace(
  api: GtmApi,
  containerPath: string,
  name: string,
): Promise<Workspace | undefined> {
  return (await api.listWorkspaces(containerPath)).find((w) => w.name === name);
}

export async function readWorkspace(api: GtmApi, gtm: GtmConfig): Promise<WorkspaceRead> {
  const containerPath = containerPathOf(gtm);
  const workspace = await findWorkspace(api, containerPath, gtm.workspace);
  if (!workspace?.path) {
    // A new workspace starts from the latest container version; the live one decides what to publish.
    const liveVersion = await api.getLiveVersion(containerPath);
    const header = await api.getLatestVersionHeader(containerPath);
    // A container without versions may answer with an empty header or id "0" instead of a 404.
    const latest =
      header?.path && header.containerVersionId && header.containerVersionId !== "0" ? header : undefined;
    const unpublished = latest && latest.containerVersionId !== liveVersion?.containerVersionId;
    const base = unpublished && latest?.path ? await api.getVersion(latest.path) : liveVersion;
    return {
      containerPath,
      actual: { ...workspaceFromVersion(gtm.containerId, base), liveVersion },
      unpublishedLatest: unpublished ? latest : undefined,
    };
  }
  const path = workspace.path;
  // Sequential on purpose: the quota limiter spaces calls anyway, and order keeps logs readable.
  const status = await api.getWorkspaceStatus(path);
  const tags = await api.list("tags", path);
  const triggers = await api.list("triggers", path);
  const variables = await api.list("variables", path);
  const templates = await api.listTemplates(path);
  const builtInVariables = await api.listBuiltInVariables(path);
  const liveVersion = await api.getLiveVersion(containerPath);
  return {
    containerPath,
    workspace,
    status,
    actual: {
      containerId: gtm.containerId,
      tags,
      triggers,
      variables,
      templates,
      builtInVariables,
      liveVersion,
    },
  };
}
