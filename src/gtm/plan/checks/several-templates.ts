/** Several TikTok gallery templates in one workspace: the kit uses the oldest and says which. */
import { findTikTokTemplates } from "../../core/tiktok-template";
import type { PlanCheck } from "./check";

export const severalTemplates: PlanCheck = ({ actual }) => {
  const found = findTikTokTemplates(actual.templates);
  if (found.length <= 1) return [];
  return [
    {
      severity: "warning",
      code: "several-templates",
      kind: "template",
      names: found.map((t) => t.name ?? ""),
      used: found[0]?.name ?? "",
    },
  ];
};
