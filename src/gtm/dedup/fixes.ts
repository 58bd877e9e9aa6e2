/**
 * The exact changes the deduplication findings ask for, in the words of GTM's UI and of the
 * environment file: where an event id goes on each kind of tag, and which id source to use.
 */
import type { Ga4Send } from "./ga4";
import { EVENT_ID_TEMPLATES, type IdSource } from "./id-source";
import type { PixelSend } from "./pixel";
import { paramValue, type WebContainer } from "./web-container";

/** How a tag is named in messages: `GA4 tag 'GA4 - purchase'`, `Google tag 'GT - base'`. */
export function ga4Label(send: Ga4Send): string {
  return `${send.kind === "google-tag" ? "Google tag" : "GA4 tag"} '${send.tag}'`;
}

export function pixelLabel(send: PixelSend): string {
  return `pixel tag '${send.tag}'`;
}

/** The change that makes a pixel tag send `source` as its event id. */
export function setPixelEventId(send: PixelSend, source: string): string {
  if (send.kind === "custom-html") {
    const call = send.call ?? "ttq.track(...)";
    if (call.startsWith("ttq.page")) {
      return `in tag '${send.tag}', replace ${call} with ttq.track('Pageview', {}, {event_id: '${source}'})`;
    }
    return `in tag '${send.tag}', pass {event_id: '${source}'} as the third argument of ${call}`;
  }
  if (send.kind === "stape-template") return `set the Event ID of tag '${send.tag}' to ${source}`;
  return `set event_id of tag '${send.tag}' to ${source}`;
}

/** The change that makes a GA4 tag (or the Google tag it inherits from) send `source` as event_id. */
export function setGa4EventId(send: Ga4Send, source: string): string {
  if (send.kind === "google-tag") {
    return `add the event setting event_id = ${source} to Google tag '${send.tag}'`;
  }
  return `add the event parameter event_id = ${source} to tag '${send.tag}'`;
}

/** An id variable the container already has, the same for every tag of one data layer event. */
interface IdVariable {
  readonly text: string;
  /** A Data Layer Variable reads what the page pushes; the page must push it with every event. */
  readonly dataLayer: boolean;
}

/**
 * An id source the container already has that is the same for every tag of an event: a Data Layer
 * Variable reading `event_id` (or `eventId`), else a variable of an event id template. Undefined: none.
 */
export function existingIdVariable(web: WebContainer): IdVariable | undefined {
  const variables = [...web.variables.values()].sort((a, b) => (a.name ?? "").localeCompare(b.name ?? ""));
  const dataLayer = variables.find(
    (v) => v.type === "v" && /^event_?id$/i.test(paramValue(v.parameter, "name") ?? ""),
  );
  if (dataLayer?.name) return { text: `{{${dataLayer.name}}}`, dataLayer: true };
  const template = variables.find((v) => {
    const gallery = web.templateOf(v.type)?.galleryReference;
    return EVENT_ID_TEMPLATES.includes(`${gallery?.owner ?? ""}/${gallery?.repository ?? ""}`.toLowerCase());
  });
  return template?.name ? { text: `{{${template.name}}}`, dataLayer: false } : undefined;
}

/** The id source a fix asks both sides to use, and what has to happen before. */
export interface Recommendation {
  readonly text: string;
  /** The steps before setting it (pushing the id, creating the variable), ending in ", then "; or "". */
  readonly before: string;
}

/**
 * The source a fix should use: the stable side's (already sent, nothing to prepare), else an id
 * variable the container has, else a new Data Layer Variable.
 */
export function recommendedSource(
  web: WebContainer,
  ga4Event: string,
  ...sides: readonly IdSource[]
): Recommendation {
  const stable = sides.find((side) => side.kind === "stable");
  if (stable?.kind === "stable") return { text: stable.text, before: "" };
  const push = `push an id with every ${ga4Event} (dataLayer.push({event: '${ga4Event}', event_id: '<unique id>'}))`;
  const existing = existingIdVariable(web);
  if (existing) return { text: existing.text, before: existing.dataLayer ? `${push}, then ` : "" };
  const text = "{{DLV - event_id}}";
  return { text, before: `${push}, create the Data Layer Variable ${text} reading event_id, then ` };
}
