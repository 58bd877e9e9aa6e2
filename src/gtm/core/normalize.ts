/**
 * One comparable form for an entity, whether it was read from the API, from a UI export or built by
 * the desired model: lowerCamel enums (exports write `CUSTOM_EVENT`, `EQUALS`, `ONCE_PER_EVENT`),
 * without output-only fields and without the defaults the server fills in, with parameters sorted by
 * key and trigger ids replaced by names. A no-op re-read must diff to nothing, or every plan would
 * show changes forever. `normalizeEntity` is idempotent (a property test holds it to that). The shapes
 * and server defaults: docs/facts/gtm-api-v2.md#entity-shapes, docs/facts/gtm-api-v2.md#server-defaults.
 */
import type { OwnedKind } from "./kinds";

export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };
export type JsonObject = { readonly [key: string]: Json };

/** Fields the server owns; they say where an entity is, not what it is. */
const OUTPUT_ONLY_FIELDS = new Set([
  "path",
  "fingerprint",
  "tagManagerUrl",
  "accountId",
  "containerId",
  "workspaceId",
  "parentFolderId",
  "tagId",
  "triggerId",
  "variableId",
  "templateId",
  "clientId",
]);

/** Boolean parameters whose `false` is the server's default (written by some UIs, omitted by others). */
const FALSE_BY_DEFAULT_PARAMETERS = new Set(["setDefaultValue", "negate", "ignore_case"]);

/** Fields holding enums: exports write them in UPPER_SNAKE. Variable and tag `type` are codes, not enums. */
const CONDITION_FIELDS = new Set(["customEventFilter", "filter", "autoEventFilter"]);

export interface NormalizeContext {
  /** Trigger id -> name in the same workspace or version; unknown ids become `#<id>`. */
  readonly triggerNames?: ReadonlyMap<string, string>;
}

/** `CUSTOM_EVENT` -> `customEvent`; anything not UPPER_SNAKE is returned as is. */
export function lowerCamelEnum(value: string): string {
  if (!/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(value)) return value;
  return value.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `customEvent` -> `CUSTOM_EVENT` (the casing of GTM's UI exports). */
export function upperSnakeEnum(value: string): string {
  return value.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

export function normalizeEntity(kind: OwnedKind, entity: object, context: NormalizeContext = {}): JsonObject {
  const source = entity as Record<string, unknown>;
  const out: Record<string, Json> = {};
  const triggerNames = (field: string): string[] => {
    const fromNames = asStrings(source[`${field}Names`]);
    const fromIds = asStrings(source[`${field}Id`]).map((id) => context.triggerNames?.get(id) ?? `#${id}`);
    return [...new Set([...fromNames, ...fromIds])].sort();
  };
  for (const [key, value] of Object.entries(source)) {
    if (OUTPUT_ONLY_FIELDS.has(key) || value === null || value === undefined) continue;
    if (key === "parameter") {
      setIfPresent(out, key, normalizeParameterList(value));
    } else if (CONDITION_FIELDS.has(key)) {
      setIfPresent(out, key, normalizeConditions(value));
    } else if (/^(firing|blocking)Trigger(Id|Names)$/.test(key)) {
      const field = key.replace(/(Id|Names)$/, "");
      setIfPresent(out, `${field}Names`, triggerNames(field));
    } else if (key === "type") {
      out.type = kind === "trigger" && typeof value === "string" ? lowerCamelEnum(value) : (value as Json);
    } else if (key === "tagFiringOption" && typeof value === "string") {
      out.tagFiringOption = lowerCamelEnum(value);
    } else if (key === "consentSettings") {
      setIfPresent(out, key, normalizeConsentSettings(value));
    } else if (key === "monitoringMetadata") {
      // `{ type: map }` with no entries is the server's default.
      setIfPresent(out, key, normalizeParameter(value));
    } else if (key === "paused" && value === false) {
      // false is the default: absent and false mean the same.
    } else if (key === "notes" && value === "") {
      // An empty note is no note.
    } else {
      setIfPresent(out, key, normalizeJson(value));
    }
  }
  // The server fills `oncePerEvent` in when a tag is created without a firing option.
  if (kind === "tag" && out.tagFiringOption === undefined) out.tagFiringOption = "oncePerEvent";
  return sortKeys(out) as JsonObject;
}

/** Built-in variable types: exports write `EVENT_NAME`, the API `eventName`. */
export function normalizeBuiltInType(type: string | null | undefined): string {
  return lowerCamelEnum(type ?? "");
}

function normalizeParameterList(value: unknown, sortByKey = true): Json[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items = value.map(normalizeParameter).filter((p): p is JsonObject => p !== undefined);
  if (sortByKey) items.sort((a, b) => compareText(String(a.key ?? ""), String(b.key ?? "")));
  return items.length > 0 ? items : undefined;
}

function normalizeParameter(value: unknown): JsonObject | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const p = value as Record<string, unknown>;
  const out: Record<string, Json> = {};
  const type = typeof p.type === "string" ? lowerCamelEnum(p.type) : undefined;
  if (type) out.type = type;
  if (typeof p.key === "string" && p.key !== "") out.key = p.key;
  if (typeof p.value === "string" && p.value !== "") out.value = p.value;
  else if (typeof p.value === "object" && p.value !== null) out.value = normalizeJson(p.value) as Json;
  // List order carries meaning (table rows); map entries are named, so they sort by key.
  setIfPresent(out, "list", normalizeParameterList(p.list, false));
  setIfPresent(out, "map", normalizeParameterList(p.map, true));
  if (p.isWeakReference === true) out.isWeakReference = true;
  if (out.value === undefined && out.list === undefined && out.map === undefined) return undefined;
  if (type === "boolean" && out.value === "false" && FALSE_BY_DEFAULT_PARAMETERS.has(String(out.key))) {
    return undefined;
  }
  return sortKeys(out) as JsonObject;
}

/** Conditions of one list must all hold: their order means nothing, so they sort. */
function normalizeConditions(value: unknown): Json[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const conditions = value
    .filter((c): c is Record<string, unknown> => typeof c === "object" && c !== null)
    .map((c) => {
      const out: Record<string, Json> = {};
      if (typeof c.type === "string") out.type = lowerCamelEnum(c.type);
      setIfPresent(out, "parameter", normalizeParameterList(c.parameter));
      return sortKeys(out) as JsonObject;
    });
  conditions.sort((a, b) => compareText(canonicalJson(a), canonicalJson(b)));
  return conditions.length > 0 ? conditions : undefined;
}

function normalizeConsentSettings(value: unknown): JsonObject | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const c = value as Record<string, unknown>;
  const status = typeof c.consentStatus === "string" ? lowerCamelEnum(c.consentStatus) : undefined;
  const consentType = normalizeParameter(c.consentType);
  // `notSet` without consent types is what the server writes for "no consent settings".
  if ((status === undefined || status === "notSet") && consentType === undefined) return undefined;
  return sortKeys({
    ...(status ? { consentStatus: status } : {}),
    ...(consentType ? { consentType } : {}),
  }) as JsonObject;
}

/** Generic JSON: drops null, empty strings, empty arrays and empty objects, sorts keys. */
function normalizeJson(value: unknown): Json | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  if (Array.isArray(value)) {
    const items = value.map(normalizeJson).filter((v): v is Json => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === "object") {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) setIfPresent(out, k, normalizeJson(v));
    return Object.keys(out).length > 0 ? (sortKeys(out) as JsonObject) : undefined;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return undefined;
}

function setIfPresent(out: Record<string, Json>, key: string, value: Json | undefined): void {
  if (value !== undefined) out[key] = value;
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function sortKeys(value: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const key of Object.keys(value).sort()) out[key] = value[key] as Json;
  return out;
}

/** Code-unit order: locale-independent, so every machine sorts alike. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (v && typeof v === "object" && !Array.isArray(v)) {
        const sorted: Record<string, unknown> = {};
        for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
        return sorted;
      }
      return v;
    },
    indent,
  );
}
