/**
 * Field-level differences between two normalized entities, in display order. Display values are
 * computed here (a condition as `{{_event}} equals purchase`, a typed value with its type); sensitive
 * values show as `(sensitive)` and are compared by their stand-ins.
 */
import type { Condition } from "../core/api";
import { canonicalJson, compareText, type Json, type JsonObject } from "../core/normalize";
import { isSensitiveValue, SENSITIVE_TEXT } from "../core/sensitive";
import { SENSITIVE_COMPARABLE } from "./token-stand-in";
import type { FieldDiff } from "./types";

/** Field-level differences, in display order; sensitive values show as `(sensitive)`. */
export function diffFields(before: JsonObject | undefined, after: JsonObject | undefined): FieldDiff[] {
  const beforeFields = before ? flattenEntity(before) : [];
  const afterFields = after ? flattenEntity(after) : [];
  const fieldOrder: string[] = [];
  for (const [field] of [...afterFields, ...beforeFields])
    if (!fieldOrder.includes(field)) fieldOrder.push(field);
  fieldOrder.sort((a, b) => fieldRank(a) - fieldRank(b) || compareText(a, b));
  const diffs: FieldDiff[] = [];
  for (const field of fieldOrder) {
    const was = beforeFields.filter(([f]) => f === field);
    const now = afterFields.filter(([f]) => f === field);
    if (was.length <= 1 && now.length <= 1) {
      const [b, a] = [was[0], now[0]];
      if (b?.[1] === a?.[1]) continue;
      const sameDisplay = b !== undefined && a !== undefined && b[2] === a[2];
      const byHash = a?.[1].startsWith(SENSITIVE_COMPARABLE) === true;
      diffs.push({
        field,
        before: b?.[2] ?? null,
        after: a?.[2] ?? null,
        ...(sameDisplay ? { hidden: byHash ? ("compared-by-hash" as const) : ("not-shown" as const) } : {}),
      });
      continue;
    }
    // Multi-valued (conditions, trigger names): a set difference reads better than positions.
    const nowValues = new Set(now.map(([, v]) => v));
    const wasValues = new Set(was.map(([, v]) => v));
    for (const [, value, shown] of was)
      if (!nowValues.has(value)) diffs.push({ field, before: shown, after: null });
    for (const [, value, shown] of now)
      if (!wasValues.has(value)) diffs.push({ field, before: null, after: shown });
  }
  return diffs;
}

const FIELD_ORDER = [
  "type",
  "parameter",
  "customEventFilter",
  "filter",
  "firingTriggerNames",
  "blockingTriggerNames",
  "tagFiringOption",
];
function fieldRank(field: string): number {
  if (field === "notes") return FIELD_ORDER.length + 1;
  const rank = FIELD_ORDER.indexOf(field.split(/[.[]/)[0] ?? field);
  return rank < 0 ? FIELD_ORDER.length : rank;
}

/** [field, comparable value, display value] for every leaf of a normalized entity. */
type Leaf = readonly [string, string, string];

/**
 * Literal secrets an entity may hold although the kit never writes them: a token pasted into a tag's
 * `access_token` (the article's readers did), or a constant named like a token. Compared as usual,
 * never displayed.
 */
function isSecretLeaf(entity: JsonObject, field: string, value: string): boolean {
  if (field === "parameter.access_token") return !/^\{\{[^{}]+\}\}$/.test(value);
  return (
    entity.type === "c" &&
    field === "parameter.value" &&
    /token|secret|password|api.?key/i.test(String(entity.name))
  );
}

function flattenEntity(entity: JsonObject): Leaf[] {
  return flattenFields(entity).map(([field, value, shown]) =>
    shown !== SENSITIVE_TEXT && isSecretLeaf(entity, field, value)
      ? [field, value, SENSITIVE_TEXT]
      : [field, value, shown],
  );
}

function flattenFields(entity: JsonObject): Leaf[] {
  const leaves: Leaf[] = [];
  for (const [key, value] of Object.entries(entity)) {
    if (key === "name") continue;
    if (key === "parameter") leaves.push(...flattenParameters("parameter", value as readonly JsonObject[]));
    else if (key === "customEventFilter" || key === "filter" || key === "autoEventFilter") {
      for (const c of value as readonly JsonObject[]) {
        const text = describeCondition(c);
        leaves.push([key, text, text]);
      }
    } else if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
      for (const v of value as string[]) leaves.push([key, v, v]);
    } else {
      const text = typeof value === "string" ? value : canonicalJson(value);
      leaves.push([key, text, text]);
    }
  }
  return leaves;
}

function flattenParameters(prefix: string, parameters: readonly JsonObject[]): Leaf[] {
  const leaves: Leaf[] = [];
  parameters.forEach((p, index) => {
    const path = p.key !== undefined ? `${prefix}.${String(p.key)}` : `${prefix}[${index}]`;
    if (p.value !== undefined) leaves.push(leaf(path, p.value, p.type));
    if (Array.isArray(p.list)) {
      (p.list as readonly JsonObject[]).forEach((item, i) => {
        const itemPath = `${path}[${i}]`;
        if (item.value !== undefined) leaves.push(leaf(itemPath, item.value, item.type));
        if (Array.isArray(item.map))
          leaves.push(...flattenParameters(itemPath, item.map as readonly JsonObject[]));
        if (Array.isArray(item.list))
          leaves.push(...flattenParameters(itemPath, item.list as readonly JsonObject[]));
      });
    }
    if (Array.isArray(p.map)) leaves.push(...flattenParameters(path, p.map as readonly JsonObject[]));
  });
  return leaves;
}

function leaf(field: string, value: Json, type: Json | undefined): Leaf {
  if (isSensitiveValue(value) || (typeof value === "string" && value.startsWith(SENSITIVE_COMPARABLE))) {
    return [field, typeof value === "string" ? value : canonicalJson(value), SENSITIVE_TEXT];
  }
  const text = typeof value === "string" ? value : canonicalJson(value);
  const shown = type === undefined || type === "template" ? text : `${text} (${String(type)})`;
  return [field, shown, shown];
}

const OPERATORS: Readonly<Record<string, readonly [string, string]>> = {
  equals: ["equals", "does not equal"],
  contains: ["contains", "does not contain"],
  startsWith: ["starts with", "does not start with"],
  endsWith: ["ends with", "does not end with"],
  matchRegex: ["matches regex", "does not match regex"],
};

/** `{{_event}} equals purchase`, `{{Consent}} does not start with G10`. */
function describeCondition(condition: JsonObject | Condition): string {
  const args = new Map(
    ((condition.parameter ?? []) as readonly { key?: unknown; value?: unknown }[]).map((p) => [
      String(p.key),
      p.value,
    ]),
  );
  const negate = args.get("negate") === "true";
  const ignoreCase = args.get("ignore_case") === "true";
  const type = String(condition.type ?? "");
  const words = OPERATORS[type] ?? [type, `not ${type}`];
  return `${String(args.get("arg0") ?? "")} ${negate ? words[1] : words[0]} ${String(args.get("arg1") ?? "")}${ignoreCase ? " (ignoring case)" : ""}`;
}
