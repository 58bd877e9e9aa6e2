/**
 * Builds the GtmApi the CLI uses: the real client (Application Default Credentials, Tag Manager scopes)
 * behind the quota throttle, or, when `SGTM_GTM_ROOT_URL` points at a loopback server (the local fake),
 * the same client with no credentials and no throttle.
 */
import { UserError } from "../../errors/report";
import type { GtmApi } from "../core/api";
import { DEFAULT_DEADLINES, type Deadlines, RunDeadline } from "./deadline";
import { createGoogleapisGtmApi } from "./googleapis";
import {
  type Clock,
  QuotaLimiter,
  REAL_QUOTA,
  type ResilienceOptions,
  systemClock,
  withResilience,
} from "./resilient";

export const ROOT_URL_ENV_VAR = "SGTM_GTM_ROOT_URL";
/** Where the client sends requests without `SGTM_GTM_ROOT_URL` (its default root), as messages name it. */
export const GOOGLE_ROOT_URL = "https://tagmanager.googleapis.com/";

/**
 * Scopes the kit asks ADC for. The identity also needs, inside GTM, Edit on the container (workspace
 * changes, versions) and Publish on it (user management in the GTM UI, not IAM). See
 * docs/facts/gtm-api-v2.md#authorization.
 */
export const TAG_MANAGER_SCOPES = [
  "https://www.googleapis.com/auth/tagmanager.edit.containers",
  "https://www.googleapis.com/auth/tagmanager.edit.containerversions",
  "https://www.googleapis.com/auth/tagmanager.publish",
] as const;

/**
 * The Application Default Credentials login that serves the whole kit: Google Cloud (Terraform, Secret
 * Manager) and the Tag Manager scopes (a plain `gcloud auth application-default login` grants only
 * cloud-platform, which Tag Manager does not accept).
 */
export const TAG_MANAGER_LOGIN_COMMAND = `gcloud auth application-default login --scopes ${[
  "https://www.googleapis.com/auth/cloud-platform",
  ...TAG_MANAGER_SCOPES,
].join(",")}`;

/**
 * Who the calls run as. Default: Application Default Credentials. `sgtm bootstrap` passes the identity
 * Terraform's google provider uses (a service account key, or a bare access token whose scopes are
 * whatever it was issued with).
 */
export type TagManagerIdentity =
  | { readonly kind: "adc" }
  | { readonly kind: "key"; readonly key: Record<string, unknown> }
  | { readonly kind: "access-token"; readonly token: string };

export function isLoopback(rootUrl: string | undefined): boolean {
  if (!rootUrl) return false;
  try {
    const host = new URL(rootUrl).hostname;
    return host === "localhost" || host === "[::1]" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** How long a loopback server may take to accept a connection: it is on this machine. */
const LOOPBACK_CONNECT_TIMEOUT_MS = 2000;

/** What to do when nothing serves the loopback `SGTM_GTM_ROOT_URL`: start the fake, or use Google's API. */
export function nothingAnswers(rootUrl: string, detail?: string): UserError {
  return new UserError(
    `nothing answers at ${ROOT_URL_ENV_VAR} (${rootUrl})${detail ? `: ${detail}` : ""}. Start it with \`npx sgtm fake\` (in another shell), or unset ${ROOT_URL_ENV_VAR} to use Google's API.`,
  );
}

/** Opens (and closes) one TCP connection to the root's host and port; UserError when none is accepted. */
async function expectAnswerAt(rootUrl: string): Promise<void> {
  const url = new URL(rootUrl);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const { connect } = await import("node:net");
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(LOOPBACK_CONNECT_TIMEOUT_MS);
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(nothingAnswers(rootUrl, `no connection within ${LOOPBACK_CONNECT_TIMEOUT_MS / 1000} s`));
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      socket.destroy();
      reject(nothingAnswers(rootUrl, error.code === "ECONNREFUSED" ? "connection refused" : error.message));
    });
  });
}

/** One limiter per quota project for the whole process: every request billed to it shares its window. */
const processLimiters = new Map<string, QuotaLimiter>();

/** The process's limiter for `quotaProject` (on the system clock), created on first use. */
export function processQuotaLimiter(quotaProject: string | undefined): QuotaLimiter {
  const key = quotaProject ?? "";
  let limiter = processLimiters.get(key);
  if (!limiter) {
    limiter = new QuotaLimiter(REAL_QUOTA, systemClock);
    processLimiters.set(key, limiter);
  }
  return limiter;
}

export interface ConnectOptions {
  readonly rootUrl?: string;
  /**
   * Project whose Tag Manager API quota the calls use (`x-goog-user-project`); the infra stack enables
   * tagmanager.googleapis.com there. Default: the credentials' own quota project.
   */
  readonly quotaProject?: string;
  /** Default: Application Default Credentials. Unused for a loopback root. */
  readonly identity?: TagManagerIdentity;
  readonly clock?: Clock;
  readonly onWait?: ResilienceOptions["onWait"];
  /**
   * The limiter before every request. Default: the process's own for the quota project (with `clock`
   * given, a new one on that clock); none for a loopback root.
   */
  readonly limiter?: QuotaLimiter;
  /** Per request and for the run (from connecting on, on `clock`); default `DEFAULT_DEADLINES`. */
  readonly deadlines?: Deadlines;
}

export async function connectGtm(options: ConnectOptions = {}): Promise<GtmApi> {
  const loopback = isLoopback(options.rootUrl);
  // The local fake not running is the usual case here: say so at once instead of retrying for half a
  // minute against a refused connection.
  if (loopback && options.rootUrl) await expectAnswerAt(options.rootUrl);
  const auth = loopback ? undefined : await tagManagerAuth(options.quotaProject, options.identity);
  // The quota applies to every non-loopback root: another server is assumed to be Google's. The
  // limiter sits before each HTTP request (every page of a list, every retry), not each method call.
  const limiter =
    options.limiter ??
    (loopback
      ? undefined
      : options.clock
        ? new QuotaLimiter(REAL_QUOTA, options.clock)
        : processQuotaLimiter(options.quotaProject));
  const onWait = options.onWait;
  const clock = limiter?.clock ?? options.clock ?? systemClock;
  const deadlines = options.deadlines ?? DEFAULT_DEADLINES;
  const deadline = new RunDeadline(clock, deadlines.runMs);
  const raw = createGoogleapisGtmApi({
    rootUrl: options.rootUrl,
    ...(auth ? { auth } : {}),
    timeoutMs: deadlines.requestMs,
    ...(limiter
      ? { beforeRequest: (description: string) => limiter.acquire(description, onWait, deadline) }
      : {}),
  });
  return withResilience(raw, { clock, onWait, limiter, deadline });
}

/**
 * The identity's credentials with the Tag Manager scopes (Application Default Credentials unless told
 * otherwise), resolved here: missing credentials fail once, before any request (the client would
 * otherwise fail each request as if the connection had dropped, and be retried). The quota project is
 * set on the resolved client (GoogleAuth caches and reuses it): credential files (user ADC, service
 * account keys) overwrite `clientOptions.quotaProjectId` with their own `quota_project_id`, even when
 * they have none.
 */
export async function tagManagerAuth(
  quotaProject: string | undefined,
  identity: TagManagerIdentity = { kind: "adc" },
) {
  const { GoogleAuth, OAuth2Client } = await import("google-auth-library");
  let tokenClient: InstanceType<typeof OAuth2Client> | undefined;
  if (identity.kind === "access-token") {
    // A bare token, sent as is: its scopes were fixed when it was issued.
    tokenClient = new OAuth2Client();
    tokenClient.setCredentials({ access_token: identity.token });
  }
  const auth = new GoogleAuth({
    scopes: [...TAG_MANAGER_SCOPES],
    ...(identity.kind === "key" ? { credentials: identity.key } : {}),
    ...(tokenClient ? { authClient: tokenClient } : {}),
  });
  const client = await auth.getClient();
  if (quotaProject) client.quotaProjectId = quotaProject;
  return auth;
}
