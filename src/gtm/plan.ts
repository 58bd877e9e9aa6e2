/**
 * The plan: what apply would change in the kit's workspace, computed from the desired container and
 * the workspace as read (raw API shapes, or a UI export). Pure: the I/O shell reads, this decides.
 *
 * - Only owned entities (ownership marker in `notes`) are created, updated or deleted; a hand-made
 *   entity with a clashing name is an error, never silently taken over.
 * - Updates are full-replace PUTs guarded by the fingerprint read here, so the change carries both.
 * - The access token is compared by SHA-256 when its hash is given, never shown, never in a body.
 * - `basis` digests what the plan was computed from, so apply can refuse a workspace that moved.
 * - A reused TikTok template whose tag type is unknown (`templateTagType`): the kit's existing tags
 *   keep their type (never an update because of it, a `template-type-unknown` warning); tags to
 *   create make it an error, since apply could not write them.
 * - An owned entity to delete that an entity the kit does not manage still uses (a `{{Variable}}`
 *   reference, a firing/blocking trigger, a trigger group, tag sequencing) is a `still-referenced`
 *   error: GTM would refuse the version only after all the writes.
 * - An actual state of another container than `gtm.containerId` (a UI export of the wrong container)
 *   is a `container-mismatch` warning.
 *
 * The JSON shape of `Plan` is a contract (CI and pull-request comments read it): change it only with
 * a new `formatVersion`.
 */
import { createHash } from "node:crypto";
import type {
  BuiltInVariable,
  Condition,
  ContainerVersion,
  CustomTemplate,
  Parameter,
  Tag,
  Trigger,
  Variable,
} from "./api";
import { OWNED_KINDS as KINDS, type OwnedKind } from "./kinds";
import {
  type DesiredContainer,
  type DesiredEntity,
  type DesiredTag,
  isSensitiveValue,
  type PlanEnvironment,
  withTagType,
} from "./model";
import {
  canonicalJson,
  compareText,
  type Json,
  type JsonObject,
  lowerCamelEnum,
  normalizeBuiltInType,
  normalizeEntity,
} from "./normalize";
import { isOwnedBy, ownerOf, ownershipMarker } from "./ownership";
import { findTikTokTemplates, TAG_TYPE_PLACEHOLDER, templateTagType } from "./template";

export const PLAN_FORMAT_VERSION = 1;
/** How the token shows everywhere: plans, renders, JSON, exports. */
export const SENSITIVE_TEXT = "(sensitive)";
export const SENSITIVE_NOT_COMPARED_TEXT = "(sensitive, not compared)";

export interface ActualWorkspace {
  readonly tags: Tag[];
  readonly triggers: Trigger[];
  readonly variables: Variable[];
  readonly templates: CustomTemplate[];
  readonly builtInVariables: BuiltInVariable[];
  readonly containerId: string;
  /** The published version; undefined when nothing was ever published. */
  readonly liveVersion?: ContainerVersion;
}

/** The entities of a container version, as a workspace created from it (or an export of it) holds them. */
export function workspaceFromVersion(
  containerId: string,
  version: ContainerVersion | undefined,
): ActualWorkspace {
  return {
    containerId,
    tags: version?.tag ?? [],
    triggers: version?.trigger ?? [],
    variables: version?.variable ?? [],
    templates: version?.customTemplate ?? [],
    builtInVariables: version?.builtInVariable ?? [],
    liveVersion: version,
  };
}

export interface PlanOptions {
  /** Hex SHA-256 of the access token, when the token is available to the plan. */
  readonly tokenHash?: string;
}

export interface FieldDiff {
  readonly field: string;
  /** Display text; null when the field is absent on that side. */
  readonly before: string | null;
  readonly after: string | null;
  /** Why a change shows no visible difference (a sensitive value compared by hash). */
  readonly note?: string;
}

export interface PlanChange {
  readonly action: "create" | "update" | "delete";
  readonly kind: OwnedKind;
  readonly name: string;
  /** API path of the actual entity (updates and deletes). */
  readonly path?: string;
  /** Fingerprint of the actual entity: the update guard. */
  readonly fingerprint?: string;
  /** The full desired body (creates and updates); the token as a marker, triggers by name. */
  readonly body?: DesiredEntity;
  readonly diff: readonly FieldDiff[];
}

export interface PlanProblem {
  readonly code:
    | "name-clash"
    | "missing-variable"
    | "double-sending"
    | "client-missing"
    | "template-version"
    | "template-modified"
    | "several-templates"
    | "template-type-unknown"
    | "still-referenced"
    | "container-mismatch";
  readonly message: string;
  readonly kind?: OwnedKind | "template";
  readonly name?: string;
}

export interface PlanTemplate {
  readonly action: "import" | "reuse";
  readonly gallery: {
    readonly host: string;
    readonly owner: string;
    readonly repository: string;
    readonly sha: string;
  };
  readonly displayName: string;
  /** The reused template (action `reuse`). */
  readonly templateId?: string;
  readonly name?: string;
  /** Tag type of the reused template; for `import`, known only once apply has imported it. */
  readonly tagType?: string;
}

export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly environment: PlanEnvironment;
  readonly template: PlanTemplate;
  /** Built-in variable types to enable (never disabled). */
  readonly builtIns: readonly string[];
  readonly token: {
    readonly variable: string;
    /** `not compared`: no token hash was given, so the value is left as it is. */
    readonly status: "create" | "unchanged" | "changed" | "not compared";
  };
  /** Dependency order: variables, triggers, tags for creates/updates; tags, triggers, variables for deletes. */
  readonly changes: readonly PlanChange[];
  /** A plan with errors must not be applied. */
  readonly errors: readonly PlanProblem[];
  readonly warnings: readonly PlanProblem[];
  readonly publish: {
    /** Whether the live version differs from the desired entities (before this plan's changes). */
    readonly liveDiffers: boolean;
    readonly reason: string;
    /** The environment's default (`gtm.publish`); the CLI may override it. */
    readonly byDefault: boolean;
  };
  /** `sha256:<hex>` of the actual state read; apply recomputes it (`computeBasis`) and refuses on mismatch. */
  readonly basis: string;
  readonly summary: {
    readonly create: number;
    readonly update: number;
    readonly delete: number;
    readonly errors: number;
    readonly warnings: number;
  };
  /** Anything to write: entity changes, a template import or built-ins to enable. */
  readonly hasChanges: boolean;
}

/** Prefix of comparable (never displayed) values that stand for the token. */
const SENSITIVE_COMPARABLE = "\u0000sensitive:";

export function plan(desired: DesiredContainer, actual: ActualWorkspace, opts: PlanOptions = {}): Plan {
  const stack = desired.stack;
  const errors: PlanProblem[] = [];
  const warnings: PlanProblem[] = [];

  const template = planTemplate(desired, actual, warnings);
  const desiredByKind = resolvedDesired(desired, template.tagType);
  const typeUnknown = template.action === "reuse" && template.tagType === undefined;
  const actualByKind = actualEntities(actual);
  const tokenComparison = tokenComparator(desired.tokenVariableName, opts.tokenHash);
  const context = { triggerNames: idToName(actual.triggers, (t) => t.triggerId) };

  const upserts: PlanChange[] = [];
  const deletes: PlanChange[] = [];
  const deleted: DeletedEntity[] = [];
  let tokenStatus: Plan["token"]["status"] = "create";
  for (const kind of KINDS) {
    const actualByName = new Map(actualByKind[kind].map((e) => [e.name ?? "", e] as const));
    for (const desiredBody of desiredByKind[kind]) {
      const existing = actualByName.get(desiredBody.name);
      if (existing === undefined) {
        upserts.push({
          action: "create",
          kind,
          name: desiredBody.name,
          body: desiredBody,
          diff: diffFields(undefined, normalizeEntity(kind, desiredBody)),
        });
        continue;
      }
      if (!isOwnedBy(existing, stack)) {
        errors.push(nameClash(kind, desiredBody.name, ownerOf(existing.notes), stack));
        continue;
      }
      const { body, before, after, same } = compareEntity(
        kind,
        desiredBody,
        existing,
        typeUnknown,
        tokenComparison,
        context,
      );
      if (kind === "variable" && body.name === desired.tokenVariableName) {
        tokenStatus =
          opts.tokenHash === undefined
            ? "not compared"
            : tokenChanged(before, after)
              ? "changed"
              : "unchanged";
      }
      if (same) continue;
      upserts.push({
        action: "update",
        kind,
        name: body.name,
        ...pathAndFingerprint(existing),
        body,
        diff: diffFields(before, after),
      });
    }
    const desiredNames = new Set(desiredByKind[kind].map((e) => e.name));
    for (const existing of actualByKind[kind]) {
      if (!isOwnedBy(existing, stack) || desiredNames.has(existing.name ?? "")) continue;
      deleted.push({ kind, entity: existing });
      deletes.push({
        action: "delete",
        kind,
        name: existing.name ?? "",
        ...pathAndFingerprint(existing),
        diff: diffFields(
          normalizeEntity(kind, tokenComparison(kind, existing, "actual"), context),
          undefined,
        ),
      });
    }
  }
  const kindRank = (c: PlanChange) => KINDS.indexOf(c.kind);
  upserts.sort((a, b) => kindRank(a) - kindRank(b) || compareText(a.name, b.name));
  deletes.sort((a, b) => kindRank(b) - kindRank(a) || compareText(a.name, b.name));
  const changes = [...upserts, ...deletes];

  if (typeUnknown) {
    const blocked = untypedTags(changes);
    (blocked.length > 0 ? errors : warnings).push(unknownTagType(template, blocked));
  }
  errors.push(...missingVariables(desired, actual));
  errors.push(...stillReferenced(deleted, actual, stack));
  warnings.push(...containerMismatch(desired, actual));
  warnings.push(...doubleSending(desired, actual, template.tagType));
  warnings.push(...clientMissing(desired, actual.liveVersion));

  const enabled = new Set(actual.builtInVariables.map((b) => normalizeBuiltInType(b.type)));
  const builtIns = desired.builtIns.filter((type) => !enabled.has(type));
  const count = (action: PlanChange["action"]) => changes.filter((c) => c.action === action).length;
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    environment: desired.environment,
    template,
    builtIns,
    token: { variable: desired.tokenVariableName, status: tokenStatus },
    changes,
    errors,
    warnings,
    publish: {
      ...liveVersionComparison(desired, actual, opts),
      byDefault: desired.environment.publishByDefault,
    },
    basis: computeBasis(actual, desired.tokenVariableName),
    summary: {
      create: count("create"),
      update: count("update"),
      delete: count("delete"),
      errors: errors.length,
      warnings: warnings.length,
    },
    hasChanges: changes.length > 0 || template.action === "import" || builtIns.length > 0,
  };
}

// ---------------------------------------------------------------------------------------------------
// Template and desired entities

function planTemplate(
  desired: DesiredContainer,
  actual: ActualWorkspace,
  warnings: PlanProblem[],
): PlanTemplate {
  const { gallery, host, displayName } = desired.template;
  const base = { gallery: { host, ...gallery }, displayName };
  const found = findTikTokTemplates(actual.templates);
  const reused = found[0];
  if (reused === undefined) return { action: "import", ...base };
  const tagType = templateTagType(reused, actual.containerId);
  if (found.length > 1) {
    warnings.push({
      code: "several-templates",
      kind: "template",
      message: `the workspace holds ${found.length} TikTok gallery templates (${found.map((t) => `"${t.name}"`).join(", ")}); the kit uses the oldest, "${reused.name}"`,
    });
  }
  const version = reused.galleryReference?.version;
  if (version && version !== gallery.sha) {
    warnings.push({
      code: "template-version",
      kind: "template",
      name: reused.name ?? undefined,
      message: `the TikTok template "${reused.name}" is at ${version.slice(0, 7)} while the kit pins ${gallery.sha.slice(0, 7)}; the kit never changes imported templates: update it in the GTM UI (Templates) when you choose to`,
    });
  }
  if (reused.galleryReference?.isModified) {
    warnings.push({
      code: "template-modified",
      kind: "template",
      name: reused.name ?? undefined,
      message: `the TikTok template "${reused.name}" was modified after import; the kit's tags use it as it is`,
    });
  }
  return {
    action: "reuse",
    ...base,
    ...(reused.templateId ? { templateId: reused.templateId } : {}),
    ...(reused.name ? { name: reused.name } : {}),
    ...(tagType ? { tagType } : {}),
  };
}

/**
 * When the reused template's tag type is unknown (`templateTagType` gives undefined), an existing tag
 * keeps its own type: the plan cannot tell a right type from a wrong one, so it never plans an update
 * because of the type, and an update planned for another reason writes the tag's current type back.
 */
function withExistingTagType(kind: OwnedKind, body: DesiredEntity, existing: ActualEntity): DesiredEntity {
  if (kind !== "tag") return body;
  return withTagType(body as DesiredTag, (existing as Tag).type ?? undefined);
}

/** Names of the tags created or updated with the placeholder as type: apply could not write them. */
function untypedTags(changes: readonly PlanChange[]): string[] {
  return changes
    .filter(
      (c) =>
        c.kind === "tag" && c.action !== "delete" && (c.body as DesiredTag).type === TAG_TYPE_PLACEHOLDER,
    )
    .map((c) => c.name);
}

/**
 * The reused template's tag type is unknown: a warning while the kit's tags exist (their type is kept),
 * an error when a tag must be created (or has no type), since apply could not write it.
 */
function unknownTagType(template: PlanTemplate, blocked: readonly string[]): PlanProblem {
  const which = `"${template.name ?? template.displayName}" (template ${template.templateId ?? "?"})`;
  const why = `the tag type of the TikTok template ${which} is unknown: its ___INFO___ id is missing or unresolved (cvt_temp_public_id) and its galleryReference has no galleryTemplateId`;
  return {
    code: "template-type-unknown",
    kind: "template",
    ...(template.name ? { name: template.name } : {}),
    message:
      blocked.length > 0
        ? `${why}, so the kit cannot write the tags ${blocked.map((name) => `"${name}"`).join(", ")}. Plan against the workspace itself (the API returns the gallery id), or export with the tag type known.`
        : `${why}; the kit's existing tags keep the type they have (no update is planned because of it).`,
  };
}

function resolvedDesired(
  desired: DesiredContainer,
  tagType: string | undefined,
): Record<OwnedKind, DesiredEntity[]> {
  return {
    variable: [...desired.variables],
    trigger: [...desired.triggers],
    tag: desired.tags.map((t) => withTagType(t, tagType)),
  };
}

type ActualEntity = Tag | Trigger | Variable;

function actualEntities(actual: {
  tags?: Tag[];
  triggers?: Trigger[];
  variables?: Variable[];
}): Record<OwnedKind, ActualEntity[]> {
  return { variable: actual.variables ?? [], trigger: actual.triggers ?? [], tag: actual.tags ?? [] };
}

function pathAndFingerprint(entity: ActualEntity): { path?: string; fingerprint?: string } {
  return {
    ...(entity.path ? { path: entity.path } : {}),
    ...(entity.fingerprint ? { fingerprint: entity.fingerprint } : {}),
  };
}

function idToName<T extends { name?: string | null }>(
  entities: readonly T[],
  id: (e: T) => string | null | undefined,
): Map<string, string> {
  const map = new Map<string, string>();
  for (const entity of entities) {
    const key = id(entity);
    if (key && entity.name) map.set(key, entity.name);
  }
  return map;
}

// ---------------------------------------------------------------------------------------------------
// Comparison

type TokenComparison = ReturnType<typeof tokenComparator>;

/**
 * Compares an existing (actual) entity with its desired body, both normalized with the token's
 * stand-in; with the template's tag type unknown, the existing tag's type is kept (`withExistingTagType`).
 */
function compareEntity(
  kind: OwnedKind,
  desiredBody: DesiredEntity,
  existing: ActualEntity,
  typeUnknown: boolean,
  tokenComparison: TokenComparison,
  context: { triggerNames: ReadonlyMap<string, string> },
): { body: DesiredEntity; before: JsonObject; after: JsonObject; same: boolean } {
  const body = typeUnknown ? withExistingTagType(kind, desiredBody, existing) : desiredBody;
  const before = normalizeEntity(kind, tokenComparison(kind, existing, "actual"), context);
  const after = normalizeEntity(kind, tokenComparison(kind, body, "desired"));
  return { body, before, after, same: canonicalJson(before) === canonicalJson(after) };
}

/** The token variable with its `value` parameter replaced by `standIn(value)`; any other entity as is. */
function withTokenValue(
  kind: OwnedKind,
  entity: object,
  tokenVariable: string,
  standIn: (value: Parameter["value"]) => string,
): object {
  const named = entity as { name?: string | null; parameter?: readonly Parameter[] | null };
  if (kind !== "variable" || named.name !== tokenVariable) return entity;
  return {
    ...named,
    parameter: (named.parameter ?? []).map((p) =>
      p.key === "value" ? { ...p, value: standIn(p.value) } : p,
    ),
  };
}

/**
 * Replaces the token constant's value by a comparable stand-in: the hash of each side when the token's
 * hash is known, the same "not compared" text on both sides otherwise (so no update is planned).
 */
function tokenComparator(tokenVariable: string, tokenHash: string | undefined) {
  return (kind: OwnedKind, entity: object, side: "actual" | "desired"): object =>
    withTokenValue(kind, entity, tokenVariable, (value: unknown): string => {
      if (tokenHash === undefined) return `${SENSITIVE_COMPARABLE}not-compared`;
      if (side === "desired" || isSensitiveValue(value)) return `${SENSITIVE_COMPARABLE}${tokenHash}`;
      return `${SENSITIVE_COMPARABLE}${sha256(typeof value === "string" ? value : "")}`;
    });
}

function tokenChanged(before: JsonObject, after: JsonObject): boolean {
  const value = (e: JsonObject) =>
    ((e.parameter ?? []) as readonly JsonObject[]).find((p) => p.key === "value")?.value ?? null;
  return value(before) !== value(after);
}

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
        ...(sameDisplay
          ? { note: byHash ? "value differs (compared by SHA-256)" : "value differs (not shown)" }
          : {}),
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
export function describeCondition(condition: JsonObject | Condition): string {
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

// ---------------------------------------------------------------------------------------------------
// Errors and warnings

function nameClash(kind: OwnedKind, name: string, owner: string | undefined, stack: string): PlanProblem {
  const adopt = `To let the kit manage it, add the line "${ownershipMarker(stack)}" to its notes in the GTM UI (the next apply then overwrites it); otherwise rename it.`;
  const message =
    owner === undefined
      ? `${kind} "${name}" already exists and was not made by the kit for ${stack}. ${adopt}`
      : `${kind} "${name}" is managed by the kit for ${owner}, not ${stack}: two environments cannot share a container's entities. Give each environment its own container, or ${adopt.charAt(3).toLowerCase()}${adopt.slice(4)}`;
  return { code: "name-clash", kind, name, message };
}

/** `{ variable: name }` sources must name a variable the container has, or GTM refuses the version. */
function missingVariables(desired: DesiredContainer, actual: ActualWorkspace): PlanProblem[] {
  const known = new Set<string>([
    ...actual.variables.map((v) => v.name ?? ""),
    ...actual.builtInVariables.map((b) => b.name ?? ""),
    ...desired.variables.map((v) => v.name),
    "Event Name",
    "Client Name",
  ]);
  return desired.referencedVariables
    .filter((name) => !known.has(name))
    .map((name) => ({
      code: "missing-variable" as const,
      kind: "variable" as const,
      name,
      message: `the event map references the variable "${name}" ({ variable: ${name} }), but the workspace has no variable of that name: create it in GTM or fix the name`,
    }));
}

interface DeletedEntity {
  readonly kind: OwnedKind;
  readonly entity: ActualEntity;
}

/**
 * Owned entities to delete that entities the kit does not own still use: GTM would refuse to compile
 * the version, after every write. Variables by `{{Name}}` in any value (nested lists and maps, trigger
 * conditions included), triggers by id (a tag's firing/blocking triggers, a trigger group), tags by
 * name (tag sequencing).
 */
function stillReferenced(
  deleted: readonly DeletedEntity[],
  actual: ActualWorkspace,
  stack: string,
): PlanProblem[] {
  const byKind = actualEntities(actual);
  const users = (["tag", "trigger", "variable"] as const).flatMap((kind) =>
    byKind[kind]
      .filter((e) => !isOwnedBy(e, stack))
      .map((entity) => ({ kind, entity, strings: stringsOf(entity) }))
      .sort((a, b) => compareText(a.entity.name ?? "", b.entity.name ?? "")),
  );
  const problems: PlanProblem[] = [];
  for (const { kind, entity } of deleted) {
    const name = entity.name ?? "";
    const uses = (user: (typeof users)[number]): boolean => {
      if (kind === "variable") return user.strings.some((s) => s.includes(`{{${name}}}`));
      if (kind === "trigger") {
        const id = (entity as Trigger).triggerId;
        if (!id) return false;
        if (user.kind === "tag") {
          const tag = user.entity as Tag;
          return [...(tag.firingTriggerId ?? []), ...(tag.blockingTriggerId ?? [])].includes(id);
        }
        const group = user.entity as Trigger;
        return (
          user.kind === "trigger" &&
          lowerCamelEnum(group.type ?? "") === "triggerGroup" &&
          stringsOf(group.parameter ?? []).includes(id)
        );
      }
      if (user.kind !== "tag") return false;
      const tag = user.entity as Tag;
      return [...(tag.setupTag ?? []), ...(tag.teardownTag ?? [])].some((s) => s.tagName === name);
    };
    const using = users.filter(uses).map((u) => `${u.kind} "${u.entity.name ?? ""}"`);
    if (using.length === 0) continue;
    const how = kind === "variable" ? ` as {{${name}}}` : "";
    problems.push({
      code: "still-referenced",
      kind,
      name,
      message: `the kit would delete ${kind} "${name}" (no longer in the configuration), but hand-made entities still use it${how}: ${using.join(", ")}. GTM would then refuse to create the version, after all the other writes. Fix: remove the reference in GTM, or keep the event in the environment file.`,
    });
  }
  return problems;
}

/** Every string value of an entity except its name and notes (a `{{...}}` may be anywhere else). */
function stringsOf(entity: object): string[] {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) for (const item of value) walk(item);
    else if (typeof value === "object" && value !== null)
      for (const [key, item] of Object.entries(value)) if (key !== "name" && key !== "notes") walk(item);
  };
  walk(entity);
  return out;
}

/** An actual state of another container (a UI export of the wrong container) plans against the wrong entities. */
function containerMismatch(desired: DesiredContainer, actual: ActualWorkspace): PlanProblem[] {
  const wanted = desired.environment.containerId;
  if (actual.containerId === "" || actual.containerId === wanted) return [];
  const publicId = actual.liveVersion?.container?.publicId;
  return [
    {
      code: "container-mismatch",
      message: `the container read is ${actual.containerId}${publicId ? ` (${publicId})` : ""}, not the environment's container ${wanted} (gtm.containerId): this plan compares the configuration with another container. Export the container ${wanted} (Admin > Export Container), or fix gtm.containerId.`,
    },
  ];
}

/** Hand-made tags of the TikTok template that fire on events the kit sends too. */
function doubleSending(
  desired: DesiredContainer,
  actual: ActualWorkspace,
  tagType: string | undefined,
): PlanProblem[] {
  if (tagType === undefined) return [];
  const triggers = new Map(actual.triggers.map((t) => [t.triggerId ?? "", t] as const));
  const problems: PlanProblem[] = [];
  const handMade = actual.tags
    .filter((t) => t.type === tagType && !isOwnedBy(t, desired.stack) && t.paused !== true)
    .sort((a, b) => compareText(a.name ?? "", b.name ?? ""));
  for (const tag of handMade) {
    const events = new Set<string>();
    for (const id of tag.firingTriggerId ?? []) {
      const trigger = triggers.get(id);
      // A trigger the workspace does not list is built in (e.g. All Events): it may match anything.
      const matched = trigger ? eventsMatchedBy(trigger, desired.ga4Events) : desired.ga4Events;
      for (const event of matched) events.add(event);
    }
    if (events.size === 0) continue;
    const list = [...events].sort().join(", ");
    problems.push({
      code: "double-sending",
      kind: "tag",
      name: tag.name ?? "",
      message: `double-sending: the hand-made TikTok tag "${tag.name}" fires on ${list}, which the kit's tags send too; TikTok receives those events twice (deduplicated only when both carry the same event_id and event name). Pause or delete "${tag.name}" in GTM once the kit's tags are published.`,
    });
  }
  return problems;
}

/** GA4 events among `events` a trigger can fire on; conditions on other variables are assumed to hold. */
export function eventsMatchedBy(trigger: Trigger, events: readonly string[]): string[] {
  const type = lowerCamelEnum(trigger.type ?? "");
  if (type !== "customEvent" && type !== "always") return [];
  const conditions = [...(trigger.customEventFilter ?? []), ...(trigger.filter ?? [])];
  return events.filter((event) => conditions.every((c) => conditionMayHold(c, event)));
}

function conditionMayHold(condition: Condition, event: string): boolean {
  const args = new Map((condition.parameter ?? []).map((p) => [p.key ?? "", p.value ?? ""] as const));
  const subject = args.get("arg0");
  if (subject !== "{{_event}}" && subject !== "{{Event Name}}") return true;
  const ignoreCase = args.get("ignore_case") === "true";
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  const value = fold(event);
  const pattern = fold(args.get("arg1") ?? "");
  const type = lowerCamelEnum(condition.type ?? "");
  let holds: boolean;
  switch (type) {
    case "equals":
      holds = value === pattern;
      break;
    case "contains":
      holds = value.includes(pattern);
      break;
    case "startsWith":
      holds = value.startsWith(pattern);
      break;
    case "endsWith":
      holds = value.endsWith(pattern);
      break;
    case "matchRegex":
      try {
        holds = new RegExp(args.get("arg1") ?? "", ignoreCase ? "i" : "").test(event);
      } catch {
        return true;
      }
      break;
    default:
      return true;
  }
  return args.get("negate") === "true" ? !holds : holds;
}

function clientMissing(desired: DesiredContainer, liveVersion: ContainerVersion | undefined): PlanProblem[] {
  const clients = liveVersion?.client ?? [];
  const wanted = desired.environment.clientName;
  if (clients.length === 0 || clients.some((c) => c.name === wanted)) return [];
  const names = clients
    .map((c) => `"${c.name}"`)
    .sort()
    .join(", ");
  return [
    {
      code: "client-missing",
      message: `the live version has no client named "${wanted}" (clients: ${names}): the kit's triggers require {{Client Name}} equals ${wanted} and would never fire. Set gtm.clientName to the GA4 client's name.`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------------
// Publish and basis

/**
 * Whether the live version already holds the desired owned entities. A workspace with nothing to
 * change can still need a publish: an earlier run may have stopped between version and publish.
 */
function liveVersionComparison(
  desired: DesiredContainer,
  actual: ActualWorkspace,
  opts: PlanOptions,
): { liveDiffers: boolean; reason: string } {
  const live = actual.liveVersion;
  if (live === undefined)
    return { liveDiffers: true, reason: "no version of the container has been published yet" };
  const liveTemplate = findTikTokTemplates(live.customTemplate ?? [])[0];
  const tagType = liveTemplate ? templateTagType(liveTemplate, actual.containerId) : undefined;
  const desiredByKind = resolvedDesired(desired, tagType);
  // As in `plan`: with the live template's type unknown, a published tag's type is taken as it is.
  const typeUnknown = liveTemplate !== undefined && tagType === undefined;
  const liveByKind = actualEntities({ tags: live.tag, triggers: live.trigger, variables: live.variable });
  const context = { triggerNames: idToName(live.trigger ?? [], (t) => t.triggerId) };
  const tokenComparison = tokenComparator(desired.tokenVariableName, opts.tokenHash);
  const differing: string[] = [];
  for (const kind of KINDS) {
    const owned = new Map(
      liveByKind[kind].filter((e) => isOwnedBy(e, desired.stack)).map((e) => [e.name ?? "", e] as const),
    );
    for (const desiredBody of desiredByKind[kind]) {
      const published = owned.get(desiredBody.name);
      owned.delete(desiredBody.name);
      const same =
        published !== undefined &&
        compareEntity(kind, desiredBody, published, typeUnknown, tokenComparison, context).same;
      if (!same) differing.push(`${kind} "${desiredBody.name}"`);
    }
    for (const name of owned.keys()) differing.push(`${kind} "${name}" (no longer desired)`);
  }
  const liveBuiltIns = new Set((live.builtInVariable ?? []).map((b) => normalizeBuiltInType(b.type)));
  for (const type of desired.builtIns)
    if (!liveBuiltIns.has(type)) differing.push(`built-in variable ${type}`);
  if (differing.length === 0)
    return { liveDiffers: false, reason: "the live version already holds the kit's entities" };
  const shown = differing.slice(0, 3).join(", ");
  const more = differing.length > 3 ? ` and ${differing.length - 3} more` : "";
  return {
    liveDiffers: true,
    reason: `the live version (${live.containerVersionId ?? "?"}) differs from the desired entities: ${shown}${more}`,
  };
}

/**
 * Digest of the workspace state a plan was computed from: every tag, trigger and variable (normalized,
 * with its fingerprint), the templates and the enabled built-ins. The token constant's value enters
 * only as its hash. Apply recomputes this from a fresh read and refuses when it differs.
 */
export function computeBasis(actual: ActualWorkspace, tokenVariableName: string): string {
  const context = { triggerNames: idToName(actual.triggers, (t) => t.triggerId) };
  const entities = (kind: OwnedKind, list: readonly ActualEntity[]) =>
    list
      .map((e) => ({
        name: e.name ?? "",
        fingerprint: e.fingerprint ?? "",
        body: normalizeEntity(kind, hashTokenValue(kind, e, tokenVariableName), context),
      }))
      .sort((a, b) => compareText(a.name, b.name));
  const state = {
    containerId: actual.containerId,
    variables: entities("variable", actual.variables),
    triggers: entities("trigger", actual.triggers),
    tags: entities("tag", actual.tags),
    templates: actual.templates
      .map((t) => ({
        templateId: t.templateId ?? "",
        fingerprint: t.fingerprint ?? "",
        gallery: (t.galleryReference ?? {}) as Json,
      }))
      .sort((a, b) => compareText(a.templateId, b.templateId)),
    builtIns: actual.builtInVariables.map((b) => normalizeBuiltInType(b.type)).sort(),
  };
  return `sha256:${sha256(canonicalJson(state))}`;
}

function hashTokenValue(kind: OwnedKind, entity: ActualEntity, tokenVariableName: string): object {
  return withTokenValue(
    kind,
    entity,
    tokenVariableName,
    (value) => `${SENSITIVE_COMPARABLE}${sha256(value ?? "")}`,
  );
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
