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
 *   (no apply takes that long), or until `gtm apply --take-over <run>` names it. The line names the
 *   machine and process of the run (`host h pid 4711`): on that machine, a line whose process is gone
 *   holds nothing (`run-host.ts`). A run that stops on any exit it controls (an error, a refusal,
 *   SIGINT or SIGTERM) after writing marks its line `ended`, so the next run need not wait.
 * Facts: docs/facts/gtm-api-v2.md#workspaces-and-versions.
 */
import { randomBytes } from "node:crypto";
import type { Workspace } from "../core/api";
import { processGone, thisHost } from "./run-host";

/** Long past any apply: the quota lets a from-scratch apply finish in about three minutes. */
export const LOCK_STALE_AFTER_MS = 15 * 60_000;

/**
 * The base a lock line names for a workspace of unknown base (taken only to be removed): no version has
 * that id, so the workspace reads as left over whoever reads it next.
 */
export const UNKNOWN_BASE = "unknown";

/** One run of apply: who it is to the lock, and the time it judges other runs' locks by. */
export interface ApplySession {
  readonly runId: string;
  /** When the run started (ms since the epoch): its lock's `since`. */
  readonly startedAt: number;
  /** A run whose lock this run may take although it is fresh (`gtm apply --take-over`). */
  readonly takeOver?: string;
  /** The machine and process the run is (`newSession` fills them in). */
  readonly host?: string;
  readonly pid?: number;
}

export interface WorkspaceLock {
  readonly runId: string;
  readonly since: number;
  /** The version the workspace was made from; null when the container had none. */
  readonly base: string | null;
  /** The run let go of it (it stopped after writing): anyone may take the workspace. */
  readonly ended: boolean;
  /** Where the run ran, when its line says (lines of older kits do not). */
  readonly host?: string;
  readonly pid?: number;
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

const LOCK_LINE =
  /^sgtm-tiktok-kit run (\S+) since (\S+) base (\S+)(?: host (\S+) pid (\d+))?( ended)?[ \t]*$/m;

/** A new run of this process on this machine. */
export function newSession(now: number, takeOver?: string): ApplySession {
  return {
    runId: randomBytes(4).toString("hex"),
    startedAt: now,
    ...(takeOver ? { takeOver } : {}),
    host: thisHost(),
    pid: process.pid,
  };
}

/** The lock `session` holds on a workspace made from `base`. */
export function runLock(session: ApplySession, base: string | null): WorkspaceLock {
  const where = session.host && session.pid ? { host: session.host, pid: session.pid } : {};
  return { runId: session.runId, since: session.startedAt, base, ended: false, ...where };
}

export function lockLine(lock: WorkspaceLock): string {
  const since = new Date(lock.since).toISOString();
  const where = lock.host && lock.pid ? ` host ${lock.host} pid ${lock.pid}` : "";
  return `sgtm-tiktok-kit run ${lock.runId} since ${since} base ${lock.base ?? "none"}${where}${lock.ended ? " ended" : ""}`;
}

export function workspaceDescription(stack: string, lock: WorkspaceLock): string {
  return `Managed by sgtm-tiktok-kit for ${stack}: the kit versions and publishes what is here.\n${lockLine(lock)}`;
}

export function lockOf(workspace: Workspace): WorkspaceLock | undefined {
  const match = LOCK_LINE.exec(workspace.description ?? "");
  const since = match ? Date.parse(match[2]) : Number.NaN;
  if (!match || Number.isNaN(since)) return undefined;
  const where = match[4] && match[5] ? { host: match[4], pid: Number(match[5]) } : {};
  return {
    runId: match[1],
    since,
    base: match[3] === "none" ? null : match[3],
    ended: Boolean(match[6]),
    ...where,
  };
}

/**
 * A lock that stops `session` (or, without a run id, anyone: `gtm plan`): fresh, not let go of, and its
 * process not known to be gone (`gone`, by default: gone from this machine).
 */
export function heldByAnother(
  lock: WorkspaceLock | undefined,
  session: Pick<ApplySession, "startedAt"> & Partial<ApplySession>,
  gone: (lock: WorkspaceLock) => boolean = processGone,
): lock is WorkspaceLock {
  if (!lock || lock.ended || lock.runId === session.runId || lock.runId === session.takeOver) return false;
  return session.startedAt - lock.since < LOCK_STALE_AFTER_MS && !gone(lock);
}

export function isOwnLock(lock: WorkspaceLock | undefined, session: ApplySession): boolean {
  return lock?.runId === session.runId && !lock.ended;
}
