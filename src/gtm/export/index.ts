/**
 * GTM's own container export format, both ways:
 * - `toGtmExport`: the desired entities as a review artefact in the shape GTM's UI exports
 *   (`exportFormatVersion: 2`, UPPER_SNAKE enums, short variable type codes), the token redacted.
 *   It is not meant for GTM's Import Container: the token constant would be imported as the redacted
 *   text, and without a known tag type the tags carry `TAG_TYPE_PLACEHOLDER`, which GTM rejects. The
 *   version's `description` says so, in the file itself;
 * - `fromGtmExport` (`read.ts`): a container exported from GTM's UI read as an `ActualWorkspace`, so
 *   `plan --from-export FILE` previews changes with no credentials (the tag type then comes from the
 *   TikTok template found in the file).
 */
import type {
  BuiltInVariable,
  ContainerVersion,
  CustomTemplate,
  Parameter,
  Tag,
  Trigger,
  Variable,
} from "../core/api";
import { upperSnakeEnum } from "../core/normalize";
import { isSensitiveValue, SENSITIVE_TEXT } from "../core/sensitive";
import { TAG_TYPE_PLACEHOLDER } from "../core/tiktok-template";
import { withTagType } from "../model/api-body";
import type { DesiredCondition, DesiredContainer, DesiredParameter } from "../model/types";

/** The display names GTM gives the built-in variables the kit enables. */
const BUILT_IN_NAMES: Readonly<Record<string, string>> = {
  clientName: "Client Name",
  eventName: "Event Name",
};

export interface GtmExportOptions {
  readonly accountId?: string;
  readonly containerId?: string;
  /**
   * The TikTok template's tag type when known (e.g. from a plan against the workspace): tags get it and
   * a `cvt_<galleryTemplateId>` type also fills the template's `galleryTemplateId`. Unknown: the tags
   * keep `TAG_TYPE_PLACEHOLDER` and the description says the file cannot be imported as is.
   */
  readonly tagType?: string;
}

export interface GtmExport {
  readonly exportFormatVersion: 2;
  readonly containerVersion: ContainerVersion;
}

export function toGtmExport(desired: DesiredContainer, options: GtmExportOptions = {}): GtmExport {
  const accountId = options.accountId ?? desired.environment.accountId;
  const containerId = options.containerId ?? desired.environment.containerId;
  const where = { accountId, containerId };
  // One id sequence for every entity, as in GTM; ids only link tags to triggers inside the file.
  let nextId = 1;
  const newId = () => String(nextId++);

  const variable: Variable[] = desired.variables.map((v) => ({
    ...where,
    variableId: newId(),
    name: v.name,
    type: v.type,
    notes: v.notes,
    parameter: v.parameter.map(exportParameter),
  }));
  const triggerIds = new Map<string, string>();
  const trigger: Trigger[] = desired.triggers.map((t) => {
    const triggerId = newId();
    triggerIds.set(t.name, triggerId);
    return {
      ...where,
      triggerId,
      name: t.name,
      type: upperSnakeEnum(t.type),
      notes: t.notes,
      customEventFilter: t.customEventFilter.map(exportCondition),
      ...(t.filter.length > 0 ? { filter: t.filter.map(exportCondition) } : {}),
    };
  });
  const tag: Tag[] = desired.tags.map((t) => {
    const resolved = withTagType(t, options.tagType);
    return {
      ...where,
      tagId: newId(),
      name: resolved.name,
      type: resolved.type,
      notes: resolved.notes,
      parameter: resolved.parameter.map(exportParameter),
      firingTriggerId: resolved.firingTriggerNames.map((name) => triggerIds.get(name) ?? name),
      tagFiringOption: upperSnakeEnum(resolved.tagFiringOption),
    };
  });
  const galleryTemplateId = options.tagType?.match(/^cvt_([A-Za-z0-9]+)$/)?.[1];
  const customTemplate: CustomTemplate[] = [
    {
      ...where,
      templateId: newId(),
      name: desired.template.displayName,
      // Coordinates only: the template's code is TikTok's and GTM fetches it from the gallery.
      galleryReference: {
        host: desired.template.host,
        owner: desired.template.gallery.owner,
        repository: desired.template.gallery.repository,
        version: desired.template.gallery.sha,
        ...(galleryTemplateId ? { galleryTemplateId } : {}),
      },
    },
  ];
  const builtInVariable: BuiltInVariable[] = desired.builtIns.map((type) => ({
    ...where,
    type: upperSnakeEnum(type),
    name: BUILT_IN_NAMES[type] ?? type,
  }));
  return {
    exportFormatVersion: 2,
    containerVersion: {
      ...where,
      containerVersionId: "0",
      name: `sgtm-tiktok-kit ${desired.stack}`,
      description: exportDescription(desired.stack, containerId, options.tagType),
      container: { ...where, usageContext: ["SERVER"] },
      tag,
      trigger,
      variable,
      customTemplate,
      builtInVariable,
    },
  };
}

/** What the file is and why it cannot go through GTM's Import Container, in the file itself. */
function exportDescription(stack: string, containerId: string, tagType: string | undefined): string {
  const type =
    tagType === undefined
      ? `the tags carry the placeholder type ${TAG_TYPE_PLACEHOLDER} (the TikTok template's tag type was not known when exporting)`
      : `the tags carry the tag type ${tagType} of the TikTok template in container ${containerId}`;
  return `Desired entities of sgtm-tiktok-kit for ${stack}: a review artefact that cannot be imported into GTM as is. The access token is redacted as ${SENSITIVE_TEXT}, and ${type}. Write these entities with the kit's apply instead.`;
}

/** The export as GTM writes it: four-space indent. */
export function renderGtmExport(desired: DesiredContainer, options: GtmExportOptions = {}): string {
  return `${JSON.stringify(toGtmExport(desired, options), null, 4)}\n`;
}

function exportParameter(p: DesiredParameter): Parameter {
  const out: Parameter = { type: upperSnakeEnum(p.type) };
  if (p.key !== undefined) out.key = p.key;
  if (p.value !== undefined) out.value = isSensitiveValue(p.value) ? SENSITIVE_TEXT : p.value;
  if (p.list) out.list = p.list.map(exportParameter);
  if (p.map) out.map = p.map.map(exportParameter);
  return out;
}

function exportCondition(c: DesiredCondition) {
  return { type: upperSnakeEnum(c.type), parameter: c.parameter.map(exportParameter) };
}

export { fromGtmExport, GtmExportError, type ReadExportOptions } from "./read";
