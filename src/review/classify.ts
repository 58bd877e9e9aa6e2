/**
 * What Terraform does with one resource: create, update in place, replace, or destroy, from the
 * resource's type, its attributes before and after (or the names of those that changed) and its
 * lifecycle. Pure, so that a synthesized stack compared with another one and Terraform's own plan
 * (`terraform show -json`) are classified alike. Which attributes force replacement: ./force-new.ts.
 */
import { FORCE_NEW } from "./force-new";
import { isObject, type JsonObject, type JsonValue } from "./synth-json";

/** `no-op`: only Terraform's own arguments or ignored attributes differ; nothing changes in Google Cloud. */
export type ChangeAction = "create" | "update" | "replace" | "destroy" | "no-op";

export interface Classification {
  readonly action: ChangeAction;
  /** The changed attributes that force the replacement (dotted, without indices), sorted; else empty. */
  readonly forcedBy: readonly string[];
  /** For a replacement: the new object exists before the old one is deleted (`create_before_destroy`). */
  readonly createFirst: boolean;
  /** False when the type is not in the table: a replacement cannot then be told from an update. */
  readonly known: boolean;
}

export interface ChangeInput {
  readonly type: string;
  /** The resource's attributes before the change; undefined when it does not exist yet. */
  readonly before?: JsonObject;
  /** Its attributes after the change; undefined when it is removed. */
  readonly after?: JsonObject;
  /** The attribute paths that change, when the caller knows them; else computed from before and after. */
  readonly changedPaths?: readonly string[];
  /** `lifecycle.ignore_changes`; unset: read from `after` (or `before`) as a synthesized stack has it. */
  readonly ignoreChanges?: readonly string[];
  /** `lifecycle.create_before_destroy`; unset: read like `ignoreChanges`. */
  readonly createBeforeDestroy?: boolean;
}

/** Arguments Terraform itself takes: changing them changes nothing in Google Cloud. */
export const META_ARGUMENTS: readonly string[] = [
  "//",
  "depends_on",
  "lifecycle",
  "provider",
  "count",
  "for_each",
  "provisioner",
  "connection",
];

export function classifyChange(input: ChangeInput): Classification {
  const known = input.type in FORCE_NEW;
  const lifecycle = lifecycleOf(input.after ?? input.before);
  const createFirst = input.createBeforeDestroy ?? lifecycle.createBeforeDestroy;
  if (input.before === undefined) return { action: "create", forcedBy: [], createFirst, known };
  if (input.after === undefined) return { action: "destroy", forcedBy: [], createFirst, known };
  const ignored = (input.ignoreChanges ?? lifecycle.ignoreChanges).map(attributePath);
  const changed = (input.changedPaths ?? changedAttributePaths(input.before, input.after))
    .map(attributePath)
    .filter((path) => !META_ARGUMENTS.includes(rootOf(path)))
    .filter((path) => !ignored.some((ignore) => covers(ignore, path)));
  const forcedBy = forcesReplacement(input.type, changed);
  const action = forcedBy.length > 0 ? "replace" : changed.length > 0 ? "update" : "no-op";
  return { action, forcedBy, createFirst, known };
}

/** The listed ForceNew paths of `type` that a change at any of `paths` touches, sorted. */
export function forcesReplacement(type: string, paths: readonly string[]): string[] {
  const forceNew = FORCE_NEW[type]?.paths ?? [];
  const hit = new Set<string>();
  for (const path of paths.map(attributePath)) {
    for (const attribute of forceNew)
      if (covers(attribute, path) || covers(path, attribute)) hit.add(attribute);
  }
  return [...hit].sort();
}

/** `template[0].containers[NAME].image` -> `template.containers.image`: list positions and keys dropped. */
export function attributePath(path: string): string {
  return path
    .replace(/\[[^\]]*\]/g, "")
    .replace(/\.{2,}/g, ".")
    .replace(/^\.|\.$/g, "");
}

/** Every leaf path (with indices) whose value differs between the two sides, meta-arguments included. */
export function changedAttributePaths(before: JsonObject, after: JsonObject): string[] {
  const a = leafValues(before, "", new Map());
  const b = leafValues(after, "", new Map());
  return [...new Set([...a.keys(), ...b.keys()])]
    .filter((path) => JSON.stringify(a.get(path) ?? null) !== JSON.stringify(b.get(path) ?? null))
    .sort();
}

function leafValues(value: JsonValue, path: string, out: Map<string, JsonValue>): Map<string, JsonValue> {
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) leafValues(child, path ? `${path}.${key}` : key, out);
  } else if (Array.isArray(value) && value.length > 0 && value.every(isObject)) {
    value.forEach((entry, index) => {
      leafValues(entry, `${path}[${index}]`, out);
    });
  } else if (value !== null) {
    out.set(path, value);
  }
  return out;
}

function lifecycleOf(attributes: JsonObject | undefined): {
  ignoreChanges: string[];
  createBeforeDestroy: boolean;
} {
  const lifecycle = attributes?.lifecycle;
  if (!isObject(lifecycle)) return { ignoreChanges: [], createBeforeDestroy: false };
  const ignore = lifecycle.ignore_changes;
  return {
    ignoreChanges: Array.isArray(ignore) ? ignore.filter((p): p is string => typeof p === "string") : [],
    createBeforeDestroy: lifecycle.create_before_destroy === true,
  };
}

/** Whether `path` is `prefix` or lies under it. */
function covers(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`);
}

function rootOf(path: string): string {
  return path.startsWith("//") ? "//" : (path.split(".")[0] ?? path);
}
