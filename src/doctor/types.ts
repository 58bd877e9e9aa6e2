/**
 * What `sgtm doctor` checks with, and what a check answers. Every remote call goes through one of the
 * small interfaces below: the CLI builds the real ones (`adapters`), tests pass local stand-ins.
 */
import type { tagmanager_v2 } from "@googleapis/tagmanager";
import type { EnvironmentConfig } from "../config/model";
import type { SecretValue, TokenOverride } from "../gtm/client/access-token";
import type { ContainerVersion } from "../gtm/core/api";

/** How long any remote call of doctor may take. */
export const REMOTE_TIMEOUT_MS = 10_000;
/** How doctor's requests introduce themselves (HTTPS probes, the test event's `user.user_agent`). */
export const DOCTOR_USER_AGENT = "sgtm-tiktok-kit doctor";

export type CheckStatus = "pass" | "fail" | "skip";

/** One line of the report; `fix` says what to do (empty for a pass). Part of the `--json` contract. */
export interface CheckResult {
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
  readonly fix: string;
}

export type CheckOutcome = Omit<CheckResult, "name">;

/** `resolve4`: the A records of a host. Rejects with Node's DNS error codes (ENOTFOUND, ENODATA, ...). */
export interface DnsResolver {
  resolveA(host: string): Promise<string[]>;
}

export interface HttpsRequest {
  /** Host name or IP address to connect to; a name is also the TLS server name. */
  readonly connect: string;
  readonly path: string;
  /** The `Host` header; default `connect`. */
  readonly hostHeader?: string;
  /** Verify the certificate against `connect` (off only for routing probes of the bare address). */
  readonly verifyCertificate: boolean;
}

export interface HttpsAnswer {
  readonly status: number;
  /** The start of the body (a few KiB at most). */
  readonly body: string;
}

/** An HTTPS GET. Rejects with Node's error codes (ENOTFOUND, ECONNREFUSED, ERR_TLS_*, ...) or ETIMEDOUT. */
export interface HttpsProbe {
  get(request: HttpsRequest): Promise<HttpsAnswer>;
}

export type CertificateKind = EnvironmentConfig["domain"]["certificates"];

export interface CertificateStatus {
  /** Compute: `ACTIVE`, `PROVISIONING`, `PROVISIONING_FAILED`, `PROVISIONING_FAILED_PERMANENTLY`, `RENEWAL_FAILED`; Certificate Manager: `ACTIVE`, `PROVISIONING`, `FAILED`. */
  readonly state: string;
  /** Per domain: Compute's `domainStatus`, or Certificate Manager's authorization state and reason. */
  readonly domains: Readonly<Record<string, string>>;
  /** Certificate Manager's `provisioningIssue` (reason and details), when it gives one. */
  readonly issue?: string;
}

/** Reads of the stack's load balancer resources. Reject with a `RemoteCallError` (404 when absent). */
export interface CloudReader {
  /** The IP address of a global address. */
  globalAddress(project: string, name: string): Promise<string>;
  certificate(project: string, kind: CertificateKind, name: string): Promise<CertificateStatus>;
}

/** Secret Manager reads. Reject with a `RemoteCallError` (404: no such secret). */
export interface SecretReader {
  hasEnabledVersion(project: string, secretId: string): Promise<boolean>;
  /** Members bound to `role` in the secret's own IAM policy. */
  membersWithRole(project: string, secretId: string, role: string): Promise<string[]>;
  /** The latest version's value; never printed. */
  latestValue(project: string, secretId: string): Promise<SecretValue | undefined>;
}

export type Container = tagmanager_v2.Schema$Container;

/** The two Tag Manager reads doctor makes. Reject with a `GtmApiError` or a `RemoteCallError`. */
export interface GtmReads {
  /** Undefined when nothing was ever published. */
  getLiveVersion(containerPath: string): Promise<ContainerVersion | undefined>;
  /** The container's settings: `taggingServerUrls`, `publicId`. */
  getContainer(containerPath: string): Promise<Container>;
}

/** The body of `POST /open_api/v1.3/event/track/` (docs/facts/tiktok-events-api.md#what-the-template-sends). */
export interface TikTokTrackBody {
  readonly event_source: "web";
  readonly event_source_id: string;
  readonly test_event_code: string;
  readonly data: readonly {
    readonly event: string;
    readonly event_time: number;
    readonly event_id: string;
    readonly page: { readonly url: string };
    readonly user: { readonly user_agent: string };
  }[];
}

/** What TikTok answered: the HTTP status, and the JSON body when it was JSON. */
export interface TikTokAnswer {
  readonly httpStatus: number;
  readonly contentType: string;
  readonly json?: { readonly code?: unknown; readonly message?: unknown; readonly request_id?: unknown };
}

/** Rejects with a `RemoteCallError` (timeout, network). */
export interface TikTokEventsApi {
  /** Where the calls go, for messages. */
  readonly rootUrl: string;
  track(token: SecretValue, body: TikTokTrackBody): Promise<TikTokAnswer>;
}

export interface DoctorDeps {
  readonly dns: DnsResolver;
  readonly https: HttpsProbe;
  readonly cloud: CloudReader;
  readonly secrets: SecretReader;
  /** Connecting may fail (no credentials): each GTM check then fails with the reason. */
  readonly gtm: () => Promise<GtmReads>;
  readonly tiktok: TikTokEventsApi;
  /** Milliseconds since the epoch (the test event's `event_time`). */
  readonly now: () => number;
  /** The test event's `event_id`. */
  readonly newEventId: () => string;
}

export interface DoctorOptions {
  readonly env: EnvironmentConfig;
  /** `--test-event-code`; else the environment's `tiktok.testEventCode`; else the TikTok check skips. */
  readonly testEventCode?: string;
  /** `SGTM_TIKTOK_ACCESS_TOKEN_<STACK>` (or the generic variable): used instead of Secret Manager. */
  readonly tokenOverride?: TokenOverride;
}
