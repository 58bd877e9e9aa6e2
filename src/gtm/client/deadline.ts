/**
 * How long the kit waits for the Tag Manager API: each request (a server that accepts the connection
 * and never answers must not hold a run forever) and the whole run (retries and quota waits add up: a
 * storm could otherwise keep one call waiting 300 s, and a run of many calls for hours). Both are
 * configurable in seconds; a run that passes either stops with exit 1 and says which, and the next run
 * picks up where it stopped (apply converges from any point).
 */
import { UserError } from "../../errors/report";

export const REQUEST_TIMEOUT_ENV_VAR = "SGTM_GTM_REQUEST_TIMEOUT";
export const RUN_TIMEOUT_ENV_VAR = "SGTM_GTM_RUN_TIMEOUT";

/** A request GTM answers at all answers well within a minute (a create_version of a big workspace included). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/**
 * Ten minutes: a from-scratch apply takes about three under the quota, and a run must end before its
 * lock goes stale (15 minutes, `workspace-lock.ts`), or another run could take its workspace meanwhile.
 */
export const DEFAULT_RUN_TIMEOUT_MS = 10 * 60_000;

export interface Deadlines {
  /** Per HTTP request, in real time. */
  readonly requestMs: number;
  /** For all requests of the run, retries and waits included, on the run's clock. */
  readonly runMs: number;
}

export const DEFAULT_DEADLINES: Deadlines = {
  requestMs: DEFAULT_REQUEST_TIMEOUT_MS,
  runMs: DEFAULT_RUN_TIMEOUT_MS,
};

/** The deadlines `vars` set (seconds, decimals allowed), else the defaults; a bad value is refused. */
export function deadlinesFromEnvironment(vars: NodeJS.ProcessEnv): Deadlines {
  return {
    requestMs: secondsOf(vars, REQUEST_TIMEOUT_ENV_VAR, DEFAULT_REQUEST_TIMEOUT_MS),
    runMs: secondsOf(vars, RUN_TIMEOUT_ENV_VAR, DEFAULT_RUN_TIMEOUT_MS),
  };
}

function secondsOf(vars: NodeJS.ProcessEnv, variable: string, fallbackMs: number): number {
  const text = vars[variable]?.trim();
  if (!text) return fallbackMs;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(seconds > 0)) {
    throw new UserError(
      `${variable} is "${text}", which is not a number of seconds: set it to a positive number such as ${fallbackMs / 1000} (the default), or unset it`,
    );
  }
  return Math.round(seconds * 1000);
}

/** Seconds as people read them: `60 s`, `0.2 s`. */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** The run's deadline on its clock (the system clock, or a test's simulated one). */
export class RunDeadline {
  private readonly endsAt: number;
  constructor(
    private readonly clock: { now(): number },
    readonly limitMs: number,
  ) {
    this.endsAt = clock.now() + limitMs;
  }

  /** Throws when waiting `ms` more (0: going on at all) would pass the deadline; `last` is why the run waits. */
  beforeWait(ms: number, doing: string, last?: unknown): void {
    if (this.clock.now() + ms > this.endsAt) throw new RunDeadlineExceeded(this.limitMs, doing, last);
  }
}

/** The run's time is up: nothing was sent after this point. */
export class RunDeadlineExceeded extends Error {
  constructor(
    readonly limitMs: number,
    /** The request the run was about to wait for. */
    readonly doing: string,
    /** The failure it would have waited to retry, if any. */
    readonly last: unknown,
  ) {
    super(`the run's ${seconds(limitMs)} (${RUN_TIMEOUT_ENV_VAR}) are up: stopped before ${doing}`);
    this.name = "RunDeadlineExceeded";
  }
}
