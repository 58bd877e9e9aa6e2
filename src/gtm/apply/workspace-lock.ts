/**
 * One apply at a time per container, through the API alone: the kit's workspace is the lock. Its
 * description carries a line naming the run that holds it, when that run started and the version the
 * workspace was made from (`sgtm-tiktok-kit run 3f9a0c12 since 2026-12-01T10:00:00.000Z base 7`).
 *
 * - A run creates the workspace with its own line; the API refuses a second workspace of the name, and
 *   where it would not (unverified), of two namesakes the one with the lower id wins and the other run
 *   deletes its own. Either way one run goes on, the other stops with "another apply is running".
 * - A workspace someone else left (a run that stopped or died, a person) is taken with a PUT of the
 *   description guarded by the fingerprint read with it: of two runs taking it, one is refused.
 * - A run deletes, versions and publishes only from a workspace whose line names it.
 * - A run that dies leaves its line: it counts as held for `LOCK_STALE_AFTER_MS` after the run started
 *   (no apply takes that long), or until `gtm apply --take-over <run>` names it. A run that stops with
 *   a refusal after writing marks its line `ended`, so the next run need not wait.
 * Facts: docs/facts/gtm-api-v2.md#workspaces-and-versions.
 */
import { randomBytes } from "node:crypto";
import type { GtmApi, Workspace } from "../core/api";
import { GtmApiError } from "../core/api";
import { ApplyRefused } from "./apply-refused";

/** Long past any apply: the quota lets a from-scratch apply finish in about three minutes. */
export const LOCK_STALE_AFTER_MS = 15 * 60_000;

/** One run of apply: who it is to the lock, and the time it judges other runs' locks by. */
export interface ApplySession {
  readonly runId: string;
  /** When the run started (ms since the epoch): its lock's `since`. */
  readonly startedAt: number;
  /** A run whose lock this run may take although it is fresh (`gtm apply --take-over`). */
  readonly takeOver?: string;
}

export interface WorkspaceLock {
  readonly runId: string;
  readonly since: number;
  /** The version the workspace was made from; null when the container had none. */
  readonly base: string | null;
  /** The run let go of it (it stopped after writing): anyone may take the workspace. */
  readonly ended: boolean;
}

/** What the read knows about one of the kit's workspaces. */
export interface KitWorkspace {
  readonly workspace: Workspace;
  readonly lock?: WorkspaceLock;
}

/** The lock a run asks for: its session, for which stack, on which base version. */
export interface LockRequest {
  readonly stack: string;
  readonly base: string | null;
  readonly session: ApplySession;
}

const LOCK_LINE = /^sgtm-tiktok-kit run (\S+) since (\S+) base (\S+)( ended)?[ \t]*$/m;

export function newSession(now: number, takeOver?: string): ApplySession {
  return { runId: randomBytes(4).toString("hex"), startedAt: now, ...(takeOver ? { takeOver } : {}) };
}

/** The lock `session` holds on a workspace made from `base`. */
export function runLock(session: ApplySession, base: string | null): WorkspaceLock {
  return { runId: session.runId, since: session.startedAt, base, ended: false };
}

export function lockLine(lock: WorkspaceLock): string {
  const since = new Date(lock.since).toISOString();
  return `sgtm-tiktok-kit run ${lock.runId} since ${since} base ${lock.base ?? "none"}${lock.ended ? " ended" : ""}`;
}

export function workspaceDescription(stack: string, lock: WorkspaceLock): string {
  return `Managed by sgtm-tiktok-kit for ${stack}: the kit versions and publishes what is here.\n${lockLine(lock)}`;
}

export function lockOf(workspace: Workspace): WorkspaceLock | undefined {
  const match = LOCK_LINE.exec(workspace.description ?? "");
  const since = match ? Date.parse(match[2]) : Number.NaN;
  if (!match || Number.isNaN(since)) return undefined;
  return { runId: match[1], since, base: match[3] === "none" ? null : match[3], ended: Boolean(match[4]) };
}

/** A lock that stops `session` (or, without a run id, anyone: `gtm plan`). */
export function heldByAnother(
  lock: WorkspaceLock | undefined,
  session: Pick<ApplySession, "startedAt"> & Partial<ApplySession>,
): lock is WorkspaceLock {
  if (!lock || lock.ended || lock.runId === session.runId || lock.runId === session.takeOver) return false;
  return session.startedAt - lock.since < LOCK_STALE_AFTER_MS;
}

export function isOwnLock(lock: WorkspaceLock | undefined, session: ApplySession): boolean {
  return lock?.runId === session.runId && !lock.ended;
}

/** Another run holds the kit's workspace: nothing was written (exit 1). */
export class AnotherApplyRunning extends ApplyRefused {
  constructor(workspace: Workspace, lock: WorkspaceLock | undefined) {
    super(busyMessage(workspace, lock));
    this.name = "AnotherApplyRunning";
  }
}

export function busyMessage(workspace: Workspace, lock: WorkspaceLock | undefined): string {
  const where = `workspace ${workspace.path ?? `"${workspace.name}"`}`;
  if (!lock) return `another apply is running (${where}): run again once it has finished`;
  const since = new Date(lock.since).toISOString();
  const stale = new Date(lock.since + LOCK_STALE_AFTER_MS).toISOString();
  return `another apply is running (since ${since}, run ${lock.runId}, ${where}): run again once it has finished. If that run was interrupted, run again after ${stale}, or take its workspace over now with --take-over ${lock.runId}`;
}

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
    throw new AnotherApplyRunning(first.workspace, first.lock);
  }
  if (mine) return mine.workspace;
  if (first) throw new AnotherApplyRunning(first.workspace, first.lock);
  throw new ApplyRefused(
    `workspace "${name}" could not be read back after creating it: nothing was written; run apply again`,
  );
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
    throw new AnotherApplyRunning(current ?? workspace, current ? lockOf(current) : kit.lock);
  }
}

/**
 * Lets go of the lock after a refusal that left the workspace in place (a compiler error, a merge
 * conflict), so the next run need not wait: best effort, the lock goes stale anyway.
 */
export async function releaseWorkspace(
  api: GtmApi,
  workspacePath: string,
  stack: string,
  session: ApplySession,
): Promise<boolean> {
  try {
    const current = await api.getWorkspace(workspacePath);
    const lock = lockOf(current);
    if (!lock || !isOwnLock(lock, session)) return false;
    await api.updateWorkspace(
      workspacePath,
      { name: current.name ?? "", description: workspaceDescription(stack, { ...lock, ended: true }) },
      current.fingerprint ?? "",
    );
    return true;
  } catch {
    return false;
  }
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
