/**
 * The fake's Community Template Gallery: which coordinates `templates:import_from_gallery` accepts and
 * the template data it hands back. The TikTok entry is a hand-written fixture (never TikTok's code):
 * right `___INFO___` and the template's real field definitions (keys, types, options, defaults,
 * enabling conditions), no sandboxed JS worth running.
 */

export const TIKTOK_GALLERY_OWNER = "tiktok";
export const TIKTOK_GALLERY_REPOSITORY = "gtm-template-eapi";
/** v0.2.01 of tiktok/gtm-template-eapi (docs/facts/tiktok-events-api.md#the-official-template). */
export const TIKTOK_GALLERY_SHA = "908cfa1f15a7af0d00d5859f98daaa75940225c9";
/** The fake's gallery id for the template; the real one is assigned by Google. */
export const TIKTOK_GALLERY_TEMPLATE_ID = "5TP8W";
/** Tag `type` of a tag built on the imported template. */
export const TIKTOK_TAG_TYPE = `cvt_${TIKTOK_GALLERY_TEMPLATE_ID}`;
export const TIKTOK_TEMPLATE_DISPLAY_NAME = "TikTok Events API (Official)";

/**
 * Every parameter key of the official template, and nothing else. Written out again here rather than
 * imported from src/gtm/core/tiktok-template.ts on purpose: the fake models the server independently, so a wrong
 * key list in the kit is caught by the fake instead of being shared with it.
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

/** When a field is shown in GTM's tag editor: `paramName` (another field) compared with `paramValue`. */
export interface EnablingCondition {
  readonly paramName: string;
  readonly paramValue: string;
  readonly type: "EQUALS" | "NOT_EQUALS";
}

/** One field of `___TEMPLATE_PARAMETERS___` (only what the fake and its users read). */
export interface TemplateField {
  readonly type:
    | "TEXT"
    | "SELECT"
    | "RADIO"
    | "CHECKBOX"
    | "PARAM_TABLE"
    | "SIMPLE_TABLE"
    | "GROUP"
    | "LABEL";
  readonly name: string;
  readonly displayName?: string;
  readonly defaultValue?: string;
  readonly macrosInSelect?: boolean;
  readonly selectItems?: readonly { readonly value: string; readonly displayValue: string }[];
  readonly radioItems?: readonly { readonly value: string; readonly displayValue: string }[];
  readonly paramTableColumns?: readonly { readonly param: TemplateField }[];
  readonly subParams?: readonly TemplateField[];
  /** All must hold for the field to be shown (and its value to count); none or empty: always shown. */
  readonly enablingConditions?: readonly EnablingCondition[];
  readonly valueValidators?: readonly { readonly type: string }[];
}

export interface GalleryEntry {
  readonly owner: string;
  readonly repository: string;
  /** Known commit shas, newest first; an import without `gallerySha` takes the first. */
  readonly shas: readonly string[];
  readonly galleryTemplateId: string;
  readonly displayName: string;
  /** Template data as GTM returns it after import (`___INFO___.id` = `cvt_<galleryTemplateId>`). */
  readonly templateData: string;
  readonly signature: string;
}

const items = (values: readonly string[]) => values.map((value) => ({ value, displayValue: value }));
const when = (paramName: string, paramValue: string): EnablingCondition[] => [
  { paramName, paramValue, type: "EQUALS" },
];
const text = (name: string, enablingConditions?: EnablingCondition[]): TemplateField => ({
  type: "TEXT",
  name,
  displayName: name,
  ...(enablingConditions ? { enablingConditions } : {}),
});
const radio = (
  name: string,
  values: readonly string[],
  options: { defaultValue?: string; enablingConditions?: EnablingCondition[] } = {},
): TemplateField => ({ type: "RADIO", name, radioItems: items(values), ...options });
const group = (name: string, subParams: readonly TemplateField[]): TemplateField => ({
  type: "GROUP",
  name,
  subParams,
});
const label = (name: string): TemplateField => ({ type: "LABEL", name });

/**
 * The event options of the pinned template, in its order (written out here independently of the kit's
 * src/gtm/core/tiktok-template.ts, like the keys above).
 */
const TIKTOK_EVENT_OPTIONS = [
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
];

/**
 * The template's fields as `___TEMPLATE_PARAMETERS___` declares them at the pinned sha, described field
 * by field in the fake's own words (docs/facts/tiktok-events-api.md#template-parameters): the same
 * groups, types, options, defaults and enabling conditions, without the help texts. What the fake
 * checks a tag against, so these must stay exactly the real definitions:
 * - `hash` is a RADIO with no default: until a tag sets it, the user fields (shown only for `non-hashed`
 *   or only for `hashed`) are hidden in the GTM UI;
 * - `single_multi_product` has no default either; `contents` shows for `multiple`, the single-product
 *   fields (`content_type` a SELECT that accepts variables) for `single`; `value`, `currency`,
 *   `description`, `brand` and `query` for `object_property_source: custom`;
 * - LABELs and GROUPs are not parameter keys.
 */
export const TIKTOK_TEMPLATE_FIELDS: readonly TemplateField[] = [
  group("Section 1 - TikTok Event Configuration", [
    { ...text("pixel_code"), displayName: "Pixel ID", valueValidators: [{ type: "NON_EMPTY" }] },
    { ...text("access_token"), displayName: "Access Token" },
    {
      type: "SELECT",
      name: "event",
      displayName: "Event Name",
      macrosInSelect: true,
      selectItems: items(TIKTOK_EVENT_OPTIONS),
      defaultValue: "{{Event Name}}",
    },
  ]),
  group("Section 3 - Parameter Override", [
    label("Parameter Override Description"),
    group("Test Event Configurations", [text("test_event_code")]),
    group("Advanced Matching Configurations", [
      radio("hash", ["hashed", "non-hashed"], { enablingConditions: [] }),
      ...["email", "phone", "external_id"].map((key) => text(key, when("hash", "non-hashed"))),
      ...["sha256_email", "sha256_phone", "sha256_external_id"].map((key) =>
        text(key, when("hash", "hashed")),
      ),
    ]),
    group("Properties", [
      radio("object_property_source", ["ga", "custom"], { defaultValue: "ga" }),
      radio("single_multi_product", ["single", "multiple", "empty"], {
        enablingConditions: when("object_property_source", "custom"),
      }),
      text("contents", when("single_multi_product", "multiple")),
      text("content_id", when("single_multi_product", "single")),
      {
        type: "SELECT",
        name: "content_type",
        displayName: "content_type",
        macrosInSelect: true,
        selectItems: items(["product", "product_group"]),
        enablingConditions: when("single_multi_product", "single"),
      },
      ...["content_name", "content_category", "price", "quantity"].map((key) =>
        text(key, when("single_multi_product", "single")),
      ),
      ...["value", "currency", "description", "brand", "query"].map((key) =>
        text(key, when("object_property_source", "custom")),
      ),
    ]),
    group("De-duplication Configurations", [text("event_id")]),
    group(
      "Other Configurations",
      ["url", "referrer", "ip", "user_agent"].map((key) => text(key)),
    ),
  ]),
  group("Section 2 - Additional Properties", [
    label("Description"),
    {
      type: "PARAM_TABLE",
      name: "custom_properties",
      paramTableColumns: [{ param: text("key") }, { param: text("value") }],
    },
  ]),
  group("Section 4 - Log Settings", [radio("logType", ["no", "debug", "always"], { defaultValue: "debug" })]),
];

/**
 * Builds `.tpl` text in GTM's section format; the fake reads `___INFO___` and the parameters back.
 * `sendHttp` declares the `send_http` server permission the way GTM's template editor writes it:
 * `"any"` URL, or a list of URL patterns (`https://*.tiktok.com/*`); none: no permission at all.
 */
export function buildTemplateData(info: {
  id: string;
  displayName: string;
  type?: "TAG" | "MACRO" | "CLIENT";
  fields: readonly TemplateField[];
  /** Default `["SERVER"]`. */
  containerContexts?: readonly string[];
  sendHttp?: "any" | readonly string[];
}): string {
  const infoJson = {
    type: info.type ?? "TAG",
    id: info.id,
    version: 1,
    securityGroups: [],
    displayName: info.displayName,
    categories: ["ADVERTISING"],
    description: "Minimal fixture of the sgtm-tiktok-kit fake gallery.",
    containerContexts: info.containerContexts ?? ["SERVER"],
  };
  const permissions = info.sendHttp === undefined ? [] : [sendHttpPermission(info.sendHttp)];
  const server = (info.containerContexts ?? ["SERVER"]).includes("SERVER");
  return [
    "___TERMS_OF_SERVICE___\n\nFixture written for tests; not a gallery template.\n",
    `___INFO___\n\n${JSON.stringify(infoJson, null, 2)}\n`,
    `___TEMPLATE_PARAMETERS___\n\n${JSON.stringify(info.fields, null, 2)}\n`,
    server
      ? "___SANDBOXED_JS_FOR_SERVER___\n\n// The fake never runs template code.\ndata.gtmOnSuccess();\n"
      : "___SANDBOXED_JS_FOR_WEB_TEMPLATE___\n\n// The fake never runs template code.\ndata.gtmOnSuccess();\n",
    `___${server ? "SERVER" : "WEB"}_PERMISSIONS___\n\n${JSON.stringify(permissions, null, 2)}\n`,
    "___TESTS___\n\nscenarios: []\n",
  ].join("\n\n");
}

/** A `send_http` permission entry as templates carry it (`allowedUrls` any, or specific `urls`). */
function sendHttpPermission(urls: "any" | readonly string[]) {
  const param: unknown[] = [
    { key: "allowedUrls", value: { type: 1, string: urls === "any" ? "any" : "specific" } },
  ];
  if (urls !== "any") {
    param.push({
      key: "urls",
      value: { type: 2, listItem: urls.map((url) => ({ type: 1, string: url })) },
    });
  }
  return {
    instance: { key: { publicId: "send_http", versionId: "1" }, param },
    clientAnnotations: { isEditedByUser: true },
    isRequired: true,
  };
}

/**
 * The official template may send to any `tiktok.com` host: its `send_http` permission lists
 * `https://*.tiktok.com/*` (docs/facts/tiktok-events-api.md#the-official-template).
 */
export const TIKTOK_SEND_HTTP_URLS = ["https://*.tiktok.com/*"] as const;

export const TIKTOK_TEMPLATE_DATA = buildTemplateData({
  id: TIKTOK_TAG_TYPE,
  displayName: TIKTOK_TEMPLATE_DISPLAY_NAME,
  fields: TIKTOK_TEMPLATE_FIELDS,
  sendHttp: TIKTOK_SEND_HTTP_URLS,
});

export const TIKTOK_GALLERY_ENTRY: GalleryEntry = {
  owner: TIKTOK_GALLERY_OWNER,
  repository: TIKTOK_GALLERY_REPOSITORY,
  shas: [TIKTOK_GALLERY_SHA],
  galleryTemplateId: TIKTOK_GALLERY_TEMPLATE_ID,
  displayName: TIKTOK_TEMPLATE_DISPLAY_NAME,
  templateData: TIKTOK_TEMPLATE_DATA,
  signature: "fake-signature-tiktok-gtm-template-eapi",
};

/** Reads one section (`___INFO___`, `___TEMPLATE_PARAMETERS___`, ...) of template data. */
export function templateSection(templateData: string, section: string): string | undefined {
  const start = templateData.indexOf(`___${section}___`);
  if (start < 0) return undefined;
  const bodyStart = start + section.length + 6;
  const next = templateData.slice(bodyStart).search(/^___[A-Z_]+___\s*$/m);
  return (next < 0 ? templateData.slice(bodyStart) : templateData.slice(bodyStart, bodyStart + next)).trim();
}

/** `___INFO___.id` of template data, or undefined when the section is missing or not JSON. */
export function templateInfoId(templateData: string): string | undefined {
  try {
    const info = JSON.parse(templateSection(templateData, "INFO") ?? "") as { id?: unknown };
    return typeof info.id === "string" ? info.id : undefined;
  } catch {
    return undefined;
  }
}

/** The fields of template data's `___TEMPLATE_PARAMETERS___`, or undefined when missing or not JSON. */
export function templateFields(templateData: string): TemplateField[] | undefined {
  try {
    const fields: unknown = JSON.parse(templateSection(templateData, "TEMPLATE_PARAMETERS") ?? "");
    return Array.isArray(fields) ? (fields as TemplateField[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Parameter keys a tag may set: every field name, descending into GROUPs; GROUPs and LABELs are not keys. */
export function templateParameterKeys(templateData: string): string[] | undefined {
  const fields = templateFields(templateData);
  return fields && flattenFields(fields).map((field) => field.name);
}

/**
 * The fields that are parameter keys, in the template's order. A GROUP's enabling conditions apply to
 * every field inside it, so they are added to each field's own.
 */
export function flattenFields(
  fields: readonly TemplateField[],
  inherited: readonly EnablingCondition[] = [],
): TemplateField[] {
  return fields.flatMap((field) => {
    const conditions = [...inherited, ...(field.enablingConditions ?? [])];
    if (field.type === "GROUP") return flattenFields(field.subParams ?? [], conditions);
    if (field.type === "LABEL") return [];
    return [conditions.length > 0 ? { ...field, enablingConditions: conditions } : field];
  });
}
