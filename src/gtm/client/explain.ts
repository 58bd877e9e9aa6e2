/**
 * What a failure of the Tag Manager API means for the person running the kit, and what to do: the
 * login command with the Tag Manager scopes when there are no credentials, the config key when the
 * container is unknown, the GTM permission when access is denied, the network when the API cannot be
 * reached. Anything else is passed on unchanged (the CLI reports it as an unexpected error, exit 1).
 */
import type { EnvironmentConfig } from "../../config/model";
import { UserError } from "../../errors/report";
import { GOOGLE_CREDENTIAL_ORDER } from "../../naming/variables";
import { GtmApiError } from "../core/api";
import {
  GOOGLE_ROOT_URL,
  isLoopback,
  TAG_MANAGER_LOGIN_COMMAND as LOGIN_COMMAND,
  nothingAnswers,
  ROOT_URL_ENV_VAR,
} from "./connect";
import { isDailyQuotaExhausted } from "./daily-quota";
import { explainDeadline } from "./explain-deadline";

export interface GtmFailureContext {
  readonly env: EnvironmentConfig;
  /** What the run needed: reading (plan), or writing and versioning (apply), and publishing. */
  readonly action: "plan" | "apply";
  readonly publish?: boolean;
  /** `SGTM_GTM_ROOT_URL`, when set. */
  readonly rootUrl?: string;
}

const RATE_LIMIT_REASONS = ["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"];
const SERVICE_DISABLED = /has not been used in project|is disabled|SERVICE_DISABLED|accessNotConfigured/i;
const SCOPES_MISSING = /insufficient.*scope|ACCESS_TOKEN_SCOPE_INSUFFICIENT|insufficientPermissions/i;
const CREDENTIALS_MISSING = /Could not load the default credentials/;
const CREDENTIALS_REFUSED =
  /invalid_grant|invalid_rapt|reauth|Request had invalid authentication credentials/i;

/** Credentials could not be found at all: how to log in, with the scopes the kit asks for. */
export function missingCredentials(detail: string): UserError {
  return new UserError(
    [
      `no Google credentials for the Tag Manager API (${firstLine(detail)}).`,
      "Log in with the Tag Manager scopes:",
      `  ${LOGIN_COMMAND}`,
      `or give a service account key or token: the kit looks, in this order, at ${GOOGLE_CREDENTIAL_ORDER}. Either identity needs access to the container in GTM's user management (Admin > Container User Management).`,
    ].join("\n"),
  );
}

/** The UserError that explains `error`, or `error` itself when there is nothing better to say. */
export function explainGtmFailure(error: unknown, ctx: GtmFailureContext): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (CREDENTIALS_MISSING.test(message)) return missingCredentials(message);
  const late = explainDeadline(error, ctx);
  if (late) return late;
  if (!(error instanceof GtmApiError)) return error;
  const { env } = ctx;
  const container = `accounts/${env.gtm.accountId}/containers/${env.gtm.containerId}`;
  const files = env.sourceFiles.join(" or ");
  const configKeys = `gtm.containerId ("${env.gtm.containerId}") and gtm.accountId ("${env.gtm.accountId}") in ${files}`;
  const permission = permissionNeeded(ctx);

  if (error.status === undefined) return unreachable(error, ctx.rootUrl);
  if (error.status === 401 || CREDENTIALS_REFUSED.test(message)) {
    return new UserError(
      `the Tag Manager API refused the credentials (${message}): log in again with the Tag Manager scopes:\n  ${LOGIN_COMMAND}`,
    );
  }
  if (isDailyQuotaExhausted(error)) {
    return new UserError(
      `daily quota of project ${env.gcp.project} exhausted; it resets at midnight Pacific time (the Tag Manager API allows 10,000 requests a day per project, shared by every tool and environment billing it: ${message}). Run again after that; nothing is lost, the next run picks up where this one stopped.`,
    );
  }
  if (error.status === 429 || error.reasons.some((r) => RATE_LIMIT_REASONS.includes(r))) {
    return new UserError(
      `the Tag Manager API quota of project ${env.gcp.project} (25 requests per 100 s, shared by every tool and environment billing it) stayed exhausted through every retry (${message}). Nothing is lost: run again later; the next run picks up where this one stopped.`,
    );
  }
  if (error.status === 403 && SERVICE_DISABLED.test(message)) {
    return new UserError(
      `the Tag Manager API is not enabled in project ${env.gcp.project}, which the calls bill (${message}). Deploy the environment's stack (it enables tagmanager.googleapis.com), or: gcloud services enable tagmanager.googleapis.com --project ${env.gcp.project}`,
    );
  }
  if (error.status === 403 && SCOPES_MISSING.test(message)) {
    return new UserError(
      `the credentials lack the Tag Manager scopes (${message}): log in with them:\n  ${LOGIN_COMMAND}`,
    );
  }
  const onContainer = error.path === container || error.path.startsWith(`${container}/`);
  if (error.status === 404 && onContainer && !error.path.startsWith(`${container}/workspaces/`)) {
    return new UserError(
      `the Tag Manager API does not know container ${container} (${message}). Check ${configKeys}: gtm.containerId is the numeric id from the GTM URL (.../containers/<id>), not the public id GTM-XXXX; the identity also needs ${permission} on it.`,
    );
  }
  if (error.status === 403) {
    return new UserError(
      `permission denied on ${onContainer ? `container ${container}` : error.path} (${message}). The identity needs ${permission} on the container in GTM's user management (Admin > Container User Management), and serviceusage.services.use on project ${env.gcp.project}, which the calls bill. Check ${configKeys} too.`,
    );
  }
  return error;
}

/** What the system said when no connection was made, in words (the code stays, for searching). */
const TRANSPORT_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name does not resolve (DNS lookup failed)",
  ETIMEDOUT: "connection timed out",
  ENETUNREACH: "network unreachable",
  EHOSTUNREACH: "host unreachable",
};

/**
 * No response at all (the request and its retries): the local fake is not running, or the network to
 * Google (or to the server SGTM_GTM_ROOT_URL names) is down. Says where, what was tried, and the fix.
 */
function unreachable(error: GtmApiError, rootUrl: string | undefined): UserError {
  const code = /\b(E[A-Z_]{3,})\b/.exec(error.message)?.[1];
  const what = code ? `${TRANSPORT_WORDS[code] ?? "no connection"} (${code})` : "no response";
  const tried = `${error.method} ${error.path}, retried`;
  if (isLoopback(rootUrl) && rootUrl) return nothingAnswers(rootUrl, `${what} for ${tried}`);
  const where = rootUrl
    ? `the server ${ROOT_URL_ENV_VAR} names (${rootUrl})`
    : `Google's Tag Manager API (${GOOGLE_ROOT_URL})`;
  const fix = rootUrl
    ? `check that it runs and is reachable, or unset ${ROOT_URL_ENV_VAR} to use Google's API`
    : "the network is down or does not let this machine reach Google's APIs: check the connection (the kit's client does not use HTTPS_PROXY), then run again";
  return new UserError(`cannot reach ${where}: ${what} for ${tried}. ${capitalised(fix)}.`);
}

function capitalised(text: string): string {
  return `${text[0].toUpperCase()}${text.slice(1)}`;
}

/** GTM's container permissions: Read to plan; Approve to create versions; Publish to publish them. */
function permissionNeeded(ctx: GtmFailureContext): string {
  if (ctx.action === "plan") return "Read permission";
  return ctx.publish ? "Publish permission" : "Approve permission (Publish, to publish)";
}

function firstLine(text: string): string {
  return text.split("\n")[0];
}
