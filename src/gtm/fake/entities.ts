/**
 * Entity kinds, their storage shape and the pure helpers the fake's state builds on: normalising a
 * request body the way the server does, and comparing stored entities.
 */
import type { Client, CustomTemplate, Parameter, Tag, Trigger, Variable } from "../core/api";

/** Collections under a workspace that behave like ordinary CRUD resources. */
export type CollectionKind = "tags" | "triggers" | "variables" | "templates" | "clients";
export const COLLECTION_KINDS: readonly CollectionKind[] = [
  "tags",
  "triggers",
  "variables",
  "templates",
  "clients",
];

export interface EntityByKind {
  tags: Tag;
  triggers: Trigger;
  variables: Variable;
  templates: CustomTemplate;
  clients: Client;
}

interface KindInfo {
  /** Field holding the entity's id (`tagId`, ...). */
  readonly idField: string;
  /** Array name in list responses (`tag`, ...). */
  readonly listField: string;
  /** Array name in a ContainerVersion and field name in a status Entity (`customTemplate` for templates). */
  readonly versionField: "tag" | "trigger" | "variable" | "customTemplate" | "client";
  /** Word used in error messages and `tagManagerUrl`. */
  readonly label: string;
}

export const KINDS: Readonly<Record<CollectionKind, KindInfo>> = {
  tags: { idField: "tagId", listField: "tag", versionField: "tag", label: "tag" },
  triggers: { idField: "triggerId", listField: "trigger", versionField: "trigger", label: "trigger" },
  variables: { idField: "variableId", listField: "variable", versionField: "variable", label: "variable" },
  templates: {
    idField: "templateId",
    listField: "template",
    versionField: "customTemplate",
    label: "template",
  },
  clients: { idField: "clientId", listField: "client", versionField: "client", label: "client" },
};

/**
 * What the fake stores per entity: the API object without the fields that depend on where it is shown
 * (path, workspaceId, ...), so the same record can live in a workspace and in a version snapshot.
 */
export type StoredEntity = Record<string, unknown> & { name: string; fingerprint: string };

/** Fields the server owns: whatever a client sends there is ignored (kept apart from the kit's normaliser on purpose). */
const OUTPUT_ONLY_FIELDS = [
  "path",
  "fingerprint",
  "tagManagerUrl",
  "accountId",
  "containerId",
  "workspaceId",
  "parentFolderId",
] as const;

/**
 * Defaults the real server fills in (docs/facts/gtm-api-v2.md#server-defaults); kept deliberately small.
 * A reconciler that diffs desired against listed state must tolerate exactly these.
 */
export function applyServerDefaults(kind: CollectionKind, entity: Record<string, unknown>): void {
  if (kind === "tags") {
    entity.tagFiringOption ??= "oncePerEvent";
    entity.consentSettings ??= { consentStatus: "notSet" };
    entity.monitoringMetadata ??= { type: "map" };
  }
  if (kind === "variables") entity.formatValue ??= {};
}

/** Copy of a request body without output-only fields, the id field, nulls and empty arrays. */
export function stripClientFields(
  kind: CollectionKind,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const copy = withoutEmptyValues(structuredClone(body)) as Record<string, unknown>;
  for (const field of [...OUTPUT_ONLY_FIELDS, KINDS[kind].idField]) delete copy[field];
  return copy;
}

/**
 * Proto3 JSON never carries null, empty repeated fields or an empty parameter `value`: the real API
 * drops them, so a value sent as `[]` or `""` comes back absent.
 */
function withoutEmptyValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyValues);
  if (value === null || typeof value !== "object") return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === null || inner === undefined) continue;
    if (Array.isArray(inner) && inner.length === 0) continue;
    if (key === "value" && inner === "") continue;
    result[key] = withoutEmptyValues(inner);
  }
  return result;
}

/** Equality of two stored entities ignoring the fingerprint (what `status` compares). */
export function sameContent(a: StoredEntity, b: StoredEntity): boolean {
  return canonicalJson({ ...a, fingerprint: "" }) === canonicalJson({ ...b, fingerprint: "" });
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([x], [y]) => x.localeCompare(y)))
      : inner,
  );
}

/** Every string value found in parameters, recursively (where `{{Variable}}` references live). */
export function parameterValues(parameters: readonly Parameter[] | undefined): string[] {
  return (parameters ?? []).flatMap((parameter) => [
    ...(typeof parameter.value === "string" ? [parameter.value] : []),
    ...parameterValues(parameter.list),
    ...parameterValues(parameter.map),
  ]);
}

/** Everything a workspace or a version snapshot holds. Built-in variables are kept as enabled types. */
export type EntitySet = { readonly [K in CollectionKind]: Map<string, StoredEntity> } & {
  readonly builtIns: Set<string>;
};

export function emptyEntitySet(): EntitySet {
  return {
    tags: new Map(),
    triggers: new Map(),
    variables: new Map(),
    templates: new Map(),
    clients: new Map(),
    builtIns: new Set(),
  };
}

export function cloneEntitySet(set: EntitySet): EntitySet {
  return structuredClone(set);
}
