/**
 * The one schema for every config file (`config/<client>/client.yaml` and `config/<client>/<env>.yaml`).
 * Every key is optional here, because a value may come from either file; `resolve.ts` checks what must
 * be present after the files are merged and applies the kit's defaults. `config/schema.json` is
 * generated from this file (`npm run schema`), so editors complete and check the YAML.
 */
import { z } from "zod";
import { ClientEntrySchema } from "./client-schema";
import {
  choices,
  consentUndeclaredDefault,
  kitDefault,
  stateLocationDefault,
  tierDefault,
  tierSummary,
} from "./default-texts";
import { KIT_DEFAULTS } from "./defaults";
import {
  BILLING_ACCOUNT,
  DNS_NAME,
  EMAIL,
  GCP_PROJECT_ID,
  HOSTNAME,
  IAM_MEMBER,
  LABEL_KEY,
  LABEL_VALUE,
  NOTIFICATION_CHANNEL,
  NUMERIC_ID,
} from "./patterns";
import { CLOUD_RUN_REGIONS, CONSENT_POLICIES, CONSENT_UNDECLARED, TIERS } from "./tables";

export {
  CLIENT_CONSENT_SOURCES,
  type ClientConsentSource,
  type ClientEntry,
  ClientEntrySchema,
} from "./client-schema";

export const TAG_LAYOUTS = ["per-event", "single"] as const;
export const PIXEL_EVENT_NAMES = ["current", "legacy"] as const;
export const REQUEST_LOG_POLICIES = ["exclude-successful", "keep-all"] as const;
export const INVOKER_ACCESS = ["all-users", "iam-disabled"] as const;
export const CERTIFICATE_TYPES = ["google-managed", "certificate-manager"] as const;
export const CONTENT_TYPES = ["product", "product_group"] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];
export const CERTIFICATE_SWITCH_STEPS = ["prepare", "attach"] as const;

const CertificateRevisionNumber = z.number().int().min(0).max(99);
/** `domain.certificateRevision` and `domain.nextCertificateRevision`: every certificate, or per host. */
export const CertificateRevisionSchema = z.union([
  CertificateRevisionNumber,
  z.strictObject({
    tagging: CertificateRevisionNumber.optional(),
    preview: CertificateRevisionNumber.optional(),
  }),
]);
export type CertificateRevisionInput = z.infer<typeof CertificateRevisionSchema>;

/** Where a TikTok field takes its value from. */
export const ValueSourceSchema = z.union([
  z
    .strictObject({ eventData: z.string().min(1).describe("Key path in the sGTM event data, e.g. `value`.") })
    .describe("Read from the incoming event data."),
  z.strictObject({ constant: z.string().min(1).describe("Literal value.") }).describe("A fixed value."),
  z
    .strictObject({ variable: z.string().min(1).describe("Name of an existing GTM variable.") })
    .describe("An existing (hand-made) variable of the container, by name."),
]);
export type ValueSource = z.infer<typeof ValueSourceSchema>;

export const USER_FIELDS = [
  "email",
  "phone",
  "externalId",
  "sha256Email",
  "sha256Phone",
  "sha256ExternalId",
] as const;
export type UserField = (typeof USER_FIELDS)[number];

const UserSchema = z
  .strictObject(
    Object.fromEntries(USER_FIELDS.map((f) => [f, ValueSourceSchema.optional()])) as Record<
      UserField,
      z.ZodOptional<typeof ValueSourceSchema>
    >,
  )
  .describe(
    "User identifiers. Plain fields take raw values (the template hashes them); sha256* fields take values that are already SHA-256 hashed. Default: the template reads GA4's user_data.",
  );

export const EventMappingSchema = z
  .strictObject({
    event: z
      .string()
      .min(1)
      .optional()
      .describe("TikTok event name. Default: the kit's table for this GA4 event, in the pixel's naming."),
    custom: z
      .boolean()
      .optional()
      .describe(
        "Allow a non-standard TikTok event name (cannot be optimised for); the GA4 key is then not checked either. Default: false.",
      ),
    customGa4Event: z
      .boolean()
      .optional()
      .describe(
        "The key is the site's own GA4 event, not a recommended or enhanced-measurement one: no warning that it may be a typo. Default: false.",
      ),
    value: ValueSourceSchema.optional().describe(
      "Order value. Setting any property switches the tag to custom properties.",
    ),
    currency: ValueSourceSchema.optional().describe("ISO 4217 code, e.g. { constant: EUR }."),
    contents: ValueSourceSchema.optional().describe(
      "Contents as a JSON string of TikTok-keyed [{content_id, ...}] (not GA4's items, which the template converts itself without this key).",
    ),
    contentType: z
      .enum(CONTENT_TYPES)
      .optional()
      .describe(
        "The event's properties.content_type (catalog matching), sent through custom_properties: the template never sets it at that level.",
      ),
    contentIds: ValueSourceSchema.optional().describe(
      "The event's properties.content_ids (catalog matching): a list of content id strings, e.g. { eventData: tt_content_ids }, sent through custom_properties.",
    ),
    customProperties: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), ValueSourceSchema)
      .optional()
      .describe("Extra TikTok properties, by property name."),
    user: UserSchema.optional(),
  })
  .describe("How one GA4 event is sent to TikTok.");
export type EventMapping = z.infer<typeof EventMappingSchema>;

/** `purchase: Purchase` is shorthand for `purchase: { event: Purchase }`; `{}` or null takes all defaults. */
const EventEntrySchema = z.union([z.string().min(1), z.null(), EventMappingSchema]);

export const ConfigFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    tier: z.enum(TIERS).optional().describe(`Drives defaults: ${tierSummary()}.`),
    retired: z
      .boolean()
      .optional()
      .describe(
        "Keep the stack synthesizable so `cdktf destroy` can remove it; no GTM changes. Default: false.",
      ),
    gcp: z
      .strictObject({
        project: z.string().regex(GCP_PROJECT_ID).optional().describe("GCP project id."),
        region: z.enum(CLOUD_RUN_REGIONS).optional().describe("Cloud Run region."),
      })
      .optional(),
    domain: z
      .strictObject({
        tagging: z
          .string()
          .regex(HOSTNAME)
          .optional()
          .describe("First-party tagging host, e.g. sgtm.shop.com."),
        preview: z
          .string()
          .regex(HOSTNAME)
          .optional()
          .describe("Preview server host. Default: preview.<tagging>."),
        dnsZone: z
          .strictObject({
            name: z.string().min(1).describe("Cloud DNS managed zone name."),
            project: z.string().regex(GCP_PROJECT_ID).optional().describe("Default: gcp.project."),
            dnsName: z
              .string()
              .regex(DNS_NAME)
              .optional()
              .describe(
                "The zone's DNS name with its final dot, e.g. shop.com. (checked: the hosts, and with ipv6 their AAAA records, must fit in it).",
              ),
          })
          .optional()
          .describe("When set, the kit creates the A records. Default: you create them at your DNS host."),
        certificates: z
          .enum(CERTIFICATE_TYPES)
          .optional()
          .describe(
            choices(CERTIFICATE_TYPES, KIT_DEFAULTS.certificates, {
              "google-managed": "classic managed certificate.",
              "certificate-manager": "DNS-authorised, issued before traffic moves.",
            }),
          ),
        geoHeaders: z
          .boolean()
          .optional()
          .describe(`Add X-Gclb-Country/Region on /gtm.js and /gtag/* only. ${kitDefault("geoHeaders")}`),
        ipv6: z
          .boolean()
          .optional()
          .describe(
            `Also serve on an IPv6 address (AAAA records; created in domain.dnsZone when set). ${kitDefault("ipv6")}`,
          ),
        certificateRevision: CertificateRevisionSchema.optional().describe(
          `Which certificate serves: part of its name. A number for every certificate, or per host ({ tagging: 1 }) on certificate-manager. Move it only to a revision prepared with nextCertificateRevision and ACTIVE. ${kitDefault("certificateRevision")}`,
        ),
        nextCertificateRevision: CertificateRevisionSchema.optional().describe(
          "Replacing a failed certificate without an outage: the certificate of this revision (certificateRevision + 1, per host on certificate-manager) is created beside the serving one; once it is ACTIVE, set certificateRevision to it and remove this key. See docs/deploy.md, section Certificates.",
        ),
        certificateSwitch: z
          .enum(CERTIFICATE_SWITCH_STEPS)
          .optional()
          .describe(
            "Moving a serving environment to certificate-manager: prepare (create, change nothing that serves), then attach (proxy takes the map), then remove this key. See docs/deploy.md, section Certificates.",
          ),
      })
      .optional(),
    tagging: z
      .strictObject({
        minInstances: z.number().int().min(0).max(100).optional().describe(tierDefault("minInstances")),
        maxInstances: z.number().int().min(1).max(100).optional().describe(kitDefault("maxInstances")),
        image: z
          .string()
          .min(1)
          .optional()
          .describe(`${kitDefault("image")} A digest pin (@sha256:...) is allowed.`),
        deletionProtection: z.boolean().optional().describe(tierDefault("deletionProtection")),
        invoker: z
          .enum(INVOKER_ACCESS)
          .optional()
          .describe(
            choices(INVOKER_ACCESS, KIT_DEFAULTS.invoker, {
              "all-users": "allUsers invoker.",
              "iam-disabled": "for orgs that forbid allUsers.",
            }),
          ),
        requestLogs: z
          .enum(REQUEST_LOG_POLICIES)
          .optional()
          .describe(
            choices(REQUEST_LOG_POLICIES, KIT_DEFAULTS.requestLogs, {
              "exclude-successful": "drop per-hit logs below WARNING.",
              "keep-all": "log every hit.",
            }),
          ),
      })
      .optional(),
    monitoring: z
      .strictObject({
        enabled: z
          .boolean()
          .optional()
          .describe(
            `Uptime check on https://<tagging>/healthy and alert policies. ${tierDefault("monitoring")} Also on wherever an email or a channel is given; cannot be turned off in production.`,
          ),
        emails: z
          .array(z.string().regex(EMAIL))
          .optional()
          .describe("Addresses to notify (an email channel is created for each)."),
        channels: z
          .array(z.string().regex(NOTIFICATION_CHANNEL))
          .optional()
          .describe("Existing notification channels: projects/<project>/notificationChannels/<id>."),
        errorRatio: z
          .number()
          .gt(0)
          .max(1)
          .optional()
          .describe(
            `Alert when this share of load-balancer responses are 5xx over 5 minutes. ${kitDefault("errorRatio")}`,
          ),
      })
      .optional()
      .describe("Uptime check and alerts of the environment."),
    budget: z
      .strictObject({
        billingAccount: z
          .string()
          .regex(BILLING_ACCOUNT)
          .optional()
          .describe("Billing account id, XXXXXX-XXXXXX-XXXXXX (required with a budget)."),
        monthlyAmount: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe("Monthly budget in the billing account's currency units (required with a budget)."),
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/)
          .optional()
          .describe("ISO 4217 code; must be the billing account's currency. Default: the account's."),
      })
      .optional()
      .describe(
        "Monthly budget alert (50%, 90%, 100%, forecast 100%) on the environment's labelled costs in its project.",
      ),
    labels: z
      .record(z.string().regex(LABEL_KEY), z.string().regex(LABEL_VALUE))
      .optional()
      .describe("Extra labels on every resource. The kit always sets client, environment and managed-by."),
    armor: z
      .strictObject({
        requestsPerMinutePerIp: z
          .number()
          .int()
          .min(10)
          .max(100000)
          .optional()
          .describe(
            `Requests a client IP may make per minute before getting 429. ${kitDefault("requestsPerMinutePerIp")}`,
          ),
        hostAllowlist: z
          .boolean()
          .optional()
          .describe(
            `Also deny (404) at the backends any Host but the tagging and preview hosts; the URL map already redirects them, so this is a second line. ${kitDefault("hostAllowlist")}`,
          ),
      })
      .optional()
      .describe("A Cloud Armor policy on the backends (set the key, even to {}, to create one)."),
    backend: z
      .discriminatedUnion("type", [
        z.strictObject({
          type: z.literal("gcs"),
          bucket: z.string().min(3).describe("GCS bucket holding Terraform state."),
          prefix: z.string().min(1).optional().describe(stateLocationDefault("gcsPrefix")),
        }),
        z.strictObject({
          type: z.literal("local"),
          path: z.string().min(1).optional().describe(stateLocationDefault("localPath")),
        }),
      ])
      .optional()
      .describe("Terraform state backend. Default: local (examples only)."),
    secrets: z
      .strictObject({
        tiktokAccessToken: z
          .string()
          .optional()
          .describe("Secret id. Default: sgtm-<client>-<env>-tiktok-token."),
        containerConfig: z
          .string()
          .optional()
          .describe("Secret id. Default: sgtm-<client>-<env>-container-config."),
        tokenReaders: z
          .array(z.string().regex(IAM_MEMBER))
          .optional()
          .describe(
            "IAM members allowed to read the TikTok token at deploy time (e.g. serviceAccount:ci@p.iam...).",
          ),
      })
      .optional(),
    gtm: z
      .strictObject({
        accountId: z.string().regex(NUMERIC_ID).optional().describe("GTM account id (numeric)."),
        containerId: z
          .string()
          .regex(NUMERIC_ID)
          .optional()
          .describe("Server container id (numeric, not GTM-XXXX)."),
        workspace: z
          .string()
          .min(1)
          .optional()
          .describe(`Name of the workspace the kit works in. ${kitDefault("workspace")}`),
        publish: z
          .boolean()
          .optional()
          .describe(`Publish after creating a version. ${tierDefault("publish")}`),
        clientName: z
          .string()
          .min(1)
          .optional()
          .describe(
            `Only this client's events fire TikTok tags. ${kitDefault("clientName")} Same as clients: [name].`,
          ),
        clients: z
          .array(ClientEntrySchema)
          .min(1)
          .optional()
          .describe(
            "The clients whose events fire TikTok tags, e.g. [GA4, Data Client]; each one's consent is read from the signal it provides. Default: [GA4] (or gtm.clientName).",
          ),
        web: z
          .strictObject({
            containerId: z
              .string()
              .regex(NUMERIC_ID)
              .optional()
              .describe("The shop's web container id (numeric, not GTM-XXXX). Required with gtm.web."),
            accountId: z
              .string()
              .regex(NUMERIC_ID)
              .optional()
              .describe("Its GTM account id (numeric). Default: gtm.accountId."),
          })
          .optional()
          .describe(
            "The web container whose pixel and GA4 tags must deduplicate with the server (`sgtm dedup`, a section of `sgtm plan`, a doctor check). Only ever read, never written.",
          ),
      })
      .optional(),
    tiktok: z
      .strictObject({
        pixelId: z.string().optional().describe("TikTok pixel code, e.g. C4A1B2C3D4E5F6G7H8I9."),
        pixelEventNames: z
          .enum(PIXEL_EVENT_NAMES)
          .optional()
          .describe(
            "Names your browser pixel sends: current (Purchase, Lead) or legacy (CompletePayment, SubmitForm).",
          ),
        consent: z
          .enum(CONSENT_POLICIES)
          .optional()
          .describe(
            `ad-storage-granted: fire only when x-ga-gcs says ad_storage granted. ad-user-data-granted: also Consent Mode v2's ad_user_data (x-ga-gcd) granted. block-if-denied: fire unless ad_storage is denied. not-enforced: no gate. ${tierDefault("consent")}`,
          ),
        consentUndeclared: z
          .enum(CONSENT_UNDECLARED)
          .optional()
          .describe(
            `Events whose Consent Mode declares no state for the signals the policy reads (x-ga-gcs G1-, e.g. defaults set for the EEA only; ad_user_data not set): send or block. ${consentUndeclaredDefault()}`,
          ),
        tagLayout: z
          .enum(TAG_LAYOUTS)
          .optional()
          .describe(
            choices(TAG_LAYOUTS, KIT_DEFAULTS.tagLayout, {
              "per-event": "a tag per event.",
              single: "one tag + lookup table.",
            }),
          ),
        testEventCode: z
          .string()
          .min(1)
          .optional()
          .describe("TikTok test event code (not allowed in production)."),
        events: z
          .record(z.string().regex(/^[A-Za-z0-9_]{1,40}$/), EventEntrySchema)
          .optional()
          .describe(
            "GA4 event name -> TikTok mapping. Default: the kit's table. The most specific file replaces it whole.",
          ),
      })
      .optional(),
  })
  .describe("sgtm-tiktok-kit environment or client defaults file.");

export type ConfigFile = z.infer<typeof ConfigFileSchema>;
