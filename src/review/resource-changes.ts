/**
 * Every resource of two synthesized stacks classified as Terraform would plan it (./classify.ts),
 * including what the synths alone do not show: an attribute that references a computed value (`id`,
 * `uptime_check_id`, ...) of a replaced resource is unknown until apply, so it changes too, and may in
 * turn force its own resource's replacement. Resources are compared by Terraform address.
 */
import { type Classification, changedAttributePaths, classifyChange } from "./classify";
import { isObject, type JsonObject, type JsonValue, REFERENCE } from "./synth-json";

export interface ResourceAttributes {
  readonly type: string;
  readonly attributes: JsonObject;
}

export interface ResourceClassification extends Classification {
  /** Attribute paths whose value is known only after apply (they reference a replaced resource). */
  readonly knownAfterApply: readonly string[];
}

/** The classification of every address on either side that Terraform would touch (no-ops left out). */
export function classifyResources(
  before: ReadonlyMap<string, ResourceAttributes>,
  after: ReadonlyMap<string, ResourceAttributes>,
): Map<string, ResourceClassification> {
  const out = new Map<string, ResourceClassification>();
  for (const [address, resource] of after) {
    if (!before.has(address))
      out.set(address, {
        ...classifyChange({ ...resource, after: resource.attributes }),
        knownAfterApply: [],
      });
  }
  for (const [address, resource] of before) {
    if (!after.has(address))
      out.set(address, {
        ...classifyChange({ ...resource, before: resource.attributes }),
        knownAfterApply: [],
      });
  }
  const both = [...after.keys()].filter((address) => before.has(address));
  const changed = new Map(
    both.map((a) => [
      a,
      changedAttributePaths(before.get(a)?.attributes ?? {}, after.get(a)?.attributes ?? {}),
    ]),
  );
  // Replacements make references unknown, which may force more replacements: until nothing new.
  let replaced = new Set<string>();
  for (;;) {
    for (const address of both) {
      const resource = after.get(address) as ResourceAttributes;
      const unknown = unknownPaths(resource.attributes, replaced, after);
      const classification = classifyChange({
        type: resource.type,
        before: before.get(address)?.attributes,
        after: resource.attributes,
        changedPaths: [...(changed.get(address) ?? []), ...unknown],
      });
      if (classification.action === "no-op" && unknown.length === 0) out.delete(address);
      else out.set(address, { ...classification, knownAfterApply: unknown });
    }
    const next = new Set([...out].filter(([, c]) => c.action === "replace").map(([a]) => a));
    if (next.size === replaced.size) return out;
    replaced = next;
  }
}

/**
 * Leaf paths of `attributes` that reference a computed attribute of a replaced resource. An attribute
 * the replaced resource sets itself (its `name`) is known at plan time and stays as it was.
 */
function unknownPaths(
  attributes: JsonObject,
  replaced: ReadonlySet<string>,
  after: ReadonlyMap<string, ResourceAttributes>,
): string[] {
  if (replaced.size === 0) return [];
  const paths: string[] = [];
  walk(attributes, "", (path, value) => {
    if (path.startsWith("//") || path.startsWith("depends_on") || typeof value !== "string") return;
    for (const [, type, id, attribute] of value.matchAll(REFERENCE)) {
      const address = `${type}.${id}`;
      if (!replaced.has(address)) continue;
      const own = after.get(address)?.attributes[attribute];
      const literal = own !== undefined && !(typeof own === "string" && own.includes("${"));
      if (!literal) paths.push(path);
    }
  });
  return [...new Set(paths)].sort();
}

/** Leaves named as the infrastructure diff names them: `env[NAME]` for named entries, lists of scalars whole. */
function walk(value: JsonValue, path: string, visit: (path: string, value: JsonValue) => void): void {
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key, visit);
  } else if (Array.isArray(value) && value.length > 0 && value.every(isObject)) {
    const names = value.map((entry) => (isObject(entry) ? entry.name : undefined));
    const named = names.every((n) => typeof n === "string") && new Set(names).size === names.length;
    value.forEach((entry, index) => {
      walk(entry, `${path}[${named ? names[index] : index}]`, visit);
    });
  } else if (Array.isArray(value)) {
    visit(path, value.map((entry) => (typeof entry === "string" ? entry : JSON.stringify(entry))).join("\n"));
  } else {
    visit(path, value);
  }
}
