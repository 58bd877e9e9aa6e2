/**
 * Reads what the plan needs, in as few calls as the API allows. The kit deletes its workspace once its
 * content is versioned, so usually there is none: the plan then reads the latest container version (what
 * a new workspace starts from) and the live one, 3 calls.
 *
 * A kit workspace that exists is read only when apply can build on it: nobody else's run holds it
 * (`workspace-lock.ts`), it holds only the kit's changes, and it was made from the latest version (its
 * lock line says which, and its content must agree: `workspace-base.ts`). Then: the latest version
 * header, its status, the paged lists of tags, triggers, variables, templates and built-in variables,
 * and the live version, 9 calls (10 when the latest version is not live). A workspace behind the
 * latest version, or of unknown base, is a leftover: the plan reads the latest version as if it were
 * gone, and apply removes it before writing, so nothing a newer version holds is ever reverted. One that
 * holds changes of someone else's is read as it is, for apply to refuse with their names. One another
 * run holds is not read at all (it changes while that run works): the plan reads the latest version.
 */
import type { GtmConfig } from "../../config/model";
import type {
  ContainerVersion,
  ContainerVersionHeader,
  GtmApi,
  Workspace,
  WorkspaceStatus,
} from "../core/api";
import { GtmApiError } from "../core/api";
import { type ActualWorkspace, workspaceFromVersion } from "../plan/actual";
import { isBasedOn } from "./workspace-base";
import { foreignChanges } from "./workspace-changes";
import { kitWorkspaces } from "./workspace-claim";
import {
  type ApplySession,
  heldByAnother,
  isOwnLock,
  type KitWorkspace,
  type WorkspaceLock,
} from "./workspace-lock";

export interface WorkspaceRead {
  readonly containerPath: string;
  /** The kit's workspace the plan was made against; undefined when there is none to build on. */
  readonly workspace?: Workspace;
  readonly lock?: WorkspaceLock;
  readonly status?: WorkspaceStatus;
  readonly actual: ActualWorkspace;
  /** The latest version when it is newer than the live one (a new workspace would start from it). */
  readonly unpublishedLatest?: ContainerVersionHeader;
  /** The newest version, live or not; undefined when the container has none. */
  readonly latest?: ContainerVersionHeader;
  /** The kit's workspace while another run holds it: the plan was made against the latest version. */
  readonly busy?: KitWorkspace;
  /** Kit workspaces left behind with only the kit's changes, behind or of unknown base: apply removes them. */
  readonly leftovers: readonly KitWorkspace[];
}

/** Who reads: the run that applies (its own lock is no obstacle), or `gtm plan` at a time. */
export type ReadSession = Pick<ApplySession, "startedAt"> & Partial<ApplySession>;

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

export async function readWorkspace(
  api: GtmApi,
  gtm: GtmConfig,
  stack: string,
  session: ReadSession = { startedAt: Date.now() },
): Promise<WorkspaceRead> {
  // A workspace may vanish between the list and its reads (a run that finished deletes its own): read again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await readOnce(api, gtm, stack, session);
    } catch (error) {
      if (!(error instanceof GtmApiError && error.status === 404 && attempt < 3)) throw error;
    }
  }
}

async function readOnce(
  api: GtmApi,
  gtm: GtmConfig,
  stack: string,
  session: ReadSession,
): Promise<WorkspaceRead> {
  const containerPath = containerPathOf(gtm);
  const kit = await kitWorkspaces(api, containerPath, gtm.workspace);
  const own = session.runId ? kit.find((k) => isOwnLock(k.lock, session as ApplySession)) : undefined;
  const busy = own ? undefined : kit.find((k) => heldByAnother(k.lock, session));
  if (kit.length === 0 || busy)
    return { ...(await readLatest(api, gtm, containerPath)), busy, leftovers: [] };

  const latest = await latestHeader(api, containerPath);
  if (own) return readKitWorkspace(api, gtm, own, await api.getWorkspaceStatus(pathOf(own)), latest, []);
  const checked: { kit: KitWorkspace; status: WorkspaceStatus }[] = [];
  for (const candidate of kit) {
    const status = await api.getWorkspaceStatus(pathOf(candidate));
    // Someone's work in it: read it as it is, for apply to refuse naming the changes.
    if (foreignChanges(status, stack, latest !== null).length > 0)
      return readKitWorkspace(api, gtm, candidate, status, latest, []);
    checked.push({ kit: candidate, status });
  }
  const base = latest?.containerVersionId ?? null;
  const current = checked.find((c) => c.kit.lock !== undefined && c.kit.lock.base === base);
  const others = checked.filter((c) => c !== current).map((c) => c.kit);
  if (current) {
    const read = await readKitWorkspace(api, gtm, current.kit, current.status, latest, others);
    // Its lock line says it was made from the latest version; built on only if its content agrees.
    if (await reallyBasedOnLatest(api, read, latest)) return read;
    others.push(current.kit);
  }
  return { ...(await readLatest(api, gtm, containerPath, latest)), leftovers: others };
}

/** Whether the read workspace holds the latest version plus its own changes (`workspace-base.ts`). */
async function reallyBasedOnLatest(
  api: GtmApi,
  read: WorkspaceRead,
  latest: ContainerVersionHeader | null,
): Promise<boolean> {
  if (!latest?.path) return true; // no version: nothing newer to revert
  const live = read.actual.liveVersion;
  const version =
    live && live.containerVersionId === latest.containerVersionId ? live : await api.getVersion(latest.path);
  return isBasedOn(read.actual, read.status ?? {}, version);
}

/** The latest version (what a new workspace starts from) and the live one. */
async function readLatest(
  api: GtmApi,
  gtm: GtmConfig,
  containerPath: string,
  knownLatest?: ContainerVersionHeader | null,
): Promise<Omit<WorkspaceRead, "leftovers">> {
  // A new workspace starts from the latest container version; the live one decides what to publish.
  const liveVersion = await api.getLiveVersion(containerPath);
  const latest = knownLatest === undefined ? await latestHeader(api, containerPath) : knownLatest;
  const unpublished = latest && latest.containerVersionId !== liveVersion?.containerVersionId;
  const base = unpublished && latest?.path ? await api.getVersion(latest.path) : liveVersion;
  return {
    containerPath,
    actual: { ...workspaceFromVersion(gtm.containerId, base), liveVersion, versioned: Boolean(latest) },
    unpublishedLatest: unpublished ? latest : undefined,
    latest: latest ?? undefined,
  };
}

async function latestHeader(api: GtmApi, containerPath: string): Promise<ContainerVersionHeader | null> {
  const header = await api.getLatestVersionHeader(containerPath);
  // A container without versions may answer with an empty header or id "0" instead of a 404.
  return header?.path && header.containerVersionId && header.containerVersionId !== "0" ? header : null;
}

/**
 * The workspace this run has just created from the latest version: its status and entities, with the
 * latest version header and the live version the run read a moment before (3 calls fewer than a read
 * from scratch). A version made in between is caught before `create_version` (its base is checked).
 */
export async function readCreatedWorkspace(
  api: GtmApi,
  gtm: GtmConfig,
  kit: KitWorkspace,
  latest: ContainerVersionHeader | null,
  liveVersion: ContainerVersion | undefined,
): Promise<WorkspaceRead> {
  return readKitWorkspace(api, gtm, kit, await api.getWorkspaceStatus(pathOf(kit)), latest, [], {
    liveVersion,
  });
}

async function readKitWorkspace(
  api: GtmApi,
  gtm: GtmConfig,
  kit: KitWorkspace,
  status: WorkspaceStatus,
  latest: ContainerVersionHeader | null,
  leftovers: readonly KitWorkspace[],
  known: { readonly liveVersion?: ContainerVersion } | undefined = undefined,
): Promise<WorkspaceRead> {
  const path = pathOf(kit);
  // Sequential on purpose: the quota limiter spaces calls anyway, and order keeps logs readable.
  const tags = await api.list("tags", path);
  const triggers = await api.list("triggers", path);
  const variables = await api.list("variables", path);
  const templates = await api.listTemplates(path);
  const builtInVariables = await api.listBuiltInVariables(path);
  const liveVersion = known ? known.liveVersion : await api.getLiveVersion(containerPathOf(gtm));
  return {
    containerPath: containerPathOf(gtm),
    workspace: kit.workspace,
    lock: kit.lock,
    status,
    actual: {
      containerId: gtm.containerId,
      tags,
      triggers,
      variables,
      templates,
      builtInVariables,
      liveVersion,
      versioned: latest !== null,
    },
    latest: latest ?? undefined,
    leftovers,
  };
}

function pathOf(kit: KitWorkspace): string {
  return kit.workspace.path ?? "";
}
