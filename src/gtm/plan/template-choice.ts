/**
 * Which TikTok template the plan uses: the workspace's oldest copy of the gallery template (recognised
 * by its gallery owner/repository, however it was imported), else an import at the pinned sha. Never a
 * second import: a copy that is there is reused.
 */
import type { CustomTemplate, Tag } from "../core/api";
import { isOwnedBy } from "../core/ownership";
import { localTagType } from "../core/template-types";
import { findTikTokTemplates, TAG_TYPE_PLACEHOLDER, templateTagType } from "../core/tiktok-template";
import type { DesiredContainer } from "../model/types";
import type { ActualWorkspace } from "./actual";
import type { PlanTemplate } from "./types";

export function planTemplate(desired: DesiredContainer, actual: ActualWorkspace): PlanTemplate {
  const { gallery, host, displayName } = desired.template;
  const base = { gallery: { host, ...gallery }, displayName };
  const reused = findTikTokTemplates(actual.templates)[0];
  if (desired.retiring) {
    return {
      action: "none",
      ...base,
      ...(reused?.templateId ? { templateId: reused.templateId } : {}),
      ...(reused?.name ? { name: reused.name } : {}),
    };
  }
  if (reused === undefined) return { action: "import", ...base };
  const tagType = resolvedTagType(reused, actual.containerId, actual.tags, desired.stack);
  return {
    action: "reuse",
    ...base,
    ...(reused.templateId ? { templateId: reused.templateId } : {}),
    ...(reused.name ? { name: reused.name } : {}),
    ...(tagType ? { tagType } : {}),
  };
}

/** A reused template whose tag type is unknown: the kit's existing tags keep their type. */
export function isTagTypeUnknown(template: PlanTemplate): boolean {
  return template.action === "reuse" && template.tagType === undefined;
}

/**
 * The tag type of a TikTok template, in this order:
 * - from the template itself (`templateTagType`: its resolved `___INFO___.id`, else
 *   `cvt_<galleryTemplateId>`);
 * - from its tags: tags of the local form `cvt_<containerId>_<templateId>`, else the one type the
 *   stack's own tags carry (GTM accepted them, and the kit builds its tags on this template only);
 * - unknown when tags of the kit's placeholder type exist (the file is the kit's own review artefact,
 *   written before the type was known: its tags keep their type);
 * - else GTM's form for a template without a gallery template id, `cvt_<containerId>_<templateId>`,
 *   which real exports show for such templates (docs/facts/gtm-api-v2.md#gallery-templates); unknown
 *   only when the container's ids are blank (an export without them).
 */
export function resolvedTagType(
  template: CustomTemplate,
  containerId: string,
  tags: readonly Tag[],
  stack?: string,
): string | undefined {
  const known = templateTagType(template, containerId);
  if (known) return known;
  const local = localTagType(template, containerId);
  if (local && tags.some((tag) => tag.type === local)) return local;
  const ownTypes = new Set(
    tags.filter((tag) => stack !== undefined && isOwnedBy(tag, stack)).map((tag) => tag.type ?? ""),
  );
  const [ownType] = ownTypes;
  if (ownTypes.size === 1 && ownType?.startsWith("cvt_") && ownType !== TAG_TYPE_PLACEHOLDER) return ownType;
  if (tags.some((tag) => tag.type === TAG_TYPE_PLACEHOLDER)) return undefined;
  return local;
}
