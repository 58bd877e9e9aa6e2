/**
 * The web container's TikTok pixel side: every event a pixel tag sends, with the name TikTok receives
 * and its event id. Three kinds of tag are read: TikTok's official template, Stape's template and
 * Custom HTML calling `ttq` (docs/facts/web-gtm.md#tiktok-pixel-tags). A template's event name can
 * depend on the data layer event (`{{Event}}`, mapped by the template), so one tag may give one send
 * per data layer event.
 */
import type { Tag } from "../core/api";
import { bareReference, objectProperty, stringLiteral, ttqCalls, valueText } from "./custom-html";
import { classifyIdValue, type IdSource, newValueEachRun } from "./id-source";
import {
  type Firing,
  paramOf,
  paramValue,
  resolveConstants,
  soleReference,
  type WebContainer,
} from "./web-container";

export type PixelTagKind = "tiktok-template" | "stape-template" | "custom-html";

export interface PixelSend {
  readonly tag: string;
  readonly kind: PixelTagKind;
  /** The TikTok event name as TikTok receives it; undefined when the kit cannot tell. */
  readonly event?: string;
  /** How the name came about when it is not written as is (`{{Event}} = purchase, mapped by the template`). */
  readonly eventNote?: string;
  readonly firing: Firing;
  readonly eventId: IdSource;
  /** For Custom HTML: the call as written, which a fix names. */
  readonly call?: string;
}

/** The official template's own mapping of data layer names (docs/facts/web-gtm.md#tiktok-pixel-tags). */
const TIKTOK_TEMPLATE_NAMES: Readonly<Record<string, string>> = {
  add_payment_info: "AddPaymentInfo",
  add_to_cart: "AddToCart",
  add_to_wishlist: "AddToWishlist",
  begin_checkout: "InitiateCheckout",
  page_view: "Pageview",
  purchase: "CompletePayment",
  search: "Search",
  sign_up: "CompleteRegistration",
  view_item: "ViewContent",
};

/** Stape's `inherit` mapping, current names (docs/facts/web-gtm.md#tiktok-pixel-tags). */
const STAPE_TEMPLATE_NAMES: Readonly<Record<string, string>> = {
  page_view: "Pageview",
  "gtm.dom": "Pageview",
  add_payment_info: "AddPaymentInfo",
  add_to_cart: "AddToCart",
  add_to_wishlist: "AddToWishlist",
  sign_up: "CompleteRegistration",
  begin_checkout: "InitiateCheckout",
  generate_lead: "Lead",
  purchase: "Purchase",
  search: "Search",
  view_item: "ViewContent",
  contact: "Contact",
  subscribe: "Subscribe",
};

const TEMPLATES: Readonly<Record<string, PixelTagKind>> = {
  "tiktok/gtm-template-pixel": "tiktok-template",
  "stape-io/tiktok-web-tag": "stape-template",
};

export function pixelSends(web: WebContainer): PixelSend[] {
  return web.tags.flatMap((tag) => {
    const kind = pixelKindOf(tag, web);
    if (kind === "custom-html") return customHtmlSends(tag, web);
    if (kind === "tiktok-template") return templateSends(tag, web, tiktokTemplateName(tag));
    if (kind === "stape-template") return templateSends(tag, web, stapeTemplateName(tag));
    return [];
  });
}

/** A tag's pixel kind: by its template's gallery coordinates, else by the fields only that template has. */
export function pixelKindOf(tag: Tag, web: WebContainer): PixelTagKind | undefined {
  if (tag.type === "html") {
    return /\bttq\s*\./.test(paramValue(tag.parameter, "html") ?? "") ? "custom-html" : undefined;
  }
  if (!tag.type?.startsWith("cvt_")) return undefined;
  const gallery = web.templateOf(tag.type)?.galleryReference;
  const byGallery = TEMPLATES[`${gallery?.owner ?? ""}/${gallery?.repository ?? ""}`.toLowerCase()];
  if (byGallery) return byGallery;
  if (paramOf(tag.parameter, "pixel_code") && paramOf(tag.parameter, "event")) return "tiktok-template";
  if (paramOf(tag.parameter, "pixelIds") && paramOf(tag.parameter, "eventNameSetupMethod")) {
    return "stape-template";
  }
  return undefined;
}

/** The name a template sends: written (maybe through constants), or per data layer event. */
type TemplateName =
  | { readonly written: string; readonly map: Readonly<Record<string, string>> }
  | { readonly perEvent: Readonly<Record<string, string>>; readonly field: string };

function tiktokTemplateName(tag: Tag): TemplateName {
  // The field's default is {{Event}}: an absent `event` sends the data layer event's name, mapped.
  const written = paramValue(tag.parameter, "event") ?? "{{Event}}";
  return soleReference(written) === "Event"
    ? { perEvent: TIKTOK_TEMPLATE_NAMES, field: "{{Event}}" }
    : { written, map: TIKTOK_TEMPLATE_NAMES };
}

function stapeTemplateName(tag: Tag): TemplateName {
  const method = paramValue(tag.parameter, "eventNameSetupMethod") ?? "override";
  if (method === "inherit") return { perEvent: STAPE_TEMPLATE_NAMES, field: "the inherited event name" };
  const custom = paramValue(tag.parameter, "eventName") === "custom";
  const written = custom
    ? (paramValue(tag.parameter, "eventNameCustom") ?? "")
    : (paramValue(tag.parameter, "eventNameStandard") ?? "Pageview");
  return { written, map: {} };
}

function templateSends(tag: Tag, web: WebContainer, name: TemplateName): PixelSend[] {
  const kind = pixelKindOf(tag, web) as PixelTagKind;
  const firing = web.firingOf(tag);
  const idField = kind === "stape-template" ? "eventId" : "event_id";
  const base = {
    tag: tag.name ?? "",
    kind,
    eventId: classifyIdValue(paramValue(tag.parameter, idField), web),
  };
  if ("written" in name) {
    const resolved = resolveConstants(name.written, web);
    if (resolved === undefined || resolved === "") return [{ ...base, firing }];
    const mapped = name.map[resolved];
    return [
      {
        ...base,
        firing,
        event: mapped ?? resolved,
        ...(mapped ? { eventNote: `"${resolved}", which the template sends as ${mapped}` } : {}),
      },
    ];
  }
  // One send per data layer event: the same tag sends a different name for each.
  const sends: PixelSend[] = [...firing.events].map((event) => {
    const mapped = name.perEvent[event] ?? event;
    return {
      ...base,
      firing: { events: new Set([event]), pageLoad: event.startsWith("gtm."), unnamed: [] },
      event: mapped,
      eventNote: `${name.field} = ${event}${mapped === event ? "" : `, which the template sends as ${mapped}`}`,
    };
  });
  if (firing.unnamed.length > 0) {
    sends.push({ ...base, firing: { events: new Set(), pageLoad: false, unnamed: firing.unnamed } });
  }
  return sends;
}

function customHtmlSends(tag: Tag, web: WebContainer): PixelSend[] {
  const html = paramValue(tag.parameter, "html") ?? "";
  const firing = web.firingOf(tag);
  const base = { tag: tag.name ?? "", kind: "custom-html" as const, firing };
  return ttqCalls(html).flatMap((call): PixelSend[] => {
    if (call.method === "page") {
      // The base code's page view; it may carry an id in an options object.
      const options = call.args.find((arg) => objectProperty(arg, "event_id") !== undefined);
      return [{ ...base, event: "Pageview", eventId: idFromCode(options, web), call: call.text }];
    }
    const [first = "", properties = "", options = ""] = call.args;
    const name = stringLiteral(first) ?? bareReference(first);
    const resolved = name === undefined ? undefined : resolveConstants(name, web);
    const inOptions = objectProperty(options, "event_id") !== undefined;
    const inProperties = !inOptions && objectProperty(properties, "event_id") !== undefined;
    return [
      {
        ...base,
        ...(resolved ? { event: resolved } : {}),
        eventId: inProperties
          ? {
              kind: "unknown",
              text: objectProperty(properties, "event_id") ?? "",
              why: `${call.text} puts event_id among the properties (second argument); the pixel takes it from the third argument, {event_id: ...}`,
            }
          : idFromCode(inOptions ? options : undefined, web),
        call: call.text,
      },
    ];
  });
}

/** The event id of an options object in code: a field text the classifier reads, or page code. */
function idFromCode(options: string | undefined, web: WebContainer): IdSource {
  const source = options === undefined ? undefined : objectProperty(options, "event_id");
  if (source === undefined) return { kind: "missing" };
  const value = valueText(source);
  if ("text" in value) return classifyIdValue(value.text, web);
  const draws = newValueEachRun(value.code);
  return draws
    ? {
        kind: "per-call",
        text: value.code,
        why: `code that calls ${draws} each time it runs`,
      }
    : {
        kind: "unknown",
        text: value.code,
        why: `event_id is computed in the tag's code (${value.code}), which the kit cannot compare with the GA4 side`,
      };
}
