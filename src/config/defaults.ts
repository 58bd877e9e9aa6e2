/**
 * Kit defaults. Precedence, lowest first: these defaults < tier defaults < `client.yaml` < `<env>.yaml`.
 * Objects merge key by key; the keys in `REPLACED_WHOLE` (resolve.ts: `tiktok.events`, `backend`,
 * `domain.dnsZone`) are replaced whole by the most specific file that sets them.
 */
import { type ConsentPolicy, type ConsentUndeclared, SGTM_IMAGE_DEFAULT, type Tier } from "./tables";

export interface TierDefaults {
  /**
   * Google recommends min 2 tagging instances "to reduce the risk of data loss"; 0 saves ~USD 90/month
   * (docs/facts/sgtm-on-cloud-run.md#the-two-services).
   */
  readonly minInstances: number;
  readonly deletionProtection: boolean;
  readonly publish: boolean;
  readonly testEventCodeAllowed: boolean;
  /** Used only where the tier does not require an explicit policy. */
  readonly consent: ConsentPolicy | "required";
  /** Uptime check and alert policies (also on wherever a notification channel is given). */
  readonly monitoring: boolean;
}

export const TIER_DEFAULTS: Readonly<Record<Tier, TierDefaults>> = {
  production: {
    minInstances: 2,
    deletionProtection: true,
    publish: true,
    testEventCodeAllowed: false,
    consent: "required",
    monitoring: true,
  },
  staging: {
    minInstances: 0,
    deletionProtection: false,
    publish: true,
    testEventCodeAllowed: true,
    consent: "ad-storage-granted",
    monitoring: false,
  },
  dev: {
    minInstances: 0,
    deletionProtection: false,
    publish: false,
    testEventCodeAllowed: true,
    consent: "ad-storage-granted",
    monitoring: false,
  },
};

/**
 * `tiktok.consentUndeclared` when not set: what each policy did before the choice existed (the strict
 * policies block `G1-`, block-if-denied sends it). not-enforced reads no state at all.
 */
export const CONSENT_UNDECLARED_DEFAULTS: Readonly<Record<ConsentPolicy, ConsentUndeclared>> = {
  "ad-storage-granted": "block",
  "ad-user-data-granted": "block",
  "block-if-denied": "send",
  "not-enforced": "send",
};

/** The name Stape's Data Client template gives its client: a bare `gtm.clients` entry so named reads consent_state. */
export const DATA_CLIENT_NAME = "Data Client";

export const KIT_DEFAULTS = {
  maxInstances: 10,
  image: SGTM_IMAGE_DEFAULT,
  invoker: "all-users",
  requestLogs: "exclude-successful",
  certificates: "google-managed",
  geoHeaders: false,
  workspace: "sgtm-tiktok-kit",
  clientName: "GA4",
  tagLayout: "per-event",
  ipv6: false,
  certificateRevision: 0,
  errorRatio: 0.05,
  requestsPerMinutePerIp: 600,
  hostAllowlist: false,
} as const;

/** Where a stack's Terraform state goes when `backend` does not say, by stack name (`<client>-<env>`). */
export const STATE_LOCATION_DEFAULTS = {
  gcsPrefix: (stackName: string) => `sgtm/${stackName}`,
  localPath: (stackName: string) => `terraform.${stackName}.tfstate`,
} as const;

/** Keys that must be present after merging; the fix names both files the value may come from. */
export const REQUIRED_KEYS = [
  "tier",
  "gcp.project",
  "gcp.region",
  "domain.tagging",
  "gtm.accountId",
  "gtm.containerId",
  "tiktok.pixelId",
  "tiktok.pixelEventNames",
] as const;
