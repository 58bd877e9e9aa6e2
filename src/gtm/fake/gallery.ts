/**
 * The fake's Community Template Gallery: which coordinates `templates:import_from_gallery` accepts and
 * the template data it hands back. The TikTok entry is a hand-written minimal fixture (never TikTok's
 * code): right `___INFO___` and the template's real parameter keys, no sandboxed JS worth running.
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
 * imported from src/gtm/template.ts on purpose: the fake models the server independently, so a wrong
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

/** One field of `___TEMPLATE_PARAMETERS___` (only what the fake and its users read). */
export interface TemplateField {
  readonly type: "TEXT" | "SELECT" | "RADIO" | "CHECKBOX" | "PARAM_TABLE" | "SIMPLE_TABLE" | "GROUP";
  readonly name: string;
  readonly displayName?: string;
  readonly defaultValue?: string;
  readonly macrosInSelect?: boolean;
  readonly radioItems?: readonly { readonly value: string; readonly displayValue: string }[];
  readonly paramTableColumns?: readonly { readonly param: TemplateField }[];
  readonly subParams?: readonly TemplateField[];
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

const text = (name: string, displayName: string): TemplateField => ({ type: "TEXT", name, displayName });
const radio = (name: string, values: readonly string[], defaultValue: string): TemplateField => ({
  type: "RADIO",
  name,
  defaultValue,
  radioItems: values.map((value) => ({ value, displayValue: value })),
});

/**
 * The fixture's fields. User data sits in a GROUP on purpose: groups are not parameter keys, so code
 * that extracts keys from template data must descend into `subParams`.
 */
export const TIKTOK_TEMPLATE_FIELDS: readonly TemplateField[] = [
  text("pixel_code", "Pixel ID"),
  text("access_token", "Access Token"),
  {
    type: "SELECT",
    name: "event",
    displayName: "Event",
    macrosInSelect: true,
    defaultValue: "{{Event Name}}",
  },
  text("test_event_code", "Test Event Code"),
  radio("hash", ["hashed", "non-hashed"], "non-hashed"),
  {
    type: "GROUP",
    name: "user_data_group",
    displayName: "User data",
    subParams: ["email", "phone", "external_id", "sha256_email", "sha256_phone", "sha256_external_id"].map(
      (key) => text(key, key),
    ),
  },
  radio("object_property_source", ["ga", "custom"], "ga"),
  radio("single_multi_product", ["single", "multiple", "empty"], "single"),
  ...["contents", "content_id"].map((key) => text(key, key)),
  radio("content_type", ["product", "product_group"], "product"),
  ...[
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
  ].map((key) => text(key, key)),
  {
    type: "PARAM_TABLE",
    name: "custom_properties",
    displayName: "Custom properties",
    paramTableColumns: [{ param: text("key", "Key") }, { param: text("value", "Value") }],
  },
  radio("logType", ["no", "debug", "always"], "debug"),
];

/** Builds `.tpl` text in GTM's section format; the fake reads `___INFO___` and the parameters back. */
export function buildTemplateData(info: {
  id: string;
  displayName: string;
  type?: "TAG" | "MACRO" | "CLIENT";
  fields: readonly TemplateField[];
}): string {
  const infoJson = {
    type: info.type ?? "TAG",
    id: info.id,
    version: 1,
    securityGroups: [],
    displayName: info.displayName,
    categories: ["ADVERTISING"],
    description: "Minimal fixture of the sgtm-tiktok-kit fake gallery.",
    containerContexts: ["SERVER"],
  };
  return [
    "___TERMS_OF_SERVICE___\n\nFixture written for tests; not a gallery template.\n",
    `___INFO___\n\n${JSON.stringify(infoJson, null, 2)}\n`,
    `___TEMPLATE_PARAMETERS___\n\n${JSON.stringify(info.fields, null, 2)}\n`,
    "___SANDBOXED_JS_FOR_SERVER___\n\n// The fake never runs template code.\ndata.gtmOnSuccess();\n",
    "___SERVER_PERMISSIONS___\n\n[]\n",
    "___TESTS___\n\nscenarios: []\n",
  ].join("\n\n");
}

export const TIKTOK_TEMPLATE_DATA = buildTemplateData({
  id: TIKTOK_TAG_TYPE,
  displayName: TIKTOK_TEMPLATE_DISPLAY_NAME,
  fields: TIKTOK_TEMPLATE_FIELDS,
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

/** Parameter keys a tag may set: every field name, descending into GROUPs (which are not keys). */
export function templateParameterKeys(templateData: string): string[] | undefined {
  try {
    const fields = JSON.parse(templateSection(templateData, "TEMPLATE_PARAMETERS") ?? "") as TemplateField[];
    return flattenFieldNames(fields);
  } catch {
    return undefined;
  }
}

function flattenFieldNames(fields: readonly TemplateField[]): string[] {
  return fields.flatMap((field) =>
    field.type === "GROUP" ? flattenFieldNames(field.subParams ?? []) : [field.name],
  );
}
