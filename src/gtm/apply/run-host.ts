/**
 * Which machine and process a run is, for its lock line: a lock whose process is gone is recognisable
 * on the machine that ran it (a deploy re-run there need not wait 15 minutes after a crash, a kill or a
 * failed release). On another machine a process cannot be looked up, and the lock holds until it goes
 * stale, as before.
 */
import { hostname } from "node:os";

/** This machine's name, as a lock line holds it (no whitespace). */
export function thisHost(): string {
  return hostname().replace(/\s+/g, "-") || "unknown-host";
}

/** Whether process `pid` runs on this machine (EPERM: it runs, as someone else). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the process that holds a lock is known to be gone: it ran on this machine and runs no more. */
export function processGone(lock: { readonly host?: string; readonly pid?: number }): boolean {
  return lock.host === thisHost() && lock.pid !== undefined && !isRunning(lock.pid);
}
