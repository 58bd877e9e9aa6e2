/**
 * The kit's workspace claimed through the API, as the lock (workspace-lock.ts) says: created holding
 * the lock, taken over when someone left it, let go of after a refusal, found again by its run.
 */
import type { GtmApi, Workspace } from "../core/api";
import { GtmApiError } from "../core/api";
import { refused } from "./refusals";
import {
  type ApplySession,
  isOwnLock,
  type KitWorkspace,
  type LockRequest,
  lockOf,
  runLock,
  workspaceDescription,
} from "./workspace-lock";

/** The kit's workspaces of a container, lowest id first (the one a name race leaves standing). */
export async function kitWorkspaces(
  api: GtmApi,
  containerPath: string,
  name: string,
): Promise<KitWorkspace[]> {
  return (await api.listWorkspaces(containerPath))
    .filter((w) => w.name === name && w.path)
    .sort((a, b) => Number(a.workspaceId ?? 0) - Number(b.workspaceId ?? 0))
    .map((workspace) => ({ workspace, lock: lockOf(workspace) }));
}

/**
 * Creates the kit's workspace holding the lock. Refused as busy when another run's workspace of the
 * name exists or wins the race; a workspace of its own this run created and lost is deleted again.
 */
export async function createLockedWorkspace(
  api: GtmApi,
  containerPath: string,
  name: string,
  lock: LockRequest,
): Promise<Workspace> {
  try {
    await api.createWorkspace(
      containerPath,
      name,
      workspaceDescription(lock.stack, runLock(lock.session, lock.base)),
    );
  } catch (error) {
    if (!(error instanceof GtmApiError && error.status === 400 && /duplicate/i.test(error.message)))
      throw error;
  }
  // Never trust the answer alone: after a lost answer it may be another run's namesake.
  const found = await kitWorkspaces(api, containerPath, name);
  const mine = found.find((k) => isOwnLock(k.lock, lock.session));
  const first = found[0];
  if (mine && first && mine !== first && first.workspace.path) {
    if (mine.workspace.path) await api.deleteWorkspace(mine.workspace.path);
    throw refused("busy", first.workspace, first.lock);
  }
  if (mine) return mine.workspace;
  if (first) throw refused("busy", first.workspace, first.lock);
  throw refused("workspace-not-read-back", name);
}

/**
 * Takes a workspace another run left (or a person made) for `session`: a PUT of its description
 * guarded by the fingerprint it was read with. Refused as busy when someone changed it meanwhile.
 */
export async function takeWorkspace(api: GtmApi, kit: KitWorkspace, lock: LockRequest): Promise<Workspace> {
  const { workspace } = kit;
  const path = workspace.path ?? "";
  const own = runLock(lock.session, lock.base);
  try {
    return await api.updateWorkspace(
      path,
      { name: workspace.name ?? "", description: workspaceDescription(lock.stack, own) },
      workspace.fingerprint ?? "",
    );
  } catch (error) {
    if (!(error instanceof GtmApiError) || (error.status !== 409 && error.status !== 404)) throw error;
    // A 409 after a lost answer may be this run's own write: look.
    const current = error.status === 409 ? await api.getWorkspace(path) : undefined;
    if (current && isOwnLock(lockOf(current), lock.session)) return current;
    throw refused("busy", current ?? workspace, current ? lockOf(current) : kit.lock);
  }
}

/**
 * Lets go of every workspace this run holds (the one it writes in, a leftover it took to remove, the
 * one `create_version` left in its place) on an exit it controls: an error, a refusal, a signal. The
 * next run need not wait for the lock to go stale. Returns the workspaces let go of; throws when the
 * API could not be asked (the lock then holds, unless its process is seen gone: `run-host.ts`).
 */
export async function releaseOwnWorkspaces(
  api: GtmApi,
  containerPath: string,
  name: string,
  stack: string,
  session: ApplySession,
): Promise<Workspace[]> {
  const released: Workspace[] = [];
  for (const { workspace, lock } of await kitWorkspaces(api, containerPath, name)) {
    if (!lock || !isOwnLock(lock, session) || !workspace.path) continue;
    released.push(
      await api.updateWorkspace(
        workspace.path,
        { name: workspace.name ?? "", description: workspaceDescription(stack, { ...lock, ended: true }) },
        workspace.fingerprint ?? "",
      ),
    );
  }
  return released;
}

/** The workspace of `session` among the kit's workspaces (after `create_version` replaced it). */
export async function ownWorkspace(
  api: GtmApi,
  containerPath: string,
  name: string,
  session: ApplySession,
): Promise<Workspace | undefined> {
  return (await kitWorkspaces(api, containerPath, name)).find((k) => isOwnLock(k.lock, session))?.workspace;
}
