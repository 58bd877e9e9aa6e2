/**
 * The event map and the article's pitfalls, checked before any API call: unknown TikTok names,
 * Purchase without value/currency/contents, non-ISO currencies, pre-hashed data in plain fields,
 * pixel/server name mismatches that break deduplication, overrides that a single tag cannot honour.
 * The rules come from docs/facts/tiktok-events-api.md (#events-api-rules, #hashing, and
 * #the-article-behind-the-defaults for the pitfalls).
 */
import { describeValue, didYouMean, type ProblemDetails } from "./errors";
import type { ResolvedEvent } from "./model";
import type { EventMapping, UserField, ValueSource } from "./schema";
import {
  DEFAULT_EVENT_MAP,
  GA4_EVENTS,
  ISO_4217,
  type PixelEventNames,
  TIKTOK_CURRENT_EVENTS,
  TIKTOK_DEPRECATED_EVENTS,
  TIKTOK_LEGACY_RENAMES,
} from "./tables";

/** Reports a problem at a key path; the caller knows which file supplied it. */
export type Report = (path: readonly (string | number)[], problem: ProblemDetails) => void;

const PURCHASE_NAMES = new Set(["Purchase", "CompletePayment"]);
const PLAIN_TO_HASHED: Readonly<Partial<Record<UserField, UserField>>> = {
  email: "sha256Email",
  phone: "sha256Phone",
  externalId: "sha256ExternalId",
};
const SHA256_HEX = /^[a-f0-9]{64}$/i;
const HASHED_KEY_PATH = /sha256|hashed|_hash\b|\bhash_/i;

export interface EventMapInput {
  readonly events: Readonly<Record<string, string | null | EventMapping>> | undefined;
  readonly pixelEventNames: PixelEventNames;
  readonly tagLayout: "per-event" | "single";
}

/**
 * The event map's entries in GA4 event order, each as a full mapping (`purchase: Purchase` and
 * `purchase: {}` expanded); the kit's default map when `events` is not set.
 */
export function eventMappings(events: EventMapInput["events"]): [ga4Event: string, mapping: EventMapping][] {
  const entries = events ?? Object.fromEntries(Object.keys(DEFAULT_EVENT_MAP).map((k) => [k, null]));
  return Object.keys(entries)
    .sort()
    .map((ga4Event) => {
      const raw = entries[ga4Event];
      return [
        ga4Event,
        raw === null || raw === undefined ? {} : typeof raw === "string" ? { event: raw } : raw,
      ];
    });
}

export function resolveEvents(input: EventMapInput, report: Report): ResolvedEvent[] {
  const resolved: ResolvedEvent[] = [];
  for (const [ga4Event, mapping] of eventMappings(input.events)) {
    const path = ["tiktok", "events", ga4Event];
    const tiktokEvent = mapping.event ?? DEFAULT_EVENT_MAP[ga4Event]?.[input.pixelEventNames];
    if (tiktokEvent === undefined) {
      const suggestion = ga4EventSuggestion(ga4Event);
      const mapIt = `set \`${ga4Event}: { event: <TikTok event> }\``;
      report(path, {
        message: "no default TikTok event for this GA4 event",
        got: describeValue(ga4Event),
        allowed: `GA4 events with defaults: ${Object.keys(DEFAULT_EVENT_MAP).join(", ")}`,
        fix: suggestion ? `did you mean ${suggestion}? Otherwise ${mapIt}` : mapIt,
      });
      continue;
    }
    if (!mapping.custom && !mapping.customGa4Event) checkGa4EventName(ga4Event, path, report);
    checkEventName(tiktokEvent, mapping.custom === true, input.pixelEventNames, [...path, "event"], report);
    if (input.tagLayout === "single") checkNoOverrides(mapping, path, report);

    const hasCustomProperties =
      mapping.value !== undefined || mapping.currency !== undefined || mapping.contents !== undefined;
    if (hasCustomProperties && PURCHASE_NAMES.has(tiktokEvent)) {
      for (const key of ["value", "currency", "contents"] as const) {
        if (mapping[key] === undefined) {
          report([...path, key], {
            message: `${tiktokEvent} with custom properties needs a ${key} source (value-based optimisation)`,
            got: "nothing",
            allowed: "{ eventData: ... } | { constant: ... } | { variable: ... }",
            fix:
              key === "contents"
                ? "add `contents: { eventData: tt_contents }` or drop all property overrides so the template reads GA4 items"
                : `add \`${key}:\` or drop all property overrides so the template reads GA4 value/currency/items`,
          });
        }
      }
    }
    if (mapping.currency) checkCurrency(mapping.currency, [...path, "currency"], report);
    if (mapping.value && "constant" in mapping.value && !/^-?\d+(\.\d+)?$/.test(mapping.value.constant)) {
      report([...path, "value", "constant"], {
        message: "value must be a number",
        got: describeValue(mapping.value.constant),
        allowed: "digits with an optional decimal point, e.g. 49.90",
      });
    }
    for (const [field, source] of Object.entries(mapping.user ?? {}) as [UserField, ValueSource][]) {
      checkUserField(field, source, [...path, "user", field], report);
    }
    resolved.push({
      ga4Event,
      tiktokEvent,
      custom: mapping.custom === true,
      customGa4Event: mapping.custom === true || mapping.customGa4Event === true,
      properties: hasCustomProperties
        ? {
            source: "custom",
            value: mapping.value,
            currency: mapping.currency,
            contents: mapping.contents,
          }
        : { source: "ga" },
      customProperties: mapping.customProperties ?? {},
      ...(mapping.contentType !== undefined ? { contentType: mapping.contentType } : {}),
      ...(mapping.contentIds !== undefined ? { contentIds: mapping.contentIds } : {}),
      user: mapping.user ?? {},
    });
  }
  return resolved;
}

/** Whether GA4 web streams send this event name (recommended, enhanced measurement, automatic). */
export function isKnownGa4Event(name: string): boolean {
  return (GA4_EVENTS as readonly string[]).includes(name);
}

/** The known GA4 event an unknown name is probably a typo of, if any. */
export function ga4EventSuggestion(name: string): string | undefined {
  return isKnownGa4Event(name) ? undefined : didYouMean(name, GA4_EVENTS);
}

/**
 * The key is the trigger's exact event name: one GA4 never sends (a typo, a wrong case) makes a trigger
 * that never fires, silently. A warning, since a site may send events of its own; those say so with
 * `customGa4Event: true` (docs/facts/tiktok-events-api.md#ga4-event-names).
 */
function checkGa4EventName(ga4Event: string, path: readonly (string | number)[], report: Report): void {
  if (isKnownGa4Event(ga4Event)) return;
  const suggestion = ga4EventSuggestion(ga4Event);
  const ownEvent = `if ${ga4Event} is the site's own event, add \`customGa4Event: true\``;
  report(path, {
    severity: "warning",
    message:
      "not a GA4 event the kit knows (recommended, enhanced measurement or collected automatically): its trigger fires only if the site sends exactly this event name",
    got: describeValue(ga4Event),
    allowed: "GA4's event names, or the site's own events marked customGa4Event: true",
    fix: suggestion ? `did you mean ${suggestion}? ${capitalised(ownEvent)}` : capitalised(ownEvent),
  });
}

function capitalised(text: string): string {
  return `${text[0].toUpperCase()}${text.slice(1)}`;
}

function checkEventName(
  name: string,
  custom: boolean,
  pixel: PixelEventNames,
  path: readonly (string | number)[],
  report: Report,
): void {
  if (custom) return;
  const legacy = Object.keys(TIKTOK_LEGACY_RENAMES) as (keyof typeof TIKTOK_LEGACY_RENAMES)[];
  const renamedTo = (TIKTOK_LEGACY_RENAMES as Record<string, string>)[name];
  if (renamedTo !== undefined) {
    if (pixel === "current") {
      report(path, {
        message: `"${name}" is TikTok's legacy name, but tiktok.pixelEventNames is current: pixel and server names must be identical to deduplicate`,
        got: describeValue(name),
        allowed: TIKTOK_CURRENT_EVENTS.join(", "),
        fix: `use ${renamedTo}, or set tiktok.pixelEventNames: legacy if your pixel sends ${name}`,
      });
    }
    return;
  }
  const legacyEquivalent = legacy.find((old) => TIKTOK_LEGACY_RENAMES[old] === name);
  if (pixel === "legacy" && legacyEquivalent) {
    report(path, {
      message: `your pixel sends legacy names (tiktok.pixelEventNames: legacy), so the server must send ${legacyEquivalent} for deduplication`,
      got: describeValue(name),
      allowed: legacyEquivalent,
      fix: `use ${legacyEquivalent}, or switch tiktok.pixelEventNames to current once the pixel sends ${name}`,
    });
    return;
  }
  if ((TIKTOK_CURRENT_EVENTS as readonly string[]).includes(name)) return;
  const deprecated = (TIKTOK_DEPRECATED_EVENTS as readonly string[]).includes(name);
  const allowed = [...TIKTOK_CURRENT_EVENTS, ...(pixel === "legacy" ? legacy : [])];
  const suggestion = didYouMean(name, allowed);
  report(path, {
    message: deprecated ? "deprecated TikTok event (sunset 2027)" : "unknown TikTok event name",
    got: describeValue(name),
    allowed: allowed.join(", "),
    fix:
      suggestion && !deprecated
        ? `did you mean ${suggestion}? (or add \`custom: true\` for a custom event)`
        : "add `custom: true` to send a custom event",
  });
}

function checkCurrency(source: ValueSource, path: readonly (string | number)[], report: Report): void {
  if (!("constant" in source)) return;
  if (ISO_4217.has(source.constant)) return;
  const upper = source.constant.toUpperCase();
  report([...path, "constant"], {
    message: "currency must be an ISO 4217 code (TikTok silently drops the value otherwise)",
    got: describeValue(source.constant),
    allowed: "three-letter ISO 4217 codes such as USD, EUR, GBP",
    fix: ISO_4217.has(upper) ? `write ${upper}` : symbolFix(source.constant),
  });
}

function symbolFix(value: string): string {
  const symbols: Record<string, string> = {
    $: "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    dollars: "USD",
    euro: "EUR",
  };
  const code = symbols[value.trim().toLowerCase()] ?? symbols[value.trim()];
  return code ? `write ${code}` : "write the ISO 4217 code of the shop's currency";
}

function checkUserField(
  field: UserField,
  source: ValueSource,
  path: readonly (string | number)[],
  report: Report,
): void {
  const hashedField = PLAIN_TO_HASHED[field];
  const looksHashed =
    ("constant" in source && SHA256_HEX.test(source.constant)) ||
    ("eventData" in source && HASHED_KEY_PATH.test(source.eventData)) ||
    ("variable" in source && HASHED_KEY_PATH.test(source.variable));
  if (hashedField && looksHashed) {
    report(path, {
      message: `${field} takes raw values, which the template normalises and hashes; this source looks already hashed (a hash passes through only if it is exactly 64 hex characters, so a prefixed or upper-case one is hashed again)`,
      got: describeValue(Object.values(source)[0]),
      allowed: `a raw ${field} source here, or the hashed source under ${hashedField}`,
      fix: `move it to \`user.${hashedField}\``,
    });
  }
  if (!hashedField && "constant" in source && !SHA256_HEX.test(source.constant)) {
    report(path, {
      message: `${field} takes a SHA-256 hex digest`,
      got: describeValue(source.constant),
      allowed: "64 hexadecimal characters",
      fix: `put raw values in the plain field instead of ${field}`,
    });
  }
}

function checkNoOverrides(mapping: EventMapping, path: readonly (string | number)[], report: Report): void {
  const overrides = (
    ["value", "currency", "contents", "contentType", "contentIds", "customProperties", "user"] as const
  ).filter((k) => mapping[k] !== undefined);
  for (const key of overrides) {
    report([...path, key], {
      message: "tiktok.tagLayout is single: one tag serves every event, so per-event overrides cannot apply",
      got: key,
      allowed: "event, custom",
      fix: "set tiktok.tagLayout: per-event, or remove the override",
    });
  }
}
