/** The reused template was edited after import: the kit's tags use it as it is. */
import { findTikTokTemplates } from "../../core/tiktok-template";
import type { PlanCheck } from "./check";

export const templateModified: PlanCheck = ({ actual }) => {
  const reused = findTikTokTemplates(actual.templates)[0];
  if (!reused?.galleryReference?.isModified) return [];
  return [
    {
      severity: "warning",
      code: "template-modified",
      kind: "template",
      ...(reused.name ? { name: reused.name } : {}),
    },
  ];
};
