/**
 * The desired server container, as a pure function of one environment's config: the TikTok template
 * (imported from the gallery at a pinned sha, or reused), the built-in variables the kit's entities
 * read, and the variables, triggers and tags the kit owns. No I/O, no clock: the same config always
 * gives the same entities in the same order, so plans, renders and exports are reproducible.
 *
 * Bodies are API-shaped with two deliberate differences, because neither is known before apply:
 * - tags name their triggers (`firingTriggerNames`); ids exist only once the triggers do;
 * - the access token is a marker (`{ sensitive: "tiktokAccessToken" }`), never the value. Apply
 *   substitutes both with `toApiBody`, right before sending.
 */
import type { EnvironmentConfig, ResolvedEvent } from "../config/model";
import type { ConsentPolicy, Tier, UserField, ValueSource } from "../config/schema";
import { TIKTOK_LEGACY_RENAMES } from "../config/tables";
import { shortHash } from "../naming/gcp";
import type { GalleryCoordinates, Parameter, Tag, Trigger, Variable } from "./api";
import type { OwnedKind } from "./kinds";
import { compareText } from "./normalize";
import { NAME_PREFIX, ownedNotes } from "./ownership";
import {
  isTemplateEventOption,
  TAG_TYPE_PLACEHOLDER,
  TIKTOK_GALLERY,
  TIKTOK_GALLERY_HOST,
  TIKTOK_TEMPLATE_DISPLAY_NAME,
  type TikTokParameterKey,
} from "./template";

// ---------------------------------------------------------------------------------------------------
// Types

/** Where the access token goes; apply substitutes the value read from Secret Manager. */
export interface SensitiveValue {
  readonly sensitive: "tiktokAccessToken";
}
export const ACCESS_TOKEN_MARKER: SensitiveValue = { sensitive: "tiktokAccessToken" };

export function isSensitiveValue(value: unknown): value is SensitiveValue {
  return typeof value === "object" && value !== null && "sensitive" in value;
}

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
  readonly clientName: string;
  readonly consent: {
    readonly policy: ConsentPolicy;
    readonly explicit: boolean;
    /** `explicit` when written in a file, else the tier default. */
    readonly origin: "explicit" | "tier default";
    readonly statement: string;
  };
  readonly pixelEventNames: { readonly naming: "current" | "legacy"; readonly statement: string };
  readonly tagLayout: { readonly layout: "per-event" | "single"; readonly statement: string };
  readonly publishByDefault: boolean;
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
  /** Existing variables referenced through `{ variable: name }` sources, sorted. */
  readonly referencedVariables: readonly string[];
}

// ---------------------------------------------------------------------------------------------------
// Names: part of the kit's contract (renaming one is a delete and a create in every container).

export const PIXEL_ID_VARIABLE = `${NAME_PREFIX}Pixel ID`;
export const ACCESS_TOKEN_VARIABLE = `${NAME_PREFIX}Access Token`;
export const EVENT_LOOKUP_VARIABLE = `${NAME_PREFIX}TikTok Event Lookup`;
export const SINGLE_TAG_NAME = `${NAME_PREFIX}All mapped events (lookup)`;
export const SINGLE_TRIGGER_NAME = `${NAME_PREFIX}Mapped GA4 events`;
/**
 * GA4's consent state in sGTM event data (`G1xy`: x = ad_storage, y = analytics_storage;
 * docs/facts/tiktok-events-api.md#consent-in-the-server-container).
 */
export const CONSENT_KEY_PATH = "x-ga-gcs";
/** Deduplication key the pixel sends too. */
export const EVENT_ID_KEY_PATH = "event_id";

export function eventDataVariableName(keyPath: string): string {
  return `${NAME_PREFIX}Event Data ${keyPath.replace(/[{}]/g, "_")}`;
}

/** Readable when short and plain; otherwise a digest keeps the name stable and reference-safe. */
export function constantVariableName(value: string): string {
  if (/^[A-Za-z0-9 _.,:@+-]{1,40}$/.test(value)) return `${NAME_PREFIX}Constant ${value}`;
  return `${NAME_PREFIX}Constant ${shortHash(value, 12)}`;
}

/**
 * The constant holding a TikTok event name that is not an option of the template's `event` SELECT
 * (`TIKTOK_TEMPLATE_EVENT_OPTIONS`). Readable when plain; otherwise (spaces, braces, long names) a
 * digest, marked by `#` so it can never equal a readable name. Plain names have no space, so no name
 * here can equal an `Event Data <keyPath>` variable.
 */
export function eventNameVariableName(tiktokEvent: string): string {
  if (/^[A-Za-z0-9_.:@+-]{1,40}$/.test(tiktokEvent)) return `${NAME_PREFIX}Event ${tiktokEvent}`;
  return `${NAME_PREFIX}Event #${shortHash(tiktokEvent, 12)}`;
}

export function perEventTagName(event: ResolvedEvent): string {
  return `${NAME_PREFIX}${event.tiktokEvent} (${event.ga4Event})`;
}

export function perEventTriggerName(ga4Event: string): string {
  return `${NAME_PREFIX}Event Name is ${ga4Event}`;
}

export const reference = (variableName: string): string => `{{${variableName}}}`;

// ---------------------------------------------------------------------------------------------------
// Desired container

const USER_FIELD_KEYS: Readonly<Record<UserField, TikTokParameterKey>> = {
  email: "email",
  phone: "phone",
  externalId: "external_id",
  sha256Email: "sha256_email",
  sha256Phone: "sha256_phone",
  sha256ExternalId: "sha256_external_id",
};

export function desiredContainer(env: EnvironmentConfig): DesiredContainer {
  const { tiktok, gtm, stackName: stack } = env;
  const variables = new Map<string, DesiredVariable>();
  const referenced = new Set<string>();
  const notes = (purpose: string) => ownedNotes(stack, purpose);
  const addVariable = (variable: DesiredVariable): string => {
    variables.set(variable.name, variable);
    return variable.name;
  };
  const eventDataVariable = (keyPath: string): string =>
    addVariable({
      name: eventDataVariableName(keyPath),
      type: "ed",
      notes: notes(`Reads \`${keyPath}\` from the sGTM event data.`),
      parameter: [text("keyPath", keyPath)],
    });
  /** The `{{...}}` text a tag field gets for a config value source. */
  const sourceValue = (source: ValueSource): string => {
    if ("eventData" in source) return reference(eventDataVariable(source.eventData));
    if ("constant" in source) {
      return reference(
        addVariable({
          name: constantVariableName(source.constant),
          type: "c",
          notes: notes("A constant of the event map."),
          parameter: [text("value", source.constant)],
        }),
      );
    }
    referenced.add(source.variable);
    return reference(source.variable);
  };
  /**
   * The tag's `event` value: a select option stays literal (what the GTM UI itself writes); any other
   * name goes through a kit-owned constant, one per distinct name, shared by the tags sending it.
   */
  const eventValue = (tiktokEvent: string): string =>
    isTemplateEventOption(tiktokEvent)
      ? tiktokEvent
      : reference(
          addVariable({
            name: eventNameVariableName(tiktokEvent),
            type: "c",
            notes: notes(
              `TikTok event name ${tiktokEvent}: not an option of the template's Event Name select, so tags read it from this constant.`,
            ),
            parameter: [text("value", tiktokEvent)],
          }),
        );

  const pixelVariable = addVariable({
    name: PIXEL_ID_VARIABLE,
    type: "c",
    notes: notes("TikTok pixel code (tiktok.pixelId)."),
    parameter: [text("value", tiktok.pixelId)],
  });
  const tokenVariable = addVariable({
    name: ACCESS_TOKEN_VARIABLE,
    type: "c",
    notes: notes(
      `TikTok Events API access token, written by apply from Secret Manager (${env.secrets.tiktokAccessToken}).`,
    ),
    parameter: [{ type: "template", key: "value", value: ACCESS_TOKEN_MARKER }],
  });
  const eventIdVariable = eventDataVariable(EVENT_ID_KEY_PATH);
  const consentVariable = tiktok.consent === "not-enforced" ? undefined : eventDataVariable(CONSENT_KEY_PATH);

  // `debug` logs the TikTok request and response only while the container runs in preview mode: live
  // traffic writes nothing (no cost, no user data in Cloud Logging) yet production stays debuggable in
  // preview, where deduplication problems show. `always` would log every live event; the kit never
  // uses it, and a hand change to it is reverted as drift. See
  // docs/facts/tiktok-events-api.md#template-parameters.
  const logType: LogType = "debug";
  const commonParameters: DesiredParameter[] = [
    text("pixel_code", reference(pixelVariable)),
    text("access_token", reference(tokenVariable)),
    // The template would read event_id from event data by itself; mapping it explicitly keeps pixel
    // and server deduplication visible in the GTM UI and independent of the template's fallback.
    text("event_id", reference(eventIdVariable)),
    text("logType", logType),
    ...(tiktok.testEventCode !== undefined ? [text("test_event_code", tiktok.testEventCode)] : []),
  ];
  const extraConditions = (): DesiredCondition[] => [
    condition("equals", reference("Client Name"), gtm.clientName),
    ...consentConditions(tiktok.consent, consentVariable),
  ];
  const triggerPurpose = (events: string) =>
    `Fires on ${events} from the ${gtm.clientName} client; consent: ${tiktok.consent} (${CONSENT_SHORT[tiktok.consent]}).`;

  const triggers: DesiredTrigger[] = [];
  const tags: DesiredTag[] = [];
  if (tiktok.tagLayout === "single") {
    const lookup = addVariable({
      name: EVENT_LOOKUP_VARIABLE,
      type: "smm",
      notes: notes("GA4 event name -> TikTok event name (tiktok.events)."),
      parameter: [
        text("input", reference("Event Name")),
        {
          type: "list",
          key: "map",
          list: tiktok.events.map((e) => ({
            type: "map" as const,
            map: [text("key", e.ga4Event), text("value", e.tiktokEvent)],
          })),
        },
      ],
    });
    const ga4Events = tiktok.events.map((e) => escapeRegex(e.ga4Event));
    triggers.push({
      name: SINGLE_TRIGGER_NAME,
      type: "customEvent",
      notes: notes(triggerPurpose(`the GA4 events ${tiktok.events.map((e) => e.ga4Event).join(", ")}`)),
      customEventFilter: [condition("matchRegex", reference("_event"), `^(${ga4Events.join("|")})$`)],
      filter: extraConditions(),
    });
    tags.push({
      name: SINGLE_TAG_NAME,
      type: TAG_TYPE_PLACEHOLDER,
      notes: notes(
        "Sends every mapped GA4 event to the TikTok Events API; the lookup table names the event.",
      ),
      parameter: sortParameters([
        ...commonParameters,
        text("event", reference(lookup)),
        text("object_property_source", "ga"),
      ]),
      firingTriggerNames: [SINGLE_TRIGGER_NAME],
      tagFiringOption: "oncePerEvent",
    });
  } else {
    for (const event of tiktok.events) {
      const triggerName = perEventTriggerName(event.ga4Event);
      triggers.push({
        name: triggerName,
        type: "customEvent",
        notes: notes(triggerPurpose(`the GA4 event ${event.ga4Event}`)),
        customEventFilter: [condition("equals", reference("_event"), event.ga4Event)],
        filter: extraConditions(),
      });
      tags.push({
        name: perEventTagName(event),
        type: TAG_TYPE_PLACEHOLDER,
        notes: notes(
          `Sends the GA4 event ${event.ga4Event} to the TikTok Events API as ${event.tiktokEvent}.`,
        ),
        parameter: sortParameters([
          ...commonParameters,
          text("event", eventValue(event.tiktokEvent)),
          ...eventParameters(event, sourceValue),
        ]),
        firingTriggerNames: [triggerName],
        tagFiringOption: "oncePerEvent",
      });
    }
  }

  const byName = <T extends { name: string }>(a: T, b: T) => compareText(a.name, b.name);
  return {
    stack,
    environment: environmentStatement(env, logType),
    template: {
      gallery: TIKTOK_GALLERY,
      host: TIKTOK_GALLERY_HOST,
      displayName: TIKTOK_TEMPLATE_DISPLAY_NAME,
    },
    builtIns: [...REQUIRED_BUILT_INS],
    variables: [...variables.values()].sort(byName),
    triggers: triggers.sort(byName),
    tags: tags.sort(byName),
    tokenVariableName: tokenVariable,
    ga4Events: tiktok.events.map((e) => e.ga4Event),
    referencedVariables: [...referenced].sort(),
  };
}

/** Property and user fields of one event's tag (per-event layout only: single rejects overrides). */
function eventParameters(event: ResolvedEvent, sourceValue: (s: ValueSource) => string): DesiredParameter[] {
  const parameters: DesiredParameter[] = [];
  const { properties } = event;
  if (properties.source === "ga") {
    parameters.push(text("object_property_source", "ga"));
  } else {
    parameters.push(text("object_property_source", "custom"));
    // The template reads `contents` only in "multiple" mode; "empty" keeps GA4 items as the fallback
    // while still sending value and currency.
    parameters.push(text("single_multi_product", properties.contents ? "multiple" : "empty"));
    if (properties.value) parameters.push(text("value", sourceValue(properties.value)));
    if (properties.currency) parameters.push(text("currency", sourceValue(properties.currency)));
    if (properties.contents) parameters.push(text("contents", sourceValue(properties.contents)));
  }
  const customKeys = Object.keys(event.customProperties).sort();
  if (customKeys.length > 0) {
    parameters.push({
      type: "list",
      key: "custom_properties",
      list: customKeys.map((key) => ({
        type: "map" as const,
        map: [text("key", key), text("value", sourceValue(event.customProperties[key] as ValueSource))],
      })),
    });
  }
  for (const field of Object.keys(event.user).sort() as UserField[]) {
    const source = event.user[field];
    if (source) parameters.push(text(USER_FIELD_KEYS[field], sourceValue(source)));
  }
  return parameters;
}

const CONSENT_SHORT: Readonly<Record<ConsentPolicy, string>> = {
  "ad-storage-granted": `fires only when ${CONSENT_KEY_PATH} starts with G11`,
  "block-if-denied": `fires unless ${CONSENT_KEY_PATH} starts with G10`,
  "not-enforced": "no consent condition",
};

/**
 * `x-ga-gcs` is `G1xy` with x = ad_storage. Granted-required: starts with `G11`. Block-if-denied: does
 * not start with `G10`, so sites without Consent Mode (no gcs at all) still send.
 */
function consentConditions(policy: ConsentPolicy, consentVariable: string | undefined): DesiredCondition[] {
  if (policy === "not-enforced" || consentVariable === undefined) return [];
  if (policy === "ad-storage-granted") return [condition("startsWith", reference(consentVariable), "G11")];
  return [condition("startsWith", reference(consentVariable), "G10", { negate: true })];
}

function environmentStatement(env: EnvironmentConfig, logType: LogType): PlanEnvironment {
  const { tiktok, gtm } = env;
  const origin = tiktok.consentExplicit ? "explicit" : "tier default";
  const consentStatement = {
    "ad-storage-granted":
      "TikTok tags fire only when the GA4 consent state (x-ga-gcs) says ad_storage is granted (G11x); events without consent state (no Consent Mode) are not sent",
    "block-if-denied":
      "TikTok tags fire unless the GA4 consent state (x-ga-gcs) says ad_storage is denied (G10x); events without consent state (no Consent Mode) are sent",
    "not-enforced":
      "consent is NOT enforced: TikTok tags fire for every mapped GA4 event whatever the visitor's consent state",
  }[tiktok.consent];
  return {
    stack: env.stackName,
    tier: env.tier,
    accountId: gtm.accountId,
    containerId: gtm.containerId,
    workspace: gtm.workspace,
    clientName: gtm.clientName,
    consent: {
      policy: tiktok.consent,
      explicit: tiktok.consentExplicit,
      origin,
      statement:
        origin === "explicit"
          ? `${consentStatement} (tiktok.consent: ${tiktok.consent})`
          : `${consentStatement} (default of the ${env.tier} tier; set tiktok.consent to make it explicit)`,
    },
    pixelEventNames: { naming: tiktok.pixelEventNames, statement: pixelStatement(env) },
    tagLayout: {
      layout: tiktok.tagLayout,
      statement:
        tiktok.tagLayout === "single"
          ? "single: one tag whose TikTok event comes from a lookup table on Event Name"
          : "per-event: one tag and one trigger per GA4 event",
    },
    publishByDefault: gtm.publish,
    logType,
    ...(tiktok.testEventCode !== undefined ? { testEventCode: tiktok.testEventCode } : {}),
  };
}

/** Deduplication needs identical names on both sides, so the plan says which naming the server follows. */
function pixelStatement(env: EnvironmentConfig): string {
  const legacyNames = new Set(Object.keys(TIKTOK_LEGACY_RENAMES));
  const currentNames = new Set(Object.values(TIKTOK_LEGACY_RENAMES) as string[]);
  const naming = env.tiktok.pixelEventNames;
  const renamed = env.tiktok.events.filter((e) =>
    (naming === "legacy" ? legacyNames : currentNames).has(e.tiktokEvent),
  );
  const examples = renamed.map((e) => `${e.ga4Event} -> ${e.tiktokEvent}`).join(", ");
  const which = naming === "legacy" ? "legacy names" : "current names";
  return examples
    ? `pixel sends ${which}: ${examples} so pixel and server deduplicate`
    : `pixel sends ${which}; no mapped event differs between legacy and current names`;
}

// ---------------------------------------------------------------------------------------------------
// From desired bodies to API bodies (apply)

export interface ApplyBindings {
  /** Type of the imported TikTok template; needed while a tag body carries the placeholder. */
  readonly tagType?: string;
  /** Trigger name -> id, for tags. */
  readonly triggerIds?: ReadonlyMap<string, string>;
  /** The token read at apply time; substituted for the sensitive marker. */
  readonly accessToken?: string;
}

/** The API body to create or PUT (full replace) for a desired entity. Throws when a binding is missing. */
export function toApiBody(kind: "tag", body: DesiredTag, bindings: ApplyBindings): Tag;
export function toApiBody(kind: "trigger", body: DesiredTrigger, bindings: ApplyBindings): Trigger;
export function toApiBody(kind: "variable", body: DesiredVariable, bindings: ApplyBindings): Variable;
export function toApiBody(
  kind: OwnedKind,
  body: DesiredEntity,
  bindings: ApplyBindings,
): Tag | Trigger | Variable;
export function toApiBody(
  kind: OwnedKind,
  body: DesiredEntity,
  bindings: ApplyBindings,
): Tag | Trigger | Variable {
  const parameters = (list: readonly DesiredParameter[]) => list.map((p) => toApiParameter(p, bindings));
  if (kind === "variable") {
    const v = body as DesiredVariable;
    return { name: v.name, type: v.type, notes: v.notes, parameter: parameters(v.parameter) };
  }
  if (kind === "trigger") {
    const t = body as DesiredTrigger;
    const conditions = (list: readonly DesiredCondition[]) =>
      list.map((c) => ({ type: c.type, parameter: parameters(c.parameter) }));
    return {
      name: t.name,
      type: t.type,
      notes: t.notes,
      customEventFilter: conditions(t.customEventFilter),
      ...(t.filter.length > 0 ? { filter: conditions(t.filter) } : {}),
    };
  }
  const tag = body as DesiredTag;
  const type = tag.type === TAG_TYPE_PLACEHOLDER ? bindings.tagType : tag.type;
  if (!type) throw new Error(`tag "${tag.name}": the TikTok template's tag type is not known yet`);
  return {
    name: tag.name,
    type,
    notes: tag.notes,
    parameter: parameters(tag.parameter),
    firingTriggerId: tag.firingTriggerNames.map((name) => {
      const id = bindings.triggerIds?.get(name);
      if (id === undefined) throw new Error(`tag "${tag.name}": trigger "${name}" has no id yet`);
      return id;
    }),
    tagFiringOption: tag.tagFiringOption,
  };
}

function toApiParameter(p: DesiredParameter, bindings: ApplyBindings): Parameter {
  const out: Parameter = { type: p.type };
  if (p.key !== undefined) out.key = p.key;
  if (isSensitiveValue(p.value)) {
    if (bindings.accessToken === undefined)
      throw new Error("the access token is needed to write its constant");
    out.value = bindings.accessToken;
  } else if (p.value !== undefined) {
    out.value = p.value;
  }
  if (p.list) out.list = p.list.map((x) => toApiParameter(x, bindings));
  if (p.map) out.map = p.map.map((x) => toApiParameter(x, bindings));
  return out;
}

/** The tag with its template type resolved (the plan does this when the template is already there). */
export function withTagType(tag: DesiredTag, type: string | undefined): DesiredTag {
  return type !== undefined && tag.type === TAG_TYPE_PLACEHOLDER ? { ...tag, type } : tag;
}

// ---------------------------------------------------------------------------------------------------
// Small builders

function text(key: string, value: string): DesiredParameter {
  return { type: "template", key, value };
}

function condition(
  type: ConditionType,
  arg0: string,
  arg1: string,
  options: { negate?: boolean } = {},
): DesiredCondition {
  return {
    type,
    parameter: [
      text("arg0", arg0),
      text("arg1", arg1),
      ...(options.negate ? [{ type: "boolean" as const, key: "negate", value: "true" }] : []),
    ],
  };
}

function sortParameters(parameters: DesiredParameter[]): DesiredParameter[] {
  return [...parameters].sort((a, b) => ((a.key ?? "") < (b.key ?? "") ? -1 : 1));
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
