/**
 * How a failed remote call becomes a failed check: one error type for the adapters, and the wording of
 * the failures every Google call shares (credentials, permission, timeout, network). A check adds what
 * only it knows (what a 404 means for its resource, which role a 403 lacks).
 */
import { TAG_MANAGER_LOGIN_COMMAND } from "../gtm/client/connect";
import type { CheckOutcome } from "./types";

export type RemoteFailureKind = "credentials" | "http" | "timeout" | "network" | "format";

/** A remote call that did not give an answer the check can judge. Never carries a secret. */
export class RemoteCallError extends Error {
  constructor(
    message: string,
    readonly kind: RemoteFailureKind,
    /** The HTTP status, for `http`. */
    readonly status?: number,
  ) {
    super(message);
    this.name = "RemoteCallError";
  }
}

/** One login that serves every call doctor makes: Google Cloud and the Tag Manager scopes. */
export const GOOGLE_LOGIN_FIX = [
  `log in: ${TAG_MANAGER_LOGIN_COMMAND}`,
  "(Google Cloud reads also accept GOOGLE_OAUTH_ACCESS_TOKEN or a key in GOOGLE_CREDENTIALS / GOOGLE_APPLICATION_CREDENTIALS), then run doctor again",
].join("\n");

export interface GoogleFailureContext {
  /** What was read, e.g. `global address sgtm-acme-production-ip (project acme-sgtm-prod)`. */
  readonly what: string;
  /** Detail and fix when the resource does not exist. */
  readonly notFound: { readonly detail: string; readonly fix: string };
  /** What the identity running doctor needs when the call is denied. */
  readonly permission: string;
}

/** A failed check for a failed Google call (Compute, Certificate Manager, Secret Manager, Tag Manager). */
export function googleFailure(error: unknown, context: GoogleFailureContext): CheckOutcome {
  const status = statusOf(error);
  const message = firstLine(error);
  const fail = (detail: string, fix: string): CheckOutcome => ({ status: "fail", detail, fix });
  if (isCredentialsFailure(error) || status === 401) {
    return fail(`${context.what}: no usable Google credentials (${message})`, GOOGLE_LOGIN_FIX);
  }
  if (status === 404) return fail(context.notFound.detail, context.notFound.fix);
  if (status === 403) return fail(`${context.what}: permission denied (${message})`, context.permission);
  return transportFailure(error, context.what, "Google's API");
}

/** Timeouts, unreachable hosts, 5xx and anything else: the parts every remote check words alike. */
export function transportFailure(error: unknown, what: string, service: string): CheckOutcome {
  const message = firstLine(error);
  const kind = error instanceof RemoteCallError ? error.kind : undefined;
  const status = statusOf(error);
  if (kind === "timeout") {
    return {
      status: "fail",
      detail: `${what}: ${service} did not answer in time (${message})`,
      fix: "run doctor again; if it keeps timing out, check this machine's network or proxy",
    };
  }
  if (kind === "network") {
    return {
      status: "fail",
      detail: `${what}: ${service} could not be reached (${message})`,
      fix: "check this machine's network, proxy and DNS, then run doctor again",
    };
  }
  if (status !== undefined && status >= 500) {
    return {
      status: "fail",
      detail: `${what}: ${service} failed with HTTP ${status} (${message})`,
      fix: `${service} is failing, not your setup: run doctor again later`,
    };
  }
  return {
    status: "fail",
    detail: `${what}: ${message}`,
    fix: "run doctor again; if the problem stays, run it with SGTM_DEBUG=1 and report the message",
  };
}

export function isCredentialsFailure(error: unknown): boolean {
  if (error instanceof RemoteCallError) return error.kind === "credentials";
  return /Could not load the default credentials|invalid_grant|invalid_rapt|Could not refresh access token|No access, refresh token|credentials/i.test(
    firstLine(error),
  );
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === "number" ? status : undefined;
}

/** The first line of an error's message: client libraries append request dumps below it. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0].trim() || (error instanceof Error ? error.name : "unknown error");
}

/** Node's error code (`ENOTFOUND`, `ERR_TLS_CERT_ALTNAME_INVALID`, ...), when there is one. */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}
