/**
 * Retries around any GtmApi, and the quota limiter the client puts before each HTTP request. The Tag
 * Manager API allows 25 requests per 100 s per project; the Node client retries only idempotent verbs
 * and ignores Retry-After. So the kit owns both: `QuotaLimiter`, a sliding window with an injected
 * clock (tests do not wait), one per project for the whole process, wired before every request (each
 * page, each retry) by `connect.ts`; and `withResilience`, which retries two kinds of failure apart:
 * - throttling (429, rate-limit 403): the project's window is full, maybe by other tools or parallel
 *   environments the limiter cannot see. Waits grow from 10 s to the window's length (100 s), each
 *   shown, and go on for up to three windows, so a full window always has time to free; meanwhile the
 *   limiter holds back every other request of the process too;
 * - server errors and dropped connections: jittered exponential backoff from 2 s, 6 attempts.
 * Writes are never retried blindly: after an ambiguous failure it re-reads and returns what the first
 * attempt may already have created. Quota and client behaviour: docs/facts/gtm-api-v2.md#quota-and-retries.
 */
import type { EntityKind, EntityOf, GalleryCoordinates, GtmApi } from "../core/api";
import { GtmApiError } from "../core/api";
import { isDailyQuotaExhausted } from "./daily-quota";
import type { RunDeadline } from "./deadline";
import { RequestTimedOut } from "./googleapis";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The real quota: 25 requests per 100 s window per project (0.25 requests/s), shared by every caller. */
export const REAL_QUOTA = { requests: 25, windowMs: 100_000 } as const;

/** How long to wait after throttling answers: the first wait, the longest one, and the total before giving up. */
export interface ThrottleWaits {
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxTotalMs: number;
}

/** 10 s, 20 s, 40 s, 80 s, then a window (100 s) at a time, jittered, for up to three windows in all. */
export const THROTTLE_WAITS: ThrottleWaits = {
  firstDelayMs: REAL_QUOTA.windowMs / 10,
  maxDelayMs: REAL_QUOTA.windowMs,
  maxTotalMs: 3 * REAL_QUOTA.windowMs,
};

export interface ResilienceOptions {
  readonly clock?: Clock;
  /** Attempts per call including the first, for server errors and dropped connections. Default: 6. */
  readonly maxAttempts?: number;
  /** First backoff delay for those; doubles each attempt, full jitter. Default: 2 s. */
  readonly baseDelayMs?: number;
  /** Waits after throttling answers (429, rate-limit 403). Default: THROTTLE_WAITS. */
  readonly throttle?: ThrottleWaits;
  /** The process's limiter: a throttling answer holds back all of its requests, not only the retried one. */
  readonly limiter?: QuotaLimiter;
  /** Random source for jitter (tests pass a fixed one). Default: Math.random. */
  readonly random?: () => number;
  /** Called before a retry waits, for progress output. */
  readonly onWait?: WaitListener;
  /** The run's deadline: a wait that would pass it fails the call instead. Default: none. */
  readonly deadline?: RunDeadline;
}

/** Attempts per call for a request that got no answer in time: a server that stalls once may again. */
export const TIMEOUT_ATTEMPTS = 3;

/**
 * Progress hook for waits: for quota (QuotaLimiter), after a throttling answer, or before a retry
 * after a server error or a dropped connection (withResilience).
 */
export type WaitListener = (event: {
  readonly reason: "quota" | "throttled" | "retry";
  readonly ms: number;
  readonly detail: string;
}) => void;

const RATE_LIMIT_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"]);

/**
 * The project's quota is used up for now: the request was refused before any work was done. Not the
 * daily quota: no wait within a run frees that one.
 */
export function isThrottled(error: unknown): boolean {
  if (!(error instanceof GtmApiError) || isDailyQuotaExhausted(error)) return false;
  return (
    error.status === 429 || (error.status === 403 && error.reasons.some((r) => RATE_LIMIT_REASONS.has(r)))
  );
}

/** Failures worth another attempt: throttling, server errors, connections dropped. */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof GtmApiError)) return false;
  return isThrottled(error) || error.status === undefined || error.status >= 500;
}

/**
 * Sliding window: at most `requests` starts in any `windowMs`. Shared by every request of a process to
 * one project (`connect.ts`); after a throttling answer, `holdUntil` keeps all of them back a while.
 */
export class QuotaLimiter {
  private readonly starts: number[] = [];
  private heldUntil = 0;
  constructor(
    private readonly quota: { readonly requests: number; readonly windowMs: number },
    readonly clock: Clock,
    private readonly onWait?: WaitListener,
  ) {}

  /**
   * Waits until a request may start; `onWait` (else the constructor's) hears of each wait, and a wait
   * that would pass `deadline` fails instead.
   */
  async acquire(
    detail: string,
    onWait: WaitListener | undefined = this.onWait,
    deadline?: RunDeadline,
  ): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      if (now < this.heldUntil) {
        deadline?.beforeWait(this.heldUntil - now, detail);
        onWait?.({ reason: "quota", ms: this.heldUntil - now, detail });
        await this.clock.sleep(this.heldUntil - now);
        continue;
      }
      while (this.starts.length > 0 && this.starts[0] <= now - this.quota.windowMs) this.starts.shift();
      if (this.starts.length < this.quota.requests) {
        this.starts.push(now);
        return;
      }
      const wait = this.starts[0] + this.quota.windowMs - now;
      deadline?.beforeWait(wait, detail);
      onWait?.({ reason: "quota", ms: wait, detail });
      await this.clock.sleep(wait);
    }
  }

  /** The server said the project's window is full: no request starts before `time`. */
  holdUntil(time: number): void {
    this.heldUntil = Math.max(this.heldUntil, time);
  }
}

export function withResilience(api: GtmApi, options: ResilienceOptions = {}): GtmApi {
  const clock = options.clock ?? systemClock;
  const maxAttempts = options.maxAttempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 2_000;
  const throttle = options.throttle ?? THROTTLE_WAITS;
  const random = options.random ?? Math.random;

  /** One call's retries: attempts after failures, and the time waited for throttling answers. */
  interface Retries {
    failures: number;
    timeouts: number;
    throttles: number;
    throttledMs: number;
  }

  /** Sleeps before the next attempt of `call`, unless that passes the run's deadline. */
  const wait = async (event: Parameters<WaitListener>[0], call: string, error: unknown) => {
    options.deadline?.beforeWait(event.ms, call, error);
    options.onWait?.(event);
    await clock.sleep(event.ms);
  };

  /** Waits before the next attempt, or rethrows when `error` is not worth one (or no more are left). */
  const waitOrThrow = async (retries: Retries, detail: string, error: unknown): Promise<void> => {
    if (!isRetryable(error)) throw error;
    const timedOut = error instanceof RequestTimedOut;
    const status = timedOut ? "no answer" : ((error as GtmApiError).status ?? "connection dropped");
    if (timedOut && ++retries.timeouts >= TIMEOUT_ATTEMPTS) throw error;
    if (isThrottled(error)) {
      const left = throttle.maxTotalMs - retries.throttledMs;
      if (left <= 0) throw error;
      const cap = Math.min(throttle.maxDelayMs, throttle.firstDelayMs * 2 ** retries.throttles++);
      // Half to all of the cap (never a quick retry into a window that is still full), and never past
      // the total allowed.
      const ms = Math.min(left, Math.round(cap * (0.5 + 0.5 * random())));
      retries.throttledMs += ms;
      options.limiter?.holdUntil(clock.now() + ms);
      const detailed = `${detail} (${status}; ${Math.round(retries.throttledMs / 1000)} s of up to ${throttle.maxTotalMs / 1000} s)`;
      await wait({ reason: "throttled", ms, detail: detailed }, detail, error);
      return;
    }
    if (++retries.failures >= maxAttempts) throw error;
    const ms = Math.round(random() * baseDelayMs * 2 ** (retries.failures - 1));
    await wait({ reason: "retry", ms, detail: `${detail} (${status})` }, detail, error);
  };
  const fresh = (): Retries => ({ failures: 0, timeouts: 0, throttles: 0, throttledMs: 0 });

  /**
   * Reads, deletes and other idempotent calls: retry as is. Writes that a re-list cannot find again
   * pass `isThrottled`: they are retried only when surely not committed.
   */
  const retried = async <T>(
    detail: string,
    call: () => Promise<T>,
    worthRetrying: (error: unknown) => boolean = isRetryable,
  ): Promise<T> => {
    const retries = fresh();
    for (;;) {
      try {
        return await call();
      } catch (error) {
        if (!worthRetrying(error)) throw error;
        await waitOrThrow(retries, detail, error);
      }
    }
  };

  /**
   * Creates: after a failure that may have been committed (5xx, dropped connection), look for the
   * result of the first attempt before trying again, so a retry never makes a duplicate.
   */
  const write = async <T>(
    detail: string,
    call: () => Promise<T>,
    findExisting: () => Promise<T | undefined>,
  ) => {
    let mayHaveCommitted = false;
    const retries = fresh();
    for (;;) {
      if (mayHaveCommitted) {
        const existing = await retried(`${detail}: re-list`, findExisting);
        if (existing !== undefined) return existing;
      }
      try {
        return await call();
      } catch (error) {
        await waitOrThrow(retries, detail, error);
        // Throttling answers are refused before any work is done; anything else may have gone through.
        mayHaveCommitted = mayHaveCommitted || !isThrottled(error);
      }
    }
  };

  return {
    getContainer: (c) => retried("get container", () => api.getContainer(c)),
    getContainerSnippet: (c) => retried("container snippet", () => api.getContainerSnippet(c)),
    updateContainer: (c, body, fingerprint) =>
      write(
        `update container ${c}`,
        () => api.updateContainer(c, body, fingerprint),
        // As for entities: a changed fingerprint means the first attempt (or someone) wrote it.
        async () => {
          const current = await api.getContainer(c);
          return current.fingerprint !== fingerprint ? current : undefined;
        },
      ),
    listWorkspaces: (c) => retried(`list workspaces`, () => api.listWorkspaces(c)),
    createWorkspace: (c, name, description) =>
      write(
        `create workspace ${name}`,
        () => api.createWorkspace(c, name, description),
        async () => (await api.listWorkspaces(c)).find((w) => w.name === name),
      ),
    getWorkspace: (ws) => retried(`get workspace ${ws}`, () => api.getWorkspace(ws)),
    // Guarded by the fingerprint: a repeat after a committed first attempt is refused (409), never
    // applied twice; the caller re-reads.
    updateWorkspace: (ws, body, fingerprint) =>
      retried(`update workspace ${ws}`, () => api.updateWorkspace(ws, body, fingerprint)),
    // Merging the same versions twice changes nothing: safe to repeat.
    syncWorkspace: (ws) => retried(`sync workspace ${ws}`, () => api.syncWorkspace(ws)),
    deleteWorkspace: (ws, guard) =>
      retried(`delete workspace ${ws}`, async () => {
        try {
          await api.deleteWorkspace(ws, guard);
        } catch (error) {
          if (error instanceof GtmApiError && error.status === 404) return; // already gone: the goal
          throw error;
        }
      }),
    getWorkspaceStatus: (ws) => retried("workspace status", () => api.getWorkspaceStatus(ws)),
    list: <K extends EntityKind>(kind: K, ws: string) => retried(`list ${kind}`, () => api.list(kind, ws)),
    create: <K extends EntityKind>(kind: K, ws: string, body: EntityOf<K>) =>
      write(
        `create ${kind} ${body.name}`,
        () => api.create(kind, ws, body),
        async () => (await api.list(kind, ws)).find((e) => e.name === body.name),
      ),
    update: <K extends EntityKind>(kind: K, path: string, body: EntityOf<K>, fingerprint: string) =>
      write(
        `update ${kind} ${body.name}`,
        () => api.update(kind, path, body, fingerprint),
        // A changed fingerprint means the first attempt (or someone) wrote it: re-planning decides.
        async () => {
          const workspace = path.replace(/\/(tags|triggers|variables)\/[^/]+$/, "");
          const current = (await api.list(kind, workspace)).find((e) => e.path === path);
          return current && current.fingerprint !== fingerprint ? current : undefined;
        },
      ),
    remove: (kind, path) =>
      retried(`delete ${path}`, async () => {
        try {
          await api.remove(kind, path);
        } catch (error) {
          // A retried delete whose first attempt went through answers 404: the goal is reached.
          if (error instanceof GtmApiError && error.status === 404) return;
          throw error;
        }
      }),
    // Several creates at once: after an ambiguous failure the caller reads the workspace back and
    // writes what is missing, so only throttling answers are retried here.
    bulkUpdate: (ws, changes) =>
      retried(`bulk update of ${changes.length} changes`, () => api.bulkUpdate(ws, changes), isThrottled),
    listTemplates: (ws) => retried("list templates", () => api.listTemplates(ws)),
    importTemplateFromGallery: (ws, gallery: GalleryCoordinates) =>
      write(
        `import template ${gallery.owner}/${gallery.repository}`,
        () => api.importTemplateFromGallery(ws, gallery),
        async () =>
          (await api.listTemplates(ws)).find(
            (t) =>
              t.galleryReference?.owner === gallery.owner &&
              t.galleryReference?.repository === gallery.repository,
          ),
      ),
    listBuiltInVariables: (ws) => retried("list built-in variables", () => api.listBuiltInVariables(ws)),
    enableBuiltInVariables: (ws, types) =>
      write(
        `enable built-in variables ${types.join(", ")}`,
        () => api.enableBuiltInVariables(ws, types),
        async () => {
          const enabled = await api.listBuiltInVariables(ws);
          return types.every((t) => enabled.some((b) => b.type === t)) ? enabled : undefined;
        },
      ),
    // The guard runs before every attempt (in the client, right before each request): a version made
    // meanwhile stops a retry after a wait as it stops the first attempt.
    createVersion: (ws, name, notes, guard) =>
      write(
        `create version ${name}`,
        () => api.createVersion(ws, name, notes, guard),
        async () => {
          const container = ws.replace(/\/workspaces\/[^/]+$/, "");
          const latest = await api.getLatestVersionHeader(container);
          if (latest?.name !== name || !latest.path) return undefined;
          return { containerVersion: await api.getVersion(latest.path), compilerError: false };
        },
      ),
    publishVersion: (path, options) => retried(`publish ${path}`, () => api.publishVersion(path, options)),
    getLiveVersion: (c) => retried("live version", () => api.getLiveVersion(c)),
    getLatestVersionHeader: (c) => retried("latest version header", () => api.getLatestVersionHeader(c)),
    getVersion: (p) => retried(`get version ${p}`, () => api.getVersion(p)),
  };
}

/** A clock whose sleeps advance time instantly: tests and the quota benchmark run in simulated time. */
export class SimulatedClock implements Clock {
  private time = 0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
}
