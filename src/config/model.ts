/**
 * The validated, fully defaulted configuration of one client environment. Constructs, stacks and the GTM
 * reconciler receive this (never files or environment variables).
 */
import type { ConfigProblem } from "./errors";
import type { ClientConsentSource, ContentType, UserField, ValueSource } from "./schema";
import type { ConsentPolicy, ConsentUndeclared, PixelEventNames, Tier } from "./tables";

export interface ResolvedEvent {
  /** GA4 event name the trigger matches on `{{_event}}`. */
  readonly ga4Event: string;
  readonly tiktokEvent: string;
  /** A non-standard TikTok name the user marked `custom: true`. */
  readonly custom: boolean;
  /** The key is the site's own GA4 event (`customGa4Event: true`, or `custom: true`): not checked against GA4's names. */
  readonly customGa4Event: boolean;
  /** `ga`: the template reads value/currency/items from GA4 event data; `custom`: the sources below. */
  readonly properties:
    | { readonly source: "ga" }
    | {
        readonly source: "custom";
        readonly value?: ValueSource;
        readonly currency?: ValueSource;
        readonly contents?: ValueSource;
      };
  readonly customProperties: Readonly<Record<string, ValueSource>>;
  /** `properties.content_type` and `properties.content_ids`, sent through `custom_properties`. */
  readonly contentType?: ContentType;
  readonly contentIds?: ValueSource;
  readonly user: Readonly<Partial<Record<UserField, ValueSource>>>;
}

export interface TikTokConfig {
  readonly pixelId: string;
  readonly pixelEventNames: PixelEventNames;
  readonly consent: ConsentPolicy;
  /** Whether `consent` was written in a file (false: the tier default is in force, and the plan says so). */
  readonly consentExplicit: boolean;
  /** What the policy does with an event that declares no consent state (`tiktok.consentUndeclared`). */
  readonly consentUndeclared: ConsentUndeclared;
  /** Whether `consentUndeclared` was written in a file (false: the policy's default). */
  readonly consentUndeclaredExplicit: boolean;
  readonly tagLayout: "per-event" | "single";
  readonly testEventCode?: string;
  /** Sorted by GA4 event name (deterministic order everywhere). */
  readonly events: readonly ResolvedEvent[];
}

/** A client whose events fire the kit's TikTok tags, and where its events carry their consent state. */
export interface GtmClient {
  readonly name: string;
  readonly consentFrom: ClientConsentSource;
}

export interface GtmConfig {
  readonly accountId: string;
  readonly containerId: string;
  readonly workspace: string;
  readonly publish: boolean;
  /** In the order configured; never empty (default: the GA4 client "GA4"). */
  readonly clients: readonly GtmClient[];
  /** The shop's web container (`gtm.web`), which the kit only reads to check deduplication; unset: not checked. */
  readonly web?: WebContainerConfig;
}

export interface WebContainerConfig {
  readonly accountId: string;
  readonly containerId: string;
}

export type BackendConfig =
  | { readonly type: "gcs"; readonly bucket: string; readonly prefix: string }
  | { readonly type: "local"; readonly path: string };

export interface MonitoringConfig {
  readonly enabled: boolean;
  /** Email addresses, one channel each. */
  readonly emails: readonly string[];
  /** Existing channels, `projects/<project>/notificationChannels/<id>`. */
  readonly channels: readonly string[];
  /** Share of 5xx responses at the load balancer that opens an incident. */
  readonly errorRatio: number;
}

export interface BudgetConfig {
  readonly billingAccount: string;
  readonly monthlyAmount: number;
  readonly currency?: string;
}

/** A number per host: the tagging and the preview host. */
export interface HostRevisions {
  readonly tagging: number;
  readonly preview: number;
}

export interface EnvironmentConfig {
  readonly client: string;
  readonly environment: string;
  /** `<client>-<env>`: the stack name and the stem of every resource name. */
  readonly stackName: string;
  readonly tier: Tier;
  readonly retired: boolean;
  /** Files that supplied values, most specific last (for messages and reviews). */
  readonly sourceFiles: readonly string[];
  /**
   * What looked wrong but does not stop the environment (an event map key GA4 does not send), each at
   * the file and line of its value: `sgtm validate` prints them, and the GTM plan warns of the same.
   */
  readonly warnings: readonly ConfigProblem[];
  readonly gcp: { readonly project: string; readonly region: string };
  readonly domain: {
    readonly tagging: string;
    readonly preview: string;
    readonly dnsZone?: { readonly name: string; readonly project: string; readonly dnsName?: string };
    readonly certificates: "google-managed" | "certificate-manager";
    readonly geoHeaders: boolean;
    /** An IPv6 address, its forwarding rules and AAAA records as well. */
    readonly ipv6: boolean;
    /** The revision of each host's serving certificate (part of its name); equal on google-managed. */
    readonly certificateRevision: HostRevisions;
    /**
     * Certificates being prepared beside the serving ones (one revision up), for the hosts listed;
     * unset: none. On google-managed both hosts, one certificate.
     */
    readonly nextCertificateRevision?: Partial<HostRevisions>;
    /** A step of the move of a serving environment to Certificate Manager (docs/deploy.md, "Certificates"). */
    readonly certificateSwitch?: "prepare" | "attach";
  };
  readonly monitoring: MonitoringConfig;
  readonly budget?: BudgetConfig;
  /** Cloud Armor on the backends; unset: none. */
  readonly armor?: { readonly requestsPerMinutePerIp: number; readonly hostAllowlist: boolean };
  /** Labels on every resource: the kit's three (client, environment, managed-by) and the file's extra ones. */
  readonly labels: Readonly<Record<string, string>>;
  readonly tagging: {
    readonly minInstances: number;
    readonly maxInstances: number;
    readonly image: string;
    readonly deletionProtection: boolean;
    readonly invoker: "all-users" | "iam-disabled";
    readonly requestLogs: "exclude-successful" | "keep-all";
  };
  readonly backend: BackendConfig;
  readonly secrets: {
    readonly tiktokAccessToken: string;
    readonly containerConfig: string;
    readonly tokenReaders: readonly string[];
  };
  readonly gtm: GtmConfig;
  readonly tiktok: TikTokConfig;
}
