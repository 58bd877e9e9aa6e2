/**
 * The web container's GA4 side: which GA4 events its tags send, where they send them (the Google tag's
 * `server_container_url`) and with which `event_id`. A GA4 event tag sends through the Google tag of
 * its measurement id and inherits that tag's event settings; a Google tag sends `page_view` itself
 * unless `send_page_view` is false (docs/facts/web-gtm.md#ga4-tags-and-the-server-container).
 */
import type { Parameter, Tag } from "../core/api";
import { lowerCamelEnum } from "../core/normalize";
import { classifyIdValue, type IdSource } from "./id-source";
import {
  type Firing,
  paramOf,
  paramValue,
  resolveConstants,
  soleReference,
  tableValue,
  type WebContainer,
} from "./web-container";

/** Where a GA4 tag's events go. */
export type Ga4Route =
  | { readonly kind: "server"; readonly url: string; readonly googleTag: string }
  | { readonly kind: "elsewhere"; readonly url: string; readonly googleTag: string }
  | { readonly kind: "google-direct"; readonly googleTag: string }
  | { readonly kind: "no-google-tag"; readonly measurementId: string }
  | { readonly kind: "unknown"; readonly why: string };

export interface Ga4Send {
  readonly tag: string;
  readonly kind: "ga4-event" | "google-tag";
  /** GA4 event names the tag sends; undefined when the kit cannot tell (a variable it cannot resolve). */
  readonly events?: readonly string[];
  readonly firing: Firing;
  readonly eventId: IdSource;
  /** Where that event_id is set: the tag itself, or the Google tag it inherits from. */
  readonly eventIdFrom: string;
  readonly route: Ga4Route;
}

interface GoogleTag {
  readonly name: string;
  /** The measurement or tag id as written (`G-ABC123`, `{{GA4 ID}}`), and resolved when it can be. */
  readonly id: string;
  readonly resolvedId?: string;
  readonly serverUrl?: string;
  readonly sendsPageView: boolean;
  readonly eventIdText?: string;
  readonly firing: Firing;
}

const SERVER_URL_SETTINGS = ["server_container_url", "transport_url"] as const;

export function ga4Sends(web: WebContainer, taggingHost: string): Ga4Send[] {
  const googleTags = web.tags.flatMap((tag) => googleTagOf(tag, web) ?? []);
  const sends: Ga4Send[] = [];
  for (const google of googleTags) {
    if (!google.sendsPageView || !google.firing.pageLoad) continue;
    sends.push({
      tag: google.name,
      kind: "google-tag",
      events: ["page_view"],
      firing: google.firing,
      eventId: classifyIdValue(google.eventIdText, web),
      eventIdFrom: `the event settings of Google tag '${google.name}'`,
      route: routeOf(google, web, taggingHost),
    });
  }
  for (const tag of web.tags) {
    if (tag.type !== "gaawe") continue;
    sends.push(ga4EventSend(tag, web, googleTags, taggingHost));
  }
  return sends;
}

function ga4EventSend(
  tag: Tag,
  web: WebContainer,
  googleTags: readonly GoogleTag[],
  taggingHost: string,
): Ga4Send {
  const firing = web.firingOf(tag);
  const google = googleTagFor(tag, web, googleTags);
  const own = eventSettingsEventId(tag.parameter, web) ?? legacyEventParameter(tag.parameter);
  const eventIdText = own ?? google?.tag?.eventIdText;
  return {
    tag: tag.name ?? "",
    kind: "ga4-event",
    ...eventNamesOf(tag, firing, web),
    firing,
    eventId: classifyIdValue(eventIdText, web),
    eventIdFrom:
      own === undefined && google?.tag?.eventIdText !== undefined
        ? `the event settings of Google tag '${google.tag.name}'`
        : `the event parameters of tag '${tag.name ?? ""}'`,
    route: google?.tag
      ? routeOf(google.tag, web, taggingHost)
      : google?.measurementId
        ? { kind: "no-google-tag", measurementId: google.measurementId }
        : { kind: "unknown", why: `tag '${tag.name ?? ""}' names no measurement id the kit can read` },
  };
}

/** `eventName` as written, `{{Event}}` standing for the data layer events that fire the tag. */
function eventNamesOf(tag: Tag, firing: Firing, web: WebContainer): { events?: readonly string[] } {
  const written = paramValue(tag.parameter, "eventName") ?? "";
  const reference = soleReference(written);
  if (reference === "Event" || reference === "_event") return { events: [...firing.events] };
  const resolved = resolveConstants(written, web);
  return resolved === undefined || resolved === "" ? {} : { events: [resolved] };
}

/** The Google tag a GA4 event tag sends through, found by measurement id (or by a legacy tag reference). */
function googleTagFor(
  tag: Tag,
  web: WebContainer,
  googleTags: readonly GoogleTag[],
): { tag?: GoogleTag; measurementId?: string } | undefined {
  const legacy = paramOf(tag.parameter, "measurementId");
  if (legacy && lowerCamelEnum(legacy.type ?? "") === "tagReference") {
    return { tag: googleTags.find((g) => g.name === legacy.value) };
  }
  const id = paramValue(tag.parameter, "measurementIdOverride") ?? legacy?.value ?? undefined;
  if (!id) return undefined;
  const resolved = resolveConstants(id, web);
  const found = googleTags.find((g) =>
    resolved !== undefined && g.resolvedId !== undefined ? g.resolvedId === resolved : g.id === id,
  );
  return { ...(found ? { tag: found } : {}), measurementId: resolved ?? id };
}

function googleTagOf(tag: Tag, web: WebContainer): GoogleTag | undefined {
  if (tag.type === "googtag") {
    const setting = (key: string) =>
      tableValue(tag.parameter, "configSettingsTable", key) ??
      tableValue(settingsVariable(tag.parameter, "configSettingsVariable", web), "configSettingsTable", key);
    return googleTag(tag, web, {
      id: paramValue(tag.parameter, "tagId") ?? "",
      setting,
      sendsPageView: setting("send_page_view") !== "false",
      eventIdText: eventSettingsEventId(tag.parameter, web),
    });
  }
  if (tag.type === "gaawc") {
    const setting = (name: string) =>
      tableValue(tag.parameter, "fieldsToSet", name, { name: "fieldName", value: "value" });
    return googleTag(tag, web, {
      id: paramValue(tag.parameter, "measurementId") ?? "",
      setting,
      sendsPageView: paramValue(tag.parameter, "sendPageView") !== "false",
      eventIdText: setting("event_id"),
    });
  }
  return undefined;
}

function googleTag(
  tag: Tag,
  web: WebContainer,
  read: {
    readonly id: string;
    readonly setting: (key: string) => string | undefined;
    readonly sendsPageView: boolean;
    readonly eventIdText: string | undefined;
  },
): GoogleTag {
  return {
    name: tag.name ?? "",
    id: read.id,
    ...optional("resolvedId", resolveConstants(read.id, web)),
    ...optional(
      "serverUrl",
      SERVER_URL_SETTINGS.map(read.setting).find((url) => url !== undefined),
    ),
    sendsPageView: read.sendsPageView,
    ...optional("eventIdText", read.eventIdText),
    firing: web.firingOf(tag),
  };
}

/** `event_id` from a tag's own event settings, else from its event settings variable (`gtes`). */
function eventSettingsEventId(parameters: Parameter[] | null | undefined, web: WebContainer) {
  return (
    tableValue(parameters, "eventSettingsTable", "event_id") ??
    tableValue(settingsVariable(parameters, "eventSettingsVariable", web), "eventSettingsTable", "event_id")
  );
}

/** Older GA4 event tags list parameters as `eventParameters` rows of name/value. */
function legacyEventParameter(parameters: Parameter[] | null | undefined): string | undefined {
  return tableValue(parameters, "eventParameters", "event_id", { name: "name", value: "value" });
}

/** The parameters of the settings variable (`gtes`, `gtcs`) a tag names in `key`. */
function settingsVariable(parameters: Parameter[] | null | undefined, key: string, web: WebContainer) {
  const name = soleReference(paramValue(parameters, key) ?? "");
  return name === undefined ? undefined : web.variables.get(name)?.parameter;
}

function routeOf(google: GoogleTag, web: WebContainer, taggingHost: string): Ga4Route {
  const googleTag = google.name;
  if (google.serverUrl === undefined) return { kind: "google-direct", googleTag };
  const url = resolveConstants(google.serverUrl, web);
  if (url === undefined) {
    return {
      kind: "unknown",
      why: `the server container URL of Google tag '${googleTag}' is ${google.serverUrl}, which the kit cannot resolve`,
    };
  }
  return hostOf(url) === taggingHost.toLowerCase()
    ? { kind: "server", url, googleTag }
    : { kind: "elsewhere", url, googleTag };
}

function hostOf(url: string): string | undefined {
  for (const candidate of [url, `https://${url}`]) {
    try {
      return new URL(candidate).hostname.toLowerCase();
    } catch {
      // not a URL as written: try with a scheme
    }
  }
  return undefined;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
