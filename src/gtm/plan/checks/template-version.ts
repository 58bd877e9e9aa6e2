/** The reused template is at another gallery sha than the kit pins: the kit never updates it. */
import { findTikTokTemplates } from "../../core/tiktok-template";
import type { PlanCheck } from "./check";

export const templateVersion: PlanCheck = ({ desired, actual }) => {
  const reused = findTikTokTemplates(actual.templates)[0];
  const version = reused?.galleryReference?.version;
  const pinned = desired.template.gallery.sha;
  if (!version || version === pinned) return [];
  return [
    {
      severity: "warning",
      code: "template-version",
      kind: "template",
      ...(reused?.name ? { name: reused.name } : {}),
      version,
      pinned,
    },
  ];
};
