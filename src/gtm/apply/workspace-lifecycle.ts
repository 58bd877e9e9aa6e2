/**
 * The kit's workspace around apply's writes (docs/adr/0003): before the first entity write, another
 * run's workspace stops the apply, workspaces left behind go, and the workspace to write in is taken or
 * created with this run's lock (`workspace-lock.ts`); `create_version` goes ahead only while the
 * workspace is still this run's and its base is still the latest version, checked again before each of
 * its requests (`write-guards.ts`).
 */
import type { CreateContainerVersionResponse, GtmApi } from "../core/api";
import type { ApplyProgress } from "../core/progress";
import { type PlanRun, type PlanRunOptions, planFromRead } from "./plan-run";
import { ApplyRefused, refused, refuseUnsafe, sameChanges } from "./refusals";
import { createLockedWorkspace, ownWorkspace, takeWorkspace } from "./workspace-claim";
import { type ApplySession, isOwnLock, lockLine, lockOf, runLock, UNKNOWN_BASE } from "./workspace-lock";
import { readCreatedWorkspace } from "./workspace-read";
import { whileHeldBy, whileLatestIs } from "./write-guards";

export interface LifecycleOptions extends PlanRunOptions {
  readonly session: ApplySession;
  readonly progress: ApplyProgress;
}

export interface PreparedWorkspace {
  /** The plan to write: the planned one, or the re-plan in a workspace created for it. */
  readonly run: PlanRun;
  /** Where to write; undefined when there is nothing to write. */
  readonly workspacePath?: string;
  /** The version the workspace is based on (null: none existed); `create_version` requires it to be the latest. */
  readonly base: string | null;
  readonly writes: number;
  readonly workspaceCreated: boolean;
}

/** Everything before the first entity write; refusals here leave no workspace of this run behind. */
export async function prepareWorkspace(
  options: LifecycleOptions,
  planned: PlanRun,
): Promise<PreparedWorkspace> {
  const { env, api, session, progress } = options;
  const { read } = planned;
  if (read.busy) throw refused("busy", read.busy.workspace, read.busy.lock);
  const latestBase = read.latest?.containerVersionId ?? null;
  const lock = { stack: env.stackName, base: latestBase, session };
  let writes = 0;

  for (const leftover of read.leftovers) {
    // Taken first: a run that took it over meanwhile makes this one stop instead of deleting its work.
    // The lock keeps the base the workspace was made from: should this run die before the removal, the
    // workspace must still read as left over, never as made from the latest version.
    const base = leftover.lock ? leftover.lock.base : UNKNOWN_BASE;
    const taken = await takeWorkspace(api, leftover, { ...lock, base });
    writes++;
    const path = taken.path ?? "";
    await api.deleteWorkspace(path, whileHeldBy(api, path, session));
    writes++;
    const from = leftover.lock?.base ? `version ${leftover.lock.base}` : "an unknown version";
    progress.note(
      `removed workspace "${leftover.workspace.name}" (${leftover.workspace.path}), left over from ${from} and behind ${latestBase ? `version ${latestBase}` : "the container"}; the kit's changes in it are made again`,
    );
  }

  if (read.workspace?.path) {
    // Read only when it was made from the latest version: building on it reverts nothing.
    const base = read.lock?.base ?? latestBase;
    if (!isOwnLock(read.lock, session)) {
      await takeWorkspace(api, { workspace: read.workspace, lock: read.lock }, { ...lock, base });
      writes++;
      const from = read.lock ? ` from run ${read.lock.runId}` : "";
      progress.note(`took over workspace "${read.workspace.name}"${from} (${read.workspace.path})`);
    }
    return { run: planned, workspacePath: read.workspace.path, base, writes, workspaceCreated: false };
  }
  if (!planned.plan.hasChanges) return { run: planned, base: latestBase, writes, workspaceCreated: false };

  const created = await createLockedWorkspace(api, read.containerPath, env.gtm.workspace, lock);
  writes++;
  progress.note(`created workspace "${env.gtm.workspace}" (${lockLine(runLock(session, latestBase))})`);
  try {
    const kit = { workspace: created, lock: lockOf(created) };
    const run = planFromRead(
      options,
      await readCreatedWorkspace(api, env.gtm, kit, read.latest ?? null, read.actual.liveVersion),
    );
    refuseUnsafe(run, env, options.token, options.allowMassDelete === true);
    // The new workspace starts from the latest version: the plan must not have moved.
    if (sameChanges(planned.plan, run.plan) === false) {
      throw refused("version-created-before-write");
    }
    if (!run.read.workspace?.path) {
      throw refused("workspace-not-read-back", env.gtm.workspace);
    }
    return { run, workspacePath: run.read.workspace.path, base: latestBase, writes, workspaceCreated: true };
  } catch (error) {
    // Refused after all: take the empty workspace away again, so the refusal leaves no trace.
    if (error instanceof ApplyRefused && created.path) await api.deleteWorkspace(created.path);
    throw error;
  }
}

/**
 * `create_version` of the workspace, while it is still this run's and no version was made since its
 * base, checked before each request (a version from a workspace behind the latest would revert what the
 * newer one changed, if the API versioned it as it is). A workspace that fell behind is removed: the
 * next run starts over from the latest version.
 */
export async function createVersionSafely(
  api: GtmApi,
  where: { readonly containerPath: string; readonly workspacePath: string; readonly workspaceName: string },
  base: string | null,
  session: ApplySession,
  version: { readonly name: string; readonly notes: string },
): Promise<CreateContainerVersionResponse> {
  const { containerPath, workspacePath } = where;
  const workspace = await api.getWorkspace(workspacePath);
  const lock = lockOf(workspace);
  if (!isOwnLock(lock, session)) throw refused("busy", workspace, lock);
  const unchanged = whileLatestIs(api, containerPath, base, (latest) =>
    refused("version-created-meanwhile", latest?.containerVersionId ?? null, latest?.name ?? ""),
  );
  try {
    return await api.createVersion(workspacePath, version.name, version.notes, unchanged);
  } catch (error) {
    if (error instanceof ApplyRefused && error.reason === "version-created-meanwhile") {
      // Looked up by lock: an attempt whose answer was lost may have replaced the workspace already.
      const own = await ownWorkspace(api, containerPath, where.workspaceName, session);
      await api.deleteWorkspace(own?.path ?? workspacePath);
    }
    throw error;
  }
}
