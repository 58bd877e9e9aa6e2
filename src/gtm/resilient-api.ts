/**
 * Retries around any GtmApi, and the quota limiter the client puts before each HTTP request. The Tag
 * Manager API allows 25 requests per 100 s per project; the Node client retries only idempotent verbs
 * and ignores Retry-After. So the kit owns both: `QuotaLimiter`, a sliding window with an injected
 * clock (tests do not wait), wired before every request (each page, each retry) by `connect.ts`; and
 * `withResilience`, jittered exponential backoff on 429, rate-limit 403s, 5xx and dropped connections.
 * Writes are never retried blindly: after an ambiguous failure it re-reads and returns what the first
 * attempt may already have created. Quota and client behaviour: docs/facts/gtm-api-v2.md#quota-and-retries.
 */
import type { EntityKind, EntityOf, GalleryCoordinates, GtmApi } from "./api";
import { GtmApiError } from "./api";

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

export interface ResilienceOptions {
  readonly clock?: Clock;
  /** Attempts per call including the first. Default: 6. */
  readonly maxAttempts?: number;
  /** First backoff delay; doubles each attempt, full jitter. Default: 2 s (quota windows are long). */
  readonly baseDelayMs?: number;
  /** Random source for jitter (tests pass a fixed one). Default: Math.random. */
  readonly random?: () => number;
  /** Called before a retry waits, for progress output. */
  readonly onWait?: WaitListener;
}

/** Progress hook for waits: for quota (QuotaLimiter) or before a retry (withResilience). */
export type WaitListener = (event: {
  readonly reason: "quota" | "retry";
  readonly ms: number;
  readonly detail: string;
}) => void;

const RATE_LIMIT_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"]);

/** Failures worth another attempt: throttling, server errors, connections dropped. */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof GtmApiError)) return false;
  if (error.status === undefined) return true;
  if (error.status === 429 || error.status >= 500) return true;
  return error.status === 403 && error.reasons.some((r) => RATE_LIMIT_REASONS.has(r));
}

/** Throttling answers are refused before any work is done, so even a write may be repeated after one. */
function surelyNotCommitted(error: unknown): boolean {
  return error instanceof GtmApiError && (error.status === 429 || error.status === 403);
}

/** Sliding window: at most `requests` starts in any `windowMs`. */
export class QuotaLimiter {
  private readonly starts: number[] = [];
  constructor(
    private readonly quota: { readonly requests: number; readonly windowMs: number },
    private readonly clock: Clock,
    private readonly onWait?: WaitListener,
  ) {}

  async acquire(detail: string): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.starts.length > 0 && this.starts[0] <= now - this.quota.windowMs) this.starts.shift();
      if (this.starts.length < this.quota.requests) {
        this.starts.push(now);
        return;
      }
      const wait = this.starts[0] + this.quota.windowMs - now;
      this.onWait?.({ reason: "quota", ms: wait, detail });
      await this.clock.sleep(wait);
    }
  }
}

export function withResilience(api: GtmApi, options: ResilienceOptions = {}): GtmApi {
  const clock = options.clock ?? systemClock;
  const maxAttempts = options.maxAttempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 2_000;
  const random = options.random ?? Math.random;

  const backoff = async (attempt: number, detail: string, error: unknown) => {
    const ms = Math.round(random() * baseDelayMs * 2 ** (attempt - 1));
    const status = error instanceof GtmApiError ? (error.status ?? "connection dropped") : "error";
    options.onWait?.({ reason: "retry", ms, detail: `${detail} (${status})` });
    await clock.sleep(ms);
  };

  /** Reads, deletes and other idempotent calls: retry as is. */
  const idempotent = async <T>(detail: string, call: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!isRetryable(error) || attempt >= maxAttempts) throw error;
        await backoff(attempt, detail, error);
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
    for (let attempt = 1; ; attempt++) {
      if (mayHaveCommitted) {
        const existing = await idempotent(`${detail}: re-list`, findExisting);
        if (existing !== undefined) return existing;
      }
      try {
        return await call();
      } catch (error) {
        if (!isRetryable(error) || attempt >= maxAttempts) throw error;
        mayHaveCommitted = mayHaveCommitted || !surelyNotCommitted(error);
        await backoff(attempt, detail, error);
      }
    }
  };

  return {
    listWorkspaces: (c) => idempotent(`list workspaces`, () => api.listWorkspaces(c)),
    createWorkspace: (c, name, description) =>
      write(
        `create workspace ${name}`,
        () => api.createWorkspace(c, name, description),
        async () => (await api.listWorkspaces(c)).find((w) => w.name === name),
      ),
    getWorkspace: (ws) => idempotent(`get workspace ${ws}`, () => api.getWorkspace(ws)),
    // Guarded by the fingerprint: a repeat after a committed first attempt is refused (409), never
    // applied twice; the caller re-reads.
    updateWorkspace: (ws, body, fingerprint) =>
      idempotent(`update workspace ${ws}`, () => api.updateWorkspace(ws, body, fingerprint)),
    // Merging the same versions twice changes nothing: safe to repeat.
    syncWorkspace: (ws) => idempotent(`sync workspace ${ws}`, () => api.syncWorkspace(ws)),
    deleteWorkspace: (ws) =>
      idempotent(`delete workspace ${ws}`, async () => {
        try {
          await api.deleteWorkspace(ws);
        } catch (error) {
          if (error instanceof GtmApiError && error.status === 404) return; // already gone: the goal
          throw error;
        }
      }),
    getWorkspaceStatus: (ws) => idempotent("workspace status", () => api.getWorkspaceStatus(ws)),
    list: <K extends EntityKind>(kind: K, ws: string) => idempotent(`list ${kind}`, () => api.list(kind, ws)),
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
      idempotent(`delete ${path}`, async () => {
        try {
          await api.remove(kind, path);
        } catch (error) {
          // A retried delete whose first attempt went through answers 404: the goal is reached.
          if (error instanceof GtmApiError && error.status === 404) return;
          throw error;
        }
      }),
    listTemplates: (ws) => idempotent("list templates", () => api.listTemplates(ws)),
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
    listBuiltInVariables: (ws) => idempotent("list built-in variables", () => api.listBuiltInVariables(ws)),
    enableBuiltInVariables: (ws, types) =>
      write(
        `enable built-in variables ${types.join(", ")}`,
        () => api.enableBuiltInVariables(ws, types),
        async () => {
          const enabled = await api.listBuiltInVariables(ws);
          return types.every((t) => enabled.some((b) => b.type === t)) ? enabled : undefined;
        },
      ),
    createVersion: (ws, name, notes) =>
      write(
        `create version ${name}`,
        () => api.createVersion(ws, name, notes),
        async () => {
          const container = ws.replace(/\/workspaces\/[^/]+$/, "");
          const latest = await api.getLatestVersionHeader(container);
          if (latest?.name !== name || !latest.path) return undefined;
          return { containerVersion: await api.getVersion(latest.path), compilerError: false };
        },
      ),
    publishVersion: (path, fingerprint) =>
      idempotent(`publish ${path}`, () => api.publishVersion(path, fingerprint)),
    getLiveVersion: (c) => idempotent("live version", () => api.getLiveVersion(c)),
    getLatestVersionHeader: (c) => idempotent("latest version header", () => api.getLatestVersionHeader(c)),
    getVersion: (p) => idempotent(`get version ${p}`, () => api.getVersion(p)),
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
