/** Which TikTok template the plan uses: the workspace's oldest gallery import, else an import at the pinned sha. */
import type { DesiredContainer } from "../model/types";
import { findTikTokTemplates, templateTagType } from "../template";
import type { ActualWorkspace } from "./actual";
import type { PlanTemplate } from "./types";

export function planTemplate(desired: DesiredContainer, actual: ActualWorkspace): PlanTemplate {
  const { gallery, host, displayName } = desired.template;
  const base = { gallery: { host, ...gallery }, displayName };
  const reused = findTikTokTemplates(actual.templates)[0];
  if (reused === undefined) return { action: "import", ...base };
  const tagType = templateTagType(reused, actual.containerId);
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
