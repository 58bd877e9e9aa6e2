/**
 * The desired container's types. Bodies are API-shaped with two deliberate differences, because neither
 * is known before apply:
 * - tags name their triggers (`firingTriggerNames`); ids exist only once the triggers do;
 * - the access token is a marker (`{ sensitive: "tiktokAccessToken" }`), never the value. Apply
 *   substitutes both with `toApiBody`, right before sending.
 */
import type { ClientConsentSource } from "../../config/schema";
import type { ConsentPolicy, ConsentUndeclared, Tier } from "../../config/tables";
import type { GalleryCoordinates } from "../core/api";
import type { OwnedKind } from "../core/kinds";
import type { SensitiveValue } from "../core/sensitive";

export type ParameterType = "template" | "boolean" | "integer" | "list" | "map";

export interface DesiredParameter {
  readonly type: ParameterType;
  readonly key?: string;
  readonly value?: string | SensitiveValue;
  readonly list?: readonly DesiredParameter[];
  readonly map?: readonly DesiredParameter[];
}

export type ConditionType = "equals" | "startsWith" | "matchRegex";

export interface DesiredCondition {
  readonly type: ConditionType;
  readonly parameter: readonly DesiredParameter[];
}

export interface DesiredVariable {
  readonly name: string;
  /** Server container type codes stay short: `c` constant, `ed` event data, `smm` lookup table. */
  readonly type: "c" | "ed" | "smm";
  readonly notes: string;
  readonly parameter: readonly DesiredParameter[];
}

export interface DesiredTrigger {
  readonly name: string;
  readonly type: "customEvent";
  readonly notes: string;
  /**
   * Exactly one: the API rejects a customEvent trigger with zero or several
   * (docs/facts/gtm-api-v2.md#entity-shapes).
   */
  readonly customEventFilter: readonly [DesiredCondition];
  /** Client and consent conditions (all must hold). */
  readonly filter: readonly DesiredCondition[];
}

export interface DesiredTag {
  readonly name: string;
  /** The template's tag type, or `TAG_TYPE_PLACEHOLDER` until the template is imported. */
  readonly type: string;
  readonly notes: string;
  readonly parameter: readonly DesiredParameter[];
  /** Trigger names; apply maps them to ids (`toApiBody`). */
  readonly firingTriggerNames: readonly string[];
  readonly tagFiringOption: "oncePerEvent";
}

export type DesiredEntity = DesiredVariable | DesiredTrigger | DesiredTag;
export type DesiredEntityOf<K extends OwnedKind> = K extends "tag"
  ? DesiredTag
  : K extends "trigger"
    ? DesiredTrigger
    : DesiredVariable;

/** Built-in variables the kit's entities read (`{{Event Name}}`, `{{Client Name}}`). */
export const REQUIRED_BUILT_INS = ["clientName", "eventName"] as const;
export type BuiltInType = (typeof REQUIRED_BUILT_INS)[number];

export interface TemplateRequirement {
  readonly gallery: GalleryCoordinates;
  readonly host: string;
  readonly displayName: string;
}

/** What a reviewer must see in every plan, whatever changes. */
export interface PlanEnvironment {
  readonly stack: string;
  readonly tier: Tier;
  readonly accountId: string;
  readonly containerId: string;
  readonly workspace: string;
  /** The first of `clients` (kept for readers of format 1, which had one client). */
  readonly clientName: string;
  /** The clients whose events fire TikTok tags, each with where its consent state is read. */
  readonly clients: readonly { readonly name: string; readonly consentFrom: ClientConsentSource }[];
  readonly consent: {
    readonly policy: ConsentPolicy;
    readonly explicit: boolean;
    /** `explicit` when written in a file, else the tier default. */
    readonly origin: "explicit" | "tier default";
    /** The event data the policy reads, each with the consent type: `x-ga-gcs (ad_storage)`. */
    readonly signals: readonly string[];
    /** What happens to events that declare no state for those signals; absent for not-enforced. */
    readonly undeclared?: {
      readonly choice: ConsentUndeclared;
      readonly origin: "explicit" | "policy default";
    };
    readonly statement: string;
  };
  readonly pixelEventNames: { readonly naming: "current" | "legacy"; readonly statement: string };
  /** Where event_id comes from and what deduplication needs of the web side (Pageview in particular). */
  readonly deduplication: {
    readonly eventIdKeyPath: string;
    /** GA4 events sent as Pageview, sorted: the pixel's page view usually has no event_id. */
    readonly pageviewEvents: readonly string[];
    readonly statement: string;
  };
  readonly tagLayout: { readonly layout: "per-event" | "single"; readonly statement: string };
  readonly publishByDefault: boolean;
  /** The environment is being retired (`retired: true`, or `gtm destroy`): the kit removes what it owns. */
  readonly retiring?: true;
  readonly logType: LogType;
  readonly testEventCode?: string;
}

export type LogType = "no" | "debug";

export interface DesiredContainer {
  readonly stack: string;
  readonly environment: PlanEnvironment;
  readonly template: TemplateRequirement;
  readonly builtIns: readonly BuiltInType[];
  /** Sorted by name; dependency order between kinds is the plan's business. */
  readonly variables: readonly DesiredVariable[];
  readonly triggers: readonly DesiredTrigger[];
  readonly tags: readonly DesiredTag[];
  /** The constant every tag reads the token from. */
  readonly tokenVariableName: string;
  /** GA4 events the kit sends to TikTok (for double-sending checks). */
  readonly ga4Events: readonly string[];
  /**
   * Those the config marks as the site's own events (`customGa4Event`, `custom`): not checked against
   * GA4's names. Absent when there are none, so the model (and its digest) of a map without them is
   * what it was before the check existed.
   */
  readonly ownGa4Events?: readonly string[];
  /** Existing variables referenced through `{ variable: name }` sources, sorted. */
  readonly referencedVariables: readonly string[];
  /** Nothing is desired: every entity the kit owns for the stack goes (see ./retired.ts). */
  readonly retiring?: true;
}
