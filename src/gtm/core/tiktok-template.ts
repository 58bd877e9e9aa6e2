/**
 * The official TikTok Events API template: where the gallery keeps it, which parameter keys it has, and
 * how a tag's `type` is derived from the template as imported into a workspace. The type is never
 * hard-coded: it is `cvt_<galleryTemplateId>` for gallery imports, and the wrong form fails in GTM with
 * `vendorTemplate.key: Unknown entity type` (see docs/facts/gtm-api-v2.md#gallery-templates).
 */
import type { CustomTemplate, GalleryCoordinates } from "./api";

/**
 * v0.2.01 of tiktok/gtm-template-eapi, pinned: an unpinned import would change tags under review
 * (docs/facts/tiktok-events-api.md#the-official-template).
 */
export const TIKTOK_GALLERY: GalleryCoordinates = {
  owner: "tiktok",
  repository: "gtm-template-eapi",
  sha: "908cfa1f15a7af0d00d5859f98daaa75940225c9",
};
export const TIKTOK_GALLERY_HOST = "github.com";
export const TIKTOK_TEMPLATE_DISPLAY_NAME = "TikTok Events API (Official)";

/**
 * Every parameter key of the official template, and nothing else: a key outside this list is a bug
 * (docs/facts/tiktok-events-api.md#template-parameters).
 */
export const TIKTOK_TEMPLATE_PARAMETER_KEYS = [
  "pixel_code",
  "access_token",
  "event",
  "test_event_code",
  "hash",
  "email",
  "phone",
  "external_id",
  "sha256_email",
  "sha256_phone",
  "sha256_external_id",
  "object_property_source",
  "single_multi_product",
  "contents",
  "content_id",
  "content_type",
  "content_name",
  "content_category",
  "price",
  "quantity",
  "value",
  "currency",
  "description",
  "brand",
  "query",
  "event_id",
  "url",
  "referrer",
  "ip",
  "user_agent",
  "custom_properties",
  "logType",
] as const;
export type TikTokParameterKey = (typeof TIKTOK_TEMPLATE_PARAMETER_KEYS)[number];

/**
 * The template's `hash` RADIO (no default) and the user fields each value shows: the GTM UI shows the
 * plain fields only for `non-hashed` and the `sha256_*` fields only for `hashed`, so a tag with user
 * fields must set `hash`, and to one group only (docs/facts/tiktok-events-api.md#template-parameters).
 */
export const TIKTOK_USER_FIELD_GROUPS = {
  "non-hashed": ["email", "phone", "external_id"],
  hashed: ["sha256_email", "sha256_phone", "sha256_external_id"],
} as const satisfies Readonly<Record<string, readonly TikTokParameterKey[]>>;
export type TikTokHashMode = keyof typeof TIKTOK_USER_FIELD_GROUPS;

/** The `hash` value that shows `key`, or undefined when `key` is not a user field. */
export function hashModeOf(key: string): TikTokHashMode | undefined {
  return (Object.keys(TIKTOK_USER_FIELD_GROUPS) as TikTokHashMode[]).find((mode) =>
    (TIKTOK_USER_FIELD_GROUPS[mode] as readonly string[]).includes(key),
  );
}

/**
 * The options of the template's `event` field, exactly as `template.tpl` lists them (`selectItems`) at
 * the pinned sha 908cfa1f15a7af0d00d5859f98daaa75940225c9 (v0.2.01), in the template's order.
 *
 * `event` is a SELECT with `macrosInSelect: true`: it holds one of these literals or a `{{variable}}`
 * reference. Any other literal (`Pageview`, the current names `Purchase` and `Lead`, custom names) is
 * not an option, and what the GTM API or UI does with it is unverified (it may be rejected, or shown
 * blank in the UI). So the kit writes such a name through a constant variable
 * (`eventNameVariableName` in model/names.ts) and keeps only these options literal. Update this list
 * together with `TIKTOK_GALLERY.sha` and docs/facts/tiktok-events-api.md#template-parameters.
 */
export const TIKTOK_TEMPLATE_EVENT_OPTIONS = [
  "ViewContent",
  "ClickButton",
  "Search",
  "AddToWishlist",
  "AddToCart",
  "InitiateCheckout",
  "AddPaymentInfo",
  "CompletePayment",
  "PlaceAnOrder",
  "Contact",
  "Download",
  "SubmitForm",
  "CompleteRegistration",
  "Subscribe",
] as const;
export type TikTokTemplateEventOption = (typeof TIKTOK_TEMPLATE_EVENT_OPTIONS)[number];

/** Whether a TikTok event name is one of the `event` field's select options (case-sensitive). */
export function isTemplateEventOption(name: string): name is TikTokTemplateEventOption {
  return (TIKTOK_TEMPLATE_EVENT_OPTIONS as readonly string[]).includes(name);
}

/**
 * Stands for the tag type while the template is not imported yet (a fresh container). Apply replaces it
 * with the type of the template it imported (`withTagType`); GTM would reject it if it were ever sent.
 */
export const TAG_TYPE_PLACEHOLDER = "cvt_<resolved-at-apply:tiktok/gtm-template-eapi>";

/** The id GTM writes into templates taken from the repository as is; it means "not resolved". */
const UNRESOLVED_INFO_ID = "cvt_temp_public_id";

/** Whether a workspace template is the TikTok gallery template (by gallery owner/repository). */
export function isTikTokGalleryTemplate(template: CustomTemplate): boolean {
  const ref = template.galleryReference;
  return (
    ref?.owner?.toLowerCase() === TIKTOK_GALLERY.owner &&
    ref?.repository?.toLowerCase() === TIKTOK_GALLERY.repository
  );
}

/**
 * The TikTok templates of a workspace, lowest templateId first (the oldest import wins when, against
 * GTM's own rule, there are several).
 */
export function findTikTokTemplates(templates: readonly CustomTemplate[]): CustomTemplate[] {
  return templates
    .filter(isTikTokGalleryTemplate)
    .sort((a, b) => compareIds(a.templateId ?? "", b.templateId ?? ""));
}

/**
 * Tag type of a template: `___INFO___.id` unless it is the unresolved placeholder, else
 * `cvt_<galleryTemplateId>` for a gallery template, else `cvt_<containerId>_<templateId>` for a
 * template created from raw data (no `galleryReference`).
 *
 * A gallery template whose `___INFO___.id` is unresolved (or missing) and whose `galleryReference`
 * has no `galleryTemplateId` (e.g. a container export that omits it, or the kit's own export made
 * without a tag type) gives undefined: its type is unknown. The raw-data form would be wrong for it
 * (`vendorTemplate.key: Unknown entity type` in GTM) and would make every tag look changed. The plan
 * then leaves the type of existing tags alone and refuses to create tags (see `plan.ts`).
 */
export function templateTagType(template: CustomTemplate, containerId: string): string | undefined {
  const infoId = templateInfoId(template.templateData ?? "");
  if (infoId && infoId !== UNRESOLVED_INFO_ID) return infoId;
  const gallery = template.galleryReference;
  if (gallery) return gallery.galleryTemplateId ? `cvt_${gallery.galleryTemplateId}` : undefined;
  if (template.templateId && containerId) return `cvt_${containerId}_${template.templateId}`;
  return undefined;
}

/** `___INFO___.id` of `.tpl` text, or undefined when the section is missing or not JSON. */
export function templateInfoId(templateData: string): string | undefined {
  const match = /^___INFO___\s*$/m.exec(templateData);
  if (!match) return undefined;
  const rest = templateData.slice(match.index + match[0].length);
  const next = /^___[A-Z_]+___\s*$/m.exec(rest);
  try {
    const info = JSON.parse(next ? rest.slice(0, next.index) : rest) as { id?: unknown };
    return typeof info.id === "string" ? info.id : undefined;
  } catch {
    return undefined;
  }
}

/** Numeric ids compare as numbers ("9" < "10"); anything else as text. */
function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Number(a) - Number(b) || a.localeCompare(b);
  return a < b ? -1 : a > b ? 1 : 0;
}
