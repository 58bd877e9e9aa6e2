/** Reference tables the schema checks against. Error messages quote these same constants. */

export const TIERS = ["production", "staging", "dev"] as const;
export type Tier = (typeof TIERS)[number];

export const CONSENT_POLICIES = [
  "ad-storage-granted",
  "ad-user-data-granted",
  "block-if-denied",
  "not-enforced",
] as const;
export type ConsentPolicy = (typeof CONSENT_POLICIES)[number];
/**
 * What a policy does with an event whose Consent Mode declares no state for the signal it reads
 * (`x-ga-gcs` `G1-`, `ad_user_data` not set), e.g. a site whose defaults cover the EEA only.
 */
export const CONSENT_UNDECLARED = ["send", "block"] as const;
export type ConsentUndeclared = (typeof CONSENT_UNDECLARED)[number];

/** Regions where Cloud Run (v2 services) is available (docs/facts/sgtm-on-cloud-run.md#cloud-run-regions). */
export const CLOUD_RUN_REGIONS = [
  "africa-south1",
  "asia-east1",
  "asia-east2",
  "asia-northeast1",
  "asia-northeast2",
  "asia-northeast3",
  "asia-south1",
  "asia-south2",
  "asia-southeast1",
  "asia-southeast2",
  "australia-southeast1",
  "australia-southeast2",
  "europe-central2",
  "europe-north1",
  "europe-north2",
  "europe-southwest1",
  "europe-west1",
  "europe-west10",
  "europe-west12",
  "europe-west2",
  "europe-west3",
  "europe-west4",
  "europe-west6",
  "europe-west8",
  "europe-west9",
  "me-central1",
  "me-central2",
  "me-west1",
  "northamerica-northeast1",
  "northamerica-northeast2",
  "northamerica-south1",
  "southamerica-east1",
  "southamerica-west1",
  "us-central1",
  "us-east1",
  "us-east4",
  "us-east5",
  "us-south1",
  "us-west1",
  "us-west2",
  "us-west3",
  "us-west4",
] as const;

/**
 * TikTok standard web events since 2025-05-01, plus `Pageview` (what the official templates send):
 * docs/facts/tiktok-events-api.md#events-api-rules.
 */
export const TIKTOK_CURRENT_EVENTS = [
  "AddPaymentInfo",
  "AddToCart",
  "AddToWishlist",
  "ApplicationApproval",
  "CompleteRegistration",
  "Contact",
  "CustomizeProduct",
  "Download",
  "FindLocation",
  "InitiateCheckout",
  "Lead",
  "Pageview",
  "Purchase",
  "Schedule",
  "Search",
  "StartTrial",
  "SubmitApplication",
  "Subscribe",
  "ViewContent",
] as const;

/** Names renamed by TikTok in 2025 (still accepted and converted): legacy -> current. */
export const TIKTOK_LEGACY_RENAMES = { CompletePayment: "Purchase", SubmitForm: "Lead" } as const;

/** Deprecated (sunset 2027): accepted only when marked `custom: true`. */
export const TIKTOK_DEPRECATED_EVENTS = ["ClickButton", "PlaceAnOrder"] as const;

export type PixelEventNames = "current" | "legacy";

/**
 * The article's mapping table, in TikTok's current names; `legacy` swaps in the old names
 * (docs/facts/tiktok-events-api.md#the-article-behind-the-defaults).
 */
export const DEFAULT_EVENT_MAP: Readonly<Record<string, { current: string; legacy: string }>> = {
  page_view: { current: "Pageview", legacy: "Pageview" },
  view_item: { current: "ViewContent", legacy: "ViewContent" },
  add_to_cart: { current: "AddToCart", legacy: "AddToCart" },
  begin_checkout: { current: "InitiateCheckout", legacy: "InitiateCheckout" },
  purchase: { current: "Purchase", legacy: "CompletePayment" },
  generate_lead: { current: "Lead", legacy: "SubmitForm" },
  form_submit: { current: "Lead", legacy: "SubmitForm" },
  search: { current: "Search", legacy: "Search" },
};

/**
 * GA4 event names a web stream sends: Google's recommended events (all properties, online sales, lead
 * generation, games), the enhanced-measurement events and the automatically collected web events
 * (docs/facts/tiktok-events-api.md#ga4-event-names). An event map key outside this list is either a
 * typo (a trigger that never fires) or the site's own event, which says so with `customGa4Event: true`.
 */
export const GA4_EVENTS = [
  // recommended, all properties
  "ad_impression",
  "earn_virtual_currency",
  "generate_lead",
  "join_group",
  "login",
  "purchase",
  "refund",
  "search",
  "select_content",
  "share",
  "sign_up",
  "spend_virtual_currency",
  "tutorial_begin",
  "tutorial_complete",
  // recommended, online sales
  "add_payment_info",
  "add_shipping_info",
  "add_to_cart",
  "add_to_wishlist",
  "begin_checkout",
  "remove_from_cart",
  "select_item",
  "select_promotion",
  "view_cart",
  "view_item",
  "view_item_list",
  "view_promotion",
  // recommended, lead generation
  "close_convert_lead",
  "close_unconvert_lead",
  "disqualify_lead",
  "qualify_lead",
  "working_lead",
  // recommended, games
  "level_end",
  "level_start",
  "level_up",
  "post_score",
  "unlock_achievement",
  // enhanced measurement
  "click",
  "file_download",
  "form_start",
  "form_submit",
  "page_view",
  "scroll",
  "video_complete",
  "video_progress",
  "video_start",
  "view_search_results",
  // collected automatically on the web
  "first_visit",
  "session_start",
  "user_engagement",
] as const;

/** ISO 4217 active alphabetic codes (docs/facts/tiktok-events-api.md#events-api-rules). */
export const ISO_4217 = new Set(
  (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD " +
    "CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL " +
    "GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD " +
    "KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO " +
    "NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD " +
    "SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV " +
    "WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG"
  ).split(" "),
);

/**
 * The official sGTM image; `:stable` is resolved to a digest by Cloud Run at each revision
 * (docs/facts/sgtm-on-cloud-run.md#the-two-services).
 */
export const SGTM_IMAGE_REPOSITORY = "gcr.io/cloud-tagging-10302018/gtm-cloud-image";
export const SGTM_IMAGE_DEFAULT = `${SGTM_IMAGE_REPOSITORY}:stable`;
