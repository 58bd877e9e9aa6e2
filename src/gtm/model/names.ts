/** Names of the kit's entities: part of its contract (renaming one is a delete and a create in every container). */
import type { ResolvedEvent } from "../../config/model";
import { shortHash } from "../../naming/gcp";
import { NAME_PREFIX } from "../core/ownership";

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
/** Consent Mode v2's state, ad_user_data among it (./consent.ts reads it). */
export const CONSENT_V2_KEY_PATH = "x-ga-gcd";
/** Stape's Data Client: one boolean per consent type (`consent_state.ad_storage`, ...). */
export const CONSENT_STATE_KEY_PATH = "consent_state";
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
