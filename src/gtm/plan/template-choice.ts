/** Which TikTok template the plan uses: the workspace's oldest gallery import, else an import at the pinned sha. */
import type { CustomTemplate, Tag } from "../core/api";
import { findTikTokTemplates, templateTagType } from "../core/tiktok-template";
import type { DesiredContainer } from "../model/types";
import type { ActualWorkspace } from "./actual";
import type { PlanTemplate } from "./types";

export function planTemplate(desired: DesiredContainer, actual: ActualWorkspace): PlanTemplate {
  const { gallery, host, displayName } = desired.template;
  const base = { gallery: { host, ...gallery }, displayName };
  const reused = findTikTokTemplates(actual.templates)[0];
  if (reused === undefined) return { action: "import", ...base };
  const tagType = resolvedTagType(reused, actual.containerId, actual.tags);
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
 * The tag type of a TikTok template, from the template (`templateTagType`), else from its tags. A
 * template added by hand can carry the gallery's coordinates without a `galleryTemplateId` or a
 * resolved `___INFO___` id, while GTM types its tags `cvt_<containerId>_<templateId>`: tags of exactly
 * that type in the same container prove it is the type GTM accepts for this template.
 */
export function resolvedTagType(
  template: CustomTemplate,
  containerId: string,
  tags: readonly Tag[],
): string | undefined {
  const known = templateTagType(template, containerId);
  if (known || !template.templateId || !containerId) return known;
  const local = `cvt_${containerId}_${template.templateId}`;
  return tags.some((tag) => tag.type === local) ? local : undefined;
}
