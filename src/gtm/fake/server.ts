/**
 * A local fake of the Tag Manager API v2 REST protocol (node:http only) that the real
 * `@googleapis/tagmanager` client drives through `rootUrl`. It routes the exact URLs the client sends
 * (custom verbs after a colon, repeated `type=`), pages every list, and lets tests inject faults and
 * count calls. The semantics live in `state.ts`; what is unverified about the real API is listed in
 * README.md next to this file.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeApiError, googleErrorBody, invalid, notFound } from "./errors";
import { type GalleryEntry, TIKTOK_GALLERY_ENTRY } from "./gallery";
import { buildRoutes, type Route } from "./routes";
import { type BehindOnCreateVersion, FakeTagManagerState } from "./state";

export type FaultKind =
  | "400"
  | "429"
  | "429-daily"
  | "403-daily"
  | "403-rate"
  | "403-scopes"
  | "500"
  | "503"
  | "drop"
  | "drop-after-commit"
  | "stall";

export interface RecordedRequest {
  readonly method: string;
  /** Resource path as the client addresses it, custom verb included: `accounts/1/.../workspaces/3:create_version`. */
  readonly path: string;
  /** Query parameters; repeated ones (`type=a&type=b`) keep every value. */
  readonly query: Readonly<Record<string, readonly string[]>>;
  /** Parsed JSON body, if any. */
  readonly body?: unknown;
  /** The fault applied to this request, if one matched. */
  fault?: FaultKind;
  /** Answered 429 by the server-side quota (`FakeTagManagerOptions.quota`). */
  overQuota?: true;
}

export interface FaultRule {
  /** Which requests the fault hits; all of them when absent. */
  readonly match?: (request: RecordedRequest) => boolean;
  /**
   * `400`: an invalid-value refusal that, like Google's, quotes the request body. `429`, `500`,
   * `503`: that status with a Google error body. `403-rate`: 403 with reason
   * `rateLimitExceeded` (what the docs promise for quota). `429-daily`, `403-daily`: the project's
   * daily quota used up, in Google's two shapes ("... limit 'Queries per day' ..."; reason
   * `dailyLimitExceeded`, "Daily Limit Exceeded"). `403-scopes`: the 403 Google answers a token
   * without the Tag Manager scopes (reason `insufficientPermissions`). `drop`: the socket is destroyed before
   * anything happens. `drop-after-commit`: the request takes effect, then the socket is destroyed
   * without an answer (a create the client cannot know succeeded). `stall`: the request is read and
   * never answered, the connection held open (a server or proxy that hangs) until the client gives up.
   */
  readonly kind: FaultKind;
  /** How many matching requests it hits before it is removed (default 1; `Infinity` for all). */
  times?: number;
}

export interface FakeTagManagerOptions {
  /** Entries per list page (default 2, so every client exercises `nextPageToken`). */
  readonly pageSize?: number;
  /** Gallery templates `import_from_gallery` knows (default: the TikTok Events API fixture). */
  readonly gallery?: readonly GalleryEntry[];
  /** Default 3, the free tier's limit. */
  readonly maxWorkspacesPerContainer?: number;
  /** Whether a second workspace of an existing name is refused (unverified; default true). */
  readonly uniqueWorkspaceNames?: boolean;
  /** What `create_version` does with a workspace behind the latest version (default `sync`). */
  readonly behindOnCreateVersion?: BehindOnCreateVersion;
  /** Address to listen on (default 127.0.0.1). The fake has no authentication: keep it on loopback. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Answer `bulk_update` (default true); `false` answers 404, as a server without the method would. */
  readonly bulkUpdate?: boolean;
  /**
   * A server-side quota, as Google enforces per project: at most `requests` in any `windowMs`, read on
   * `clock` (tests pass the SimulatedClock the client sleeps on), 429 beyond. Default: none.
   */
  readonly quota?: { readonly requests: number; readonly windowMs: number; readonly clock: FakeClock };
}

/** What the quota reads the time from: the system clock, or a test's simulated one. */
export interface FakeClock {
  now(): number;
}

/**
 * The server's sliding window. Refused requests count too (unverified; the harsher choice: a client
 * that keeps knocking keeps itself out), so only a client that waits for the window gets through.
 */
export class FakeQuota {
  private readonly starts: number[] = [];
  constructor(
    readonly limit: { readonly requests: number; readonly windowMs: number; readonly clock: FakeClock },
  ) {}

  /** Counts a request now; true when it is within the quota. */
  admit(): boolean {
    const now = this.limit.clock.now();
    while (this.starts.length > 0 && this.starts[0] <= now - this.limit.windowMs) this.starts.shift();
    const within = this.starts.length < this.limit.requests;
    this.starts.push(now);
    return within;
  }

  /** `n` requests of another client on the same project, now (other tools, parallel environments). */
  use(n: number): void {
    for (let i = 0; i < n; i++) this.admit();
  }

  reset(): void {
    this.starts.length = 0;
  }
}

export interface FakeTagManager {
  /** Pass to `tagmanager({ version: "v2", rootUrl })`. Ends with a slash. */
  readonly rootUrl: string;
  readonly state: FakeTagManagerState;
  /** Push rules to inject faults; they apply in order, first match wins. */
  readonly faults: FaultRule[];
  /** Every request received, in order (faulted ones included). */
  readonly requests: RecordedRequest[];
  /** What the fake implements; tests may switch a method off (`bulkUpdate: false`) between runs. */
  readonly features: { bulkUpdate: boolean };
  /** The server-side quota, when the options set one. */
  readonly quota?: FakeQuota;
  /** Empties state, faults and the request log. */
  reset(): void;
  close(): Promise<void>;
}

/** A `FaultRule.match` for a method and a path (exact string, or a pattern tested against it). */
export function matching(method: string, path: string | RegExp): (request: RecordedRequest) => boolean {
  return (request) =>
    request.method === method && (typeof path === "string" ? request.path === path : path.test(request.path));
}

export async function startFakeTagManager(options: FakeTagManagerOptions = {}): Promise<FakeTagManager> {
  const state = new FakeTagManagerState({
    gallery: options.gallery ?? [TIKTOK_GALLERY_ENTRY],
    maxWorkspacesPerContainer: options.maxWorkspacesPerContainer ?? 3,
    uniqueWorkspaceNames: options.uniqueWorkspaceNames ?? true,
    behindOnCreateVersion: options.behindOnCreateVersion ?? "sync",
  });
  const faults: FaultRule[] = [];
  const requests: RecordedRequest[] = [];
  const features = { bulkUpdate: options.bulkUpdate ?? true };
  const quota = options.quota ? new FakeQuota(options.quota) : undefined;
  const routes = buildRoutes(state, options.pageSize ?? 2, features);
  const server = createServer((req, res) => {
    handle(req, res, { routes, faults, requests, quota }).catch((error: unknown) => {
      send(res, {
        status: 500,
        body: googleErrorBody(500, `Fake failure: ${String(error)}`, "backendError"),
      });
    });
  });
  const address = await listen(server, options.host ?? "127.0.0.1", options.port ?? 0);
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    rootUrl: `http://${host}:${address.port}/`,
    state,
    faults,
    requests,
    features,
    ...(quota ? { quota } : {}),
    reset() {
      state.reset();
      faults.length = 0;
      requests.length = 0;
      quota?.reset();
    },
    close: () => closeServer(server),
  };
}

// ---- request handling ---------------------------------------------------------------------------

interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

interface HandlerContext {
  readonly routes: readonly Route[];
  readonly faults: FaultRule[];
  readonly requests: RecordedRequest[];
  readonly quota?: FakeQuota;
}

const QUOTA_EXCEEDED: Reply = {
  status: 429,
  body: googleErrorBody(
    429,
    "Quota exceeded for quota metric 'Queries' and limit 'Queries per 100 seconds' of service 'tagmanager.googleapis.com' (fake).",
    "rateLimitExceeded",
  ),
};

const API_PREFIX = "/tagmanager/v2/";

async function handle(req: IncomingMessage, res: ServerResponse, ctx: HandlerContext): Promise<void> {
  const url = new URL(req.url ?? "/", "http://fake");
  const text = await readBody(req);
  const parsed = parseJson(text);
  const request: RecordedRequest = {
    method: req.method ?? "GET",
    path: decodeURIComponent(url.pathname).replace(API_PREFIX, ""),
    query: queryOf(url),
    ...(parsed.ok && parsed.value !== undefined ? { body: parsed.value } : {}),
  };
  ctx.requests.push(request);
  // The quota answers before anything else runs, injected faults included.
  if (ctx.quota && !ctx.quota.admit()) {
    request.overQuota = true;
    return send(res, QUOTA_EXCEEDED);
  }
  const fault = takeFault(ctx.faults, request);
  if (fault) request.fault = fault;
  if (fault === "drop") return void req.socket.destroy();
  if (fault === "stall") return;
  if (fault && fault !== "drop-after-commit") return send(res, faultReply(fault, request));
  const reply = !url.pathname.startsWith(API_PREFIX)
    ? errorReply(notFound(`Not found: ${url.pathname}`))
    : parsed.ok
      ? dispatch(ctx.routes, request)
      : errorReply(invalid("Invalid JSON payload received."));
  if (fault === "drop-after-commit") return void req.socket.destroy();
  send(res, reply);
}

function takeFault(faults: FaultRule[], request: RecordedRequest): FaultKind | undefined {
  const index = faults.findIndex((rule) => rule.match?.(request) ?? true);
  if (index < 0) return undefined;
  const rule = faults[index];
  rule.times = (rule.times ?? 1) - 1;
  if (rule.times <= 0) faults.splice(index, 1);
  return rule.kind;
}

function faultReply(
  kind: Exclude<FaultKind, "drop" | "drop-after-commit" | "stall">,
  request: RecordedRequest,
): Reply {
  if (kind === "400") return errorReply(quotingRequest(invalid("Invalid value (fake)."), request));
  const replies: Record<Exclude<typeof kind, "400">, Reply> = {
    "429": { status: 429, body: googleErrorBody(429, "Quota exceeded (fake).", "rateLimitExceeded") },
    "429-daily": {
      status: 429,
      body: googleErrorBody(
        429,
        "Quota exceeded for quota metric 'Queries' and limit 'Queries per day' of service 'tagmanager.googleapis.com' for consumer 'project_number:1234' (fake).",
        "rateLimitExceeded",
      ),
    },
    "403-daily": { status: 403, body: googleErrorBody(403, "Daily Limit Exceeded", "dailyLimitExceeded") },
    "403-rate": {
      status: 403,
      body: googleErrorBody(403, "Quota exceeded for quota metric 'Queries' (fake).", "rateLimitExceeded"),
    },
    "403-scopes": {
      status: 403,
      body: googleErrorBody(
        403,
        "Request had insufficient authentication scopes.",
        "insufficientPermissions",
      ),
    },
    "500": { status: 500, body: googleErrorBody(500, "Internal error encountered (fake).", "backendError") },
    "503": {
      status: 503,
      body: googleErrorBody(503, "The service is currently unavailable (fake).", "backendError"),
    },
  };
  return replies[kind];
}

function dispatch(routes: readonly Route[], request: RecordedRequest): Reply {
  for (const route of routes) {
    const match = route.method === request.method ? route.pattern.exec(request.path) : null;
    if (!match) continue;
    try {
      const result = route.run(match, request);
      return result === undefined ? { status: 204 } : { status: 200, body: result };
    } catch (error) {
      if (error instanceof FakeApiError) return errorReply(quotingRequest(error, request));
      throw error;
    }
  }
  return errorReply(notFound(`Not found: ${request.method} ${request.path}`));
}

function errorReply(error: FakeApiError): Reply {
  return { status: error.code, body: error.toBody() };
}

/**
 * Google's 400 for a write quotes the request body it refused (`Invalid value ... {"name": ...,
 * "value": "<token>"}`), secrets included: the fake does the same, so a client that prints API errors
 * as they come shows what it would show in production.
 */
function quotingRequest(error: FakeApiError, request: RecordedRequest): FakeApiError {
  if (error.code !== 400 || request.body === undefined) return error;
  return new FakeApiError(
    error.code,
    `${error.message} Invalid value: ${JSON.stringify(request.body)}`,
    error.reason,
  );
}

// ---- plumbing -----------------------------------------------------------------------------------

function queryOf(url: URL): Record<string, string[]> {
  const query: Record<string, string[]> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key);
  return query;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status).end();
    return;
  }
  res
    .writeHead(reply.status, { "content-type": "application/json; charset=UTF-8" })
    .end(JSON.stringify(reply.body));
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
