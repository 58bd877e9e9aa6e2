/**
 * The guards of the writes that could undo someone's work (`WriteGuard`, run right before each of
 * their requests, every retry included): a publish and a `create_version` go ahead only while the
 * latest version is still the one they were decided against (a colleague's version made during a wait
 * for quota would otherwise be reverted), and a workspace is removed only while it still holds this
 * run's lock (a run that took it over meanwhile works in it).
 */
import type { ContainerVersionHeader, GtmApi, WriteGuard } from "../core/api";
import type { ApplyRefused } from "./refusals";
import { refused } from "./refusals";
import { type ApplySession, isOwnLock, lockOf } from "./workspace-lock";

/** The newest version; undefined when the container has none (some servers answer id "0"). */
export async function latestVersion(
  api: GtmApi,
  containerPath: string,
): Promise<ContainerVersionHeader | undefined> {
  const header = await api.getLatestVersionHeader(containerPath);
  return header?.containerVersionId && header.containerVersionId !== "0" ? header : undefined;
}

/** Stops the write with `stop(latest)` when the latest version is no longer `expected` (null: none). */
export function whileLatestIs(
  api: GtmApi,
  containerPath: string,
  expected: string | null,
  stop: (latest: ContainerVersionHeader | undefined) => ApplyRefused,
): WriteGuard {
  return async () => {
    const latest = await latestVersion(api, containerPath);
    if ((latest?.containerVersionId ?? null) !== expected) throw stop(latest);
  };
}

/** Stops the write (busy) when the workspace no longer holds `session`'s lock. */
export function whileHeldBy(api: GtmApi, workspacePath: string, session: ApplySession): WriteGuard {
  return async () => {
    const workspace = await api.getWorkspace(workspacePath);
    const lock = lockOf(workspace);
    if (!isOwnLock(lock, session)) throw refused("busy", workspace, lock);
  };
}
