/**
 * The desired server container, as a pure function of one environment's config: the TikTok template
 * (imported from the gallery at a pinned sha, or reused), the built-in variables the kit's entities
 * read, and the variables, triggers and tags the kit owns. No I/O, no clock: the same config always
 * gives the same entities in the same order, so plans, renders and exports are reproducible.
 */
import type { EnvironmentConfig, ResolvedEvent } from "../../config/model";
import type { UserField, ValueSource } from "../../config/schema";
import { compareText } from "../core/normalize";
import { ownedNotes } from "../core/ownership";
import { ACCESS_TOKEN_MARKER } from "../core/sensitive";
import {
  hashModeOf,
  isTemplateEventOption,
  TAG_TYPE_PLACEHOLDER,
  TIKTOK_GALLERY,
  TIKTOK_GALLERY_HOST,
  TIKTOK_TEMPLATE_DISPLAY_NAME,
  type TikTokParameterKey,
} from "../core/tiktok-template";
import { clientGroups, clientNameTest, clientsPhrase, escapeRegex } from "./client-groups";
import { consentGate } from "./consent";
import {
  ACCESS_TOKEN_VARIABLE,
  constantVariableName,
  EVENT_ID_KEY_PATH,
  EVENT_LOOKUP_VARIABLE,
  eventDataVariableName,
  eventNameVariableName,
  PIXEL_ID_VARIABLE,
  perEventTagName,
  perEventTriggerName,
  reference,
  SINGLE_TAG_NAME,
  SINGLE_TRIGGER_NAME,
} from "./names";
import { retiringContainer } from "./retired";
import { environmentStatement } from "./statements";
import {
  type ConditionType,
  type DesiredCondition,
  type DesiredContainer,
  type DesiredParameter,
  type DesiredTag,
  type DesiredTrigger,
  type DesiredVariable,
  type LogType,
  REQUIRED_BUILT_INS,
} from "./types";

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

/**
 * The environment's desired container; a retired environment's (`retired: true`) holds nothing the
 * kit owns, so the plan removes every tag, trigger and variable of it (./retired.ts).
 */
export function desiredContainer(env: EnvironmentConfig): DesiredContainer {
  return env.retired ? retiringContainer(activeContainer(env)) : activeContainer(env);
}

/** What the kit keeps in the container for the environment while it runs. */
function activeContainer(env: EnvironmentConfig): DesiredContainer {
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

  const triggers: DesiredTrigger[] = [];
  const tags: DesiredTag[] = [];
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
  // One trigger per event and consent source of the clients (./client-groups.ts): the client's name
  // and its consent signal, all of which must hold.
  const groups = clientGroups(gtm.clients).map((group) => {
    const gate = consentGate(tiktok.consent, tiktok.consentUndeclared, group.consentFrom);
    const client = clientNameTest(group.names);
    const filter: DesiredCondition[] = [
      condition(client.type, reference("Client Name"), client.value),
      ...gate.tests.map((t) =>
        condition(t.type, reference(eventDataVariable(t.signal.keyPath)), t.pattern, { negate: t.negate }),
      ),
    ];
    return { ...group, gate, filter };
  });

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
  // The undeclared choice is named only when it differs from the policy's default: the notes of
  // existing triggers stay as they were.
  const undeclared = tiktok.consentUndeclaredExplicit ? `, undeclared: ${tiktok.consentUndeclared}` : "";
  /** One trigger per client group, on the events `customEventFilter` matches; returns their names. */
  const addTriggers = (baseName: string, events: string, customEventFilter: DesiredCondition): string[] =>
    groups.map((group) => {
      const name = `${baseName}${group.triggerSuffix}`;
      triggers.push({
        name,
        type: "customEvent",
        notes: notes(
          `Fires on ${events} from ${clientsPhrase(group.names)}; consent: ${tiktok.consent}${undeclared} (${group.gate.summary}).`,
        ),
        customEventFilter: [customEventFilter],
        filter: group.filter,
      });
      return name;
    });

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
    const triggerNames = addTriggers(
      SINGLE_TRIGGER_NAME,
      `the GA4 events ${tiktok.events.map((e) => e.ga4Event).join(", ")}`,
      condition("matchRegex", reference("_event"), `^(${ga4Events.join("|")})$`),
    );
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
      firingTriggerNames: triggerNames,
      tagFiringOption: "oncePerEvent",
    });
  } else {
    for (const event of tiktok.events) {
      const triggerNames = addTriggers(
        perEventTriggerName(event.ga4Event),
        `the GA4 event ${event.ga4Event}`,
        condition("equals", reference("_event"), event.ga4Event),
      );
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
        firingTriggerNames: triggerNames,
        tagFiringOption: "oncePerEvent",
      });
    }
  }

  const byName = <T extends { name: string }>(a: T, b: T) => compareText(a.name, b.name);
  const ownGa4Events = tiktok.events.filter((e) => e.customGa4Event).map((e) => e.ga4Event);
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
    ...(ownGa4Events.length > 0 ? { ownGa4Events } : {}),
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
  // The template copies custom_properties into the event's `properties`, where TikTok's catalog
  // matching reads content_type and content_ids; the template itself never sets them at that level
  // (docs/facts/tiktok-events-api.md#what-the-template-reads-by-itself).
  const customProperties = new Map<string, string>(
    Object.entries(event.customProperties).map(([key, source]) => [key, sourceValue(source)]),
  );
  if (event.contentType !== undefined) customProperties.set("content_type", event.contentType);
  if (event.contentIds !== undefined) customProperties.set("content_ids", sourceValue(event.contentIds));
  if (customProperties.size > 0) {
    parameters.push({
      type: "list",
      key: "custom_properties",
      list: [...customProperties.keys()].sort().map((key) => ({
        type: "map" as const,
        map: [text("key", key), text("value", customProperties.get(key) as string)],
      })),
    });
  }
  const userKeys: TikTokParameterKey[] = [];
  for (const field of Object.keys(event.user).sort() as UserField[]) {
    const source = event.user[field];
    if (!source) continue;
    userKeys.push(USER_FIELD_KEYS[field]);
    parameters.push(text(USER_FIELD_KEYS[field], sourceValue(source)));
  }
  const hash = hashParameter(userKeys, event.ga4Event);
  if (hash) parameters.push(hash);
  return parameters;
}

/**
 * `hash` has no default and decides which user fields the GTM UI shows (plain for `non-hashed`,
 * `sha256_*` for `hashed`): written whenever user fields are, so a reviewer sees in GTM what is sent.
 * A tag gets one group only; the config rule `userHashGroups` rejects an event mapping both.
 */
function hashParameter(
  userKeys: readonly TikTokParameterKey[],
  ga4Event: string,
): DesiredParameter | undefined {
  const modes = new Set(userKeys.map(hashModeOf));
  if (modes.size === 0) return undefined;
  const [mode] = modes;
  if (modes.size > 1 || mode === undefined) {
    throw new Error(`the event ${ga4Event} maps plain and SHA-256 user fields: one tag shows only one group`);
  }
  return text("hash", mode);
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
