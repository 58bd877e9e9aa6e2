/**
 * Builds the GtmApi the CLI uses: the real client (Application Default Credentials, Tag Manager scopes)
 * behind the quota throttle, or, when `SGTM_GTM_ROOT_URL` points at a loopback server (the local fake),
 * the same client with no credentials and no throttle.
 */
import type { GtmApi } from "./api";
import { createGoogleapisGtmApi } from "./googleapis-api";
import {
  type Clock,
  QuotaLimiter,
  REAL_QUOTA,
  type ResilienceOptions,
  systemClock,
  withResilience,
} from "./resilient-api";

export const ROOT_URL_ENV_VAR = "SGTM_GTM_ROOT_URL";

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

export function isLoopback(rootUrl: string | undefined): boolean {
  if (!rootUrl) return false;
  try {
    const host = new URL(rootUrl).hostname;
    return host === "localhost" || host === "[::1]" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

export interface ConnectOptions {
  readonly rootUrl?: string;
  /**
   * Project whose Tag Manager API quota the calls use (`x-goog-user-project`); the infra stack enables
   * tagmanager.googleapis.com there. Default: the credentials' own quota project.
   */
  readonly quotaProject?: string;
  readonly clock?: Clock;
  readonly onWait?: ResilienceOptions["onWait"];
}

export async function connectGtm(options: ConnectOptions = {}): Promise<GtmApi> {
  const loopback = isLoopback(options.rootUrl);
  const auth = loopback ? undefined : await tagManagerAuth(options.quotaProject);
  // The quota applies to every non-loopback root: another server is assumed to be Google's. The
  // limiter sits before each HTTP request (every page of a list, every retry), not each method call.
  const limiter = loopback
    ? undefined
    : new QuotaLimiter(REAL_QUOTA, options.clock ?? systemClock, options.onWait);
  const raw = createGoogleapisGtmApi({
    rootUrl: options.rootUrl,
    ...(auth ? { auth } : {}),
    ...(limiter ? { beforeRequest: (description: string) => limiter.acquire(description) } : {}),
  });
  return withResilience(raw, { clock: options.clock, onWait: options.onWait });
}

/**
 * Application Default Credentials with the Tag Manager scopes, resolved here: missing credentials fail
 * once, before any request (the client would otherwise fail each request as if the connection had
 * dropped, and be retried). The quota project is set on the resolved client (GoogleAuth caches and
 * reuses it): credential files (user ADC, service account keys) overwrite `clientOptions.quotaProjectId`
 * with their own `quota_project_id`, even when they have none.
 */
export async function tagManagerAuth(quotaProject: string | undefined) {
  const { GoogleAuth } = await import("google-auth-library");
  const auth = new GoogleAuth({ scopes: [...TAG_MANAGER_SCOPES] });
  const client = await auth.getClient();
  if (quotaProject) client.quotaProjectId = quotaProject;
  return auth;
}
