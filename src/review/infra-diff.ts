/**
 * The infrastructure change between two synths of one stack, computed from the synthesized JSON alone
 * (no Terraform, no credentials): resources added, changed (which attributes, with before and after
 * unless sensitive) and removed, plus changed Terraform settings and outputs. Resources are identified
 * by Terraform address (`<type>.<logical id>`), so a renamed construct shows as one removed and one
 * added, which is what Terraform would do too. Deterministic: everything is sorted by address.
 */
import { canonicalJson, compareText } from "../gtm/core/normalize";
import { isSecretKey, isSecretName, looksLikeSecret, SENSITIVE_TEXT } from "./redact";
import { classifyResources } from "./resource-changes";
import { attributeLabel, resourceKind } from "./resource-words";
import {
  constructPath,
  isObject,
  type JsonObject,
  type JsonValue,
  METADATA_KEY,
  type SynthJson,
} from "./synth-json";

export interface ResourceRef {
  /** Terraform address: `google_cloud_run_v2_service.tagging-server_tagging_510CF121`. */
  readonly address: string;
  readonly type: string;
  /** Plain words for the type ("Cloud Run service"). */
  readonly kind: string;
  /** The resource's own name in Google Cloud when it has one, else its construct path. */
  readonly name: string;
}

export interface AttributeChange {
  /** Dotted path; `[n]` for a list position, `[NAME]` for a named entry (environment variables). */
  readonly path: string;
  readonly label: string;
  /** Shown values: `null` when absent on that side, `(sensitive)` when it must not be shown. */
  readonly before: string | null;
  readonly after: string | null;
}

export interface ChangedResource extends ResourceRef {
  /** Top-level attribute names that differ, sorted. */
  readonly attributes: readonly string[];
  /** Every differing value, by path, sorted. */
  readonly details: readonly AttributeChange[];
  /**
   * What Terraform does with it (./classify.ts): `update` in place, `replace` (`forcedBy` says which
   * attributes force it, `createFirst` whether the new one exists before the old one goes), or `no-op`
   * when only Terraform's own arguments (deploy order, lifecycle) or ignored attributes differ.
   */
  readonly action: "update" | "replace" | "no-op";
  readonly forcedBy: readonly string[];
  readonly createFirst: boolean;
}

export type SettingChange = "added" | "changed" | "removed";

export interface SettingDiff {
  /** `terraform.backend`, `provider.google`, `output.dns_records`, ... */
  readonly block: string;
  readonly change: SettingChange;
}

export interface InfraDiff {
  /** False when there was no base synth: everything then shows as added. */
  readonly hasBase: boolean;
  readonly added: readonly ResourceRef[];
  readonly changed: readonly ChangedResource[];
  readonly removed: readonly ResourceRef[];
  readonly settings: readonly SettingDiff[];
}

export function infraDiff(base: SynthJson | undefined, current: SynthJson): InfraDiff {
  const before = resourcesOf(base);
  const after = resourcesOf(current);
  const plan = classifyResources(before, after);
  const added: ResourceRef[] = [];
  const changed: ChangedResource[] = [];
  const removed: ResourceRef[] = [];
  for (const [address, resource] of after) {
    const old = before.get(address);
    if (!old) {
      added.push(resource.ref);
      continue;
    }
    const classified = plan.get(address);
    const details = [
      ...attributeChanges(old.attributes, resource.attributes),
      // Unchanged in the synth, changed at apply: it references a replaced resource.
      ...(classified?.knownAfterApply ?? []).map((path) => ({
        path,
        label: attributeLabel(path),
        before: shown(leafAt(old.attributes, path)),
        after: KNOWN_AFTER_APPLY,
      })),
    ].filter((d, i, all) => all.findIndex((o) => o.path === d.path) === i);
    if (details.length > 0) {
      const attributes = [...new Set(details.map((d) => topLevel(d.path)))].sort(compareText);
      const action =
        classified?.action === "replace" || classified?.action === "update" ? classified.action : "no-op";
      changed.push({
        ...resource.ref,
        attributes,
        details,
        action,
        forcedBy: classified?.forcedBy ?? [],
        createFirst: classified?.createFirst ?? false,
      });
    }
  }
  for (const [address, resource] of before) if (!after.has(address)) removed.push(resource.ref);
  const byAddress = (a: ResourceRef, b: ResourceRef) => compareText(a.address, b.address);
  return {
    hasBase: base !== undefined,
    added: added.sort(byAddress),
    changed: changed.sort(byAddress),
    removed: removed.sort(byAddress),
    settings: base === undefined ? [] : settingChanges(base, current),
  };
}

export function hasInfraChanges(diff: InfraDiff): boolean {
  return diff.added.length + diff.changed.length + diff.removed.length + diff.settings.length > 0;
}

// ---------------------------------------------------------------------------------------------------

interface Resource {
  readonly ref: ResourceRef;
  readonly type: string;
  readonly attributes: JsonObject;
}

/** Shown for a value Terraform learns only when it applies (a replaced resource's new ID). */
export const KNOWN_AFTER_APPLY = "(known after apply)";

/** The leaf at a path built by `leaves` (indices as `[n]`), for showing its old value. */
function leafAt(attributes: JsonObject, path: string): Leaf | undefined {
  return leaves(attributes, "", false, new Map()).get(path);
}

function resourcesOf(synth: SynthJson | undefined): Map<string, Resource> {
  const found = new Map<string, Resource>();
  for (const [type, byId] of Object.entries(synth?.resource ?? {})) {
    if (!isObject(byId)) continue;
    for (const [id, attributes] of Object.entries(byId)) {
      if (!isObject(attributes)) continue;
      const address = `${type}.${id}`;
      found.set(address, {
        ref: { address, type, kind: resourceKind(type), name: displayName(type, id, attributes) },
        type,
        attributes,
      });
    }
  }
  return found;
}

/** The name people see in the Cloud console, when it is a literal; else the construct path. */
function displayName(type: string, id: string, attributes: JsonObject): string {
  const literal = (key: string) => {
    const value = attributes[key];
    return typeof value === "string" && !value.includes("${") ? value : undefined;
  };
  const name = literal("name") ?? literal("secret_id") ?? literal("account_id") ?? literal("service");
  if (name !== undefined && type === "google_dns_record_set" && literal("type")) {
    return `${literal("type")} ${name}`;
  }
  return name ?? constructPath(attributes) ?? id;
}

interface Leaf {
  readonly value: JsonValue;
  readonly secret: boolean;
}

/** Every leaf value by path; lists of scalars are one leaf, named entries are keyed by their name. */
function leaves(value: JsonValue, path: string, secret: boolean, out: Map<string, Leaf>): Map<string, Leaf> {
  if (isObject(value)) {
    // A named entry (`env[NAME]`) carries its name in the path already.
    const named = path.endsWith(`[${String(value.name)}]`);
    const namedSecret = typeof value.name === "string" && isSecretName(value.name);
    for (const [key, child] of Object.entries(value)) {
      if (key === METADATA_KEY || (named && key === "name")) continue;
      const childSecret = secret || isSecretKey(key) || (namedSecret && key !== "name");
      leaves(child, path === "" ? key : `${path}.${key}`, childSecret, out);
    }
  } else if (Array.isArray(value) && value.length > 0 && value.every(isObject)) {
    const names = value.map((entry) => (isObject(entry) ? entry.name : undefined));
    const named = names.every((n) => typeof n === "string") && new Set(names).size === names.length;
    value.forEach((entry, index) => {
      leaves(entry, `${path}[${named ? names[index] : index}]`, secret, out);
    });
  } else {
    out.set(path, { value, secret });
  }
  return out;
}

function attributeChanges(before: JsonObject, after: JsonObject): AttributeChange[] {
  const old = leaves(before, "", false, new Map());
  const now = leaves(after, "", false, new Map());
  const paths = [...new Set([...old.keys(), ...now.keys()])].sort(compareText);
  const changes: AttributeChange[] = [];
  for (const path of paths) {
    const a = old.get(path);
    const b = now.get(path);
    if (a && b && JSON.stringify(a.value) === JSON.stringify(b.value)) continue;
    changes.push({ path, label: attributeLabel(path), before: shown(a), after: shown(b) });
  }
  return changes;
}

const MAX_SHOWN = 80;

/** A value as a plan shows it: short, plain, never a secret. */
function shown(leaf: Leaf | undefined): string | null {
  if (leaf === undefined) return null;
  if (leaf.secret) return SENSITIVE_TEXT;
  return shownValue(leaf.value);
}

function shownValue(value: JsonValue): string {
  if (value === null) return "(none)";
  if (typeof value === "boolean") return value ? "on" : "off";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") {
    if (looksLikeSecret(value)) return SENSITIVE_TEXT;
    return value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN - 1)}…` : value;
  }
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.map(shownValue).join(", ");
  return "{…}"; // an object inside a list of scalars: rare, and not worth a dump
}

function topLevel(path: string): string {
  return /^[^.[]+/.exec(path)?.[0] ?? path;
}

function settingChanges(base: SynthJson, current: SynthJson): SettingDiff[] {
  const blocks = (synth: SynthJson) => {
    const out = new Map<string, string>();
    for (const [name, block] of [
      ["terraform", synth.terraform],
      ["provider", synth.provider],
      ["output", synth.output],
    ] as const) {
      for (const [key, value] of Object.entries(block ?? {})) out.set(`${name}.${key}`, canonicalJson(value));
    }
    return out;
  };
  const old = blocks(base);
  const now = blocks(current);
  const settings: SettingDiff[] = [];
  for (const block of [...new Set([...old.keys(), ...now.keys()])].sort(compareText)) {
    const a = old.get(block);
    const b = now.get(block);
    if (a === b) continue;
    settings.push({ block, change: a === undefined ? "added" : b === undefined ? "removed" : "changed" });
  }
  return settings;
}
