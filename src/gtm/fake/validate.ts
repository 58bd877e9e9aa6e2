/**
 * The checks the real API runs on a create or update (400 on failure). Each one exists because a
 * client bug it catches would otherwise only show up against the real Tag Manager.
 */
import type { Condition, Parameter, Tag, Trigger } from "../core/api";
import { INTERNAL_VARIABLE_NAMES, SERVER_BUILT_IN_VARIABLES } from "./builtins";
import { type CollectionKind, type EntitySet, KINDS, parameterValues, type StoredEntity } from "./entities";
import { duplicate, invalid } from "./errors";
import { templateFields, templateInfoId } from "./gallery";
import { templateParameterProblem } from "./template-fields";

const PARAMETER_TYPES = new Set([
  "template",
  "boolean",
  "integer",
  "list",
  "map",
  "triggerReference",
  "tagReference",
  "typeUnspecified",
]);

/** The `___INFO___.id` of a template uploaded as raw data (not from the gallery). */
const UNPUBLISHED_TEMPLATE_ID = "cvt_temp_public_id";

export interface ValidationContext {
  readonly containerId: string;
  readonly entities: EntitySet;
  /** Id of the entity being updated (excluded from the duplicate-name check). */
  readonly selfId?: string;
}

export function validateEntity(
  kind: CollectionKind,
  entity: Record<string, unknown>,
  ctx: ValidationContext,
): void {
  validateName(kind, entity.name, ctx);
  validateParameters(entity.parameter, "parameter");
  if (kind !== "templates") requireString(entity.type, `${KINDS[kind].label}.type`);
  if (kind === "tags") validateTag(entity as Tag, ctx);
  if (kind === "triggers") validateTrigger(entity as Trigger);
  if (kind === "templates") validateTemplate(entity);
}

function validateName(kind: CollectionKind, name: unknown, ctx: ValidationContext): void {
  requireString(name, `${KINDS[kind].label}.name`);
  for (const [id, other] of ctx.entities[kind]) {
    if (id !== ctx.selfId && other.name === name) {
      throw duplicate(
        `Found entity with duplicate name: ${KINDS[kind].label} "${String(name)}" already exists.`,
      );
    }
  }
}

function requireString(value: unknown, field: string): void {
  if (typeof value !== "string" || value === "") throw invalid(`${field}: required field is missing.`);
}

function validateParameters(parameters: unknown, where: string): void {
  if (parameters === undefined) return;
  if (!Array.isArray(parameters)) throw invalid(`${where}: must be a list of parameters.`);
  for (const parameter of parameters as Parameter[]) {
    if (!PARAMETER_TYPES.has(String(parameter?.type))) {
      throw invalid(`${where}.type: invalid value "${String(parameter?.type)}".`);
    }
    if (parameter.value !== undefined && typeof parameter.value !== "string") {
      throw invalid(`${where}.value: must be a string (key "${parameter.key ?? ""}").`);
    }
    validateParameters(parameter.list, `${where}.list`);
    validateParameters(parameter.map, `${where}.map`);
  }
}

function validateTag(tag: Tag, ctx: ValidationContext): void {
  for (const field of ["firingTriggerId", "blockingTriggerId"] as const) {
    for (const triggerId of tag[field] ?? []) {
      if (!ctx.entities.triggers.has(String(triggerId))) {
        throw invalid(`${field}: unknown trigger id "${String(triggerId)}".`);
      }
    }
  }
  if (tag.type?.startsWith("cvt_")) validateTemplateTag(tag, ctx);
}

/**
 * A `cvt_` tag needs its template in the same workspace, and its parameters must fit the template's
 * fields (./template-fields.ts).
 */
function validateTemplateTag(tag: Tag, ctx: ValidationContext): void {
  const template = findTemplateByTagType(ctx.entities, ctx.containerId, String(tag.type));
  if (!template) throw invalid("vendorTemplate.key: Unknown entity type");
  const fields = templateFields(String(template.templateData));
  if (!fields) return;
  const problem = templateParameterProblem(fields, tag.parameter ?? [], String(tag.type));
  if (problem) throw invalid(problem);
}

function validateTrigger(trigger: Trigger): void {
  for (const field of ["filter", "customEventFilter", "autoEventFilter"] as const) {
    validateConditions(trigger[field], field);
  }
  if (trigger.type === "customEvent" && (trigger.customEventFilter?.length ?? 0) !== 1) {
    throw invalid("customEventFilter: a custom event trigger must have exactly one custom event filter.");
  }
}

function validateConditions(conditions: Condition[] | undefined, where: string): void {
  for (const condition of conditions ?? []) {
    requireString(condition.type, `${where}.type`);
    validateParameters(condition.parameter, `${where}.parameter`);
  }
}

function validateTemplate(template: Record<string, unknown>): void {
  requireString(template.templateData, "template.templateData");
  if (!templateInfoId(String(template.templateData))) {
    throw invalid("template.templateData: ___INFO___ section is missing or invalid.");
  }
}

/** Tag type of a template: `___INFO___.id`, else `cvt_<galleryTemplateId>`, else `cvt_<containerId>_<id>`. */
export function templateTagType(template: StoredEntity, containerId: string): string {
  const infoId = templateInfoId(String(template.templateData ?? ""));
  if (infoId && infoId !== UNPUBLISHED_TEMPLATE_ID) return infoId;
  const galleryId = (template.galleryReference as { galleryTemplateId?: string } | undefined)
    ?.galleryTemplateId;
  return galleryId ? `cvt_${galleryId}` : `cvt_${containerId}_${String(template.templateId)}`;
}

export function findTemplateByTagType(
  entities: EntitySet,
  containerId: string,
  tagType: string,
): StoredEntity | undefined {
  return [...entities.templates.values()].find(
    (template) => templateTagType(template, containerId) === tagType,
  );
}

/** Why an entity may not be deleted while others point at it, or undefined when it may. */
export function deletionBlocker(
  kind: CollectionKind,
  id: string,
  ctx: ValidationContext,
): string | undefined {
  const tags = [...ctx.entities.tags.values()] as Tag[];
  if (kind === "triggers") {
    const user = tags.find((tag) =>
      [...(tag.firingTriggerId ?? []), ...(tag.blockingTriggerId ?? [])].includes(id),
    );
    return user && `trigger ${id} is used by tag "${user.name}".`;
  }
  if (kind === "templates") {
    const template = ctx.entities.templates.get(id);
    const tagType = template && templateTagType(template, ctx.containerId);
    const user = tags.find((tag) => tag.type === tagType);
    return user && `template ${id} is used by tag "${user.name}".`;
  }
  return undefined;
}

/**
 * Compiler errors `create_version` reports by itself: a `{{Name}}` that is neither a user variable, an
 * enabled built-in variable nor GTM's internal `_event`.
 */
export function unknownVariableReferences(
  entities: EntitySet,
  builtInNames: Readonly<Record<string, string>> = SERVER_BUILT_IN_VARIABLES,
): string[] {
  const known = new Set<string>(INTERNAL_VARIABLE_NAMES);
  for (const variable of entities.variables.values()) known.add(variable.name);
  for (const type of entities.builtIns) known.add(builtInNames[type] ?? type);
  const unknown = new Set<string>();
  for (const text of referenceSources(entities)) {
    for (const match of text.matchAll(/\{\{([^{}]+)\}\}/g)) {
      if (!known.has(match[1])) unknown.add(match[1]);
    }
  }
  return [...unknown];
}

function referenceSources(entities: EntitySet): string[] {
  const fromConditions = (conditions: unknown) =>
    ((conditions as Condition[] | undefined) ?? []).flatMap((condition) =>
      parameterValues(condition.parameter),
    );
  return [
    ...[...entities.tags.values(), ...entities.variables.values(), ...entities.clients.values()].flatMap(
      (entity) => parameterValues(entity.parameter as Parameter[] | undefined),
    ),
    ...[...entities.triggers.values()].flatMap((trigger) => [
      ...parameterValues(trigger.parameter as Parameter[] | undefined),
      ...fromConditions(trigger.filter),
      ...fromConditions(trigger.customEventFilter),
      ...fromConditions(trigger.autoEventFilter),
    ]),
  ];
}
