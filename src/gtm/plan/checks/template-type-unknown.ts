/**
 * The reused template's tag type is unknown: a warning while the kit's tags exist (their type is kept),
 * an error when a tag must be created or written with the placeholder type, since apply could not.
 */
import { TAG_TYPE_PLACEHOLDER } from "../../core/tiktok-template";
import { isTagTypeUnknown } from "../template-choice";
import type { PlanCheck } from "./check";

export const templateTypeUnknown: PlanCheck = ({ template, changes }) => {
  if (!isTagTypeUnknown(template)) return [];
  const blockedTags = changes.flatMap((c) =>
    c.kind === "tag" && c.action !== "delete" && c.body.type === TAG_TYPE_PLACEHOLDER ? [c.name] : [],
  );
  return [
    {
      severity: blockedTags.length > 0 ? "error" : "warning",
      code: "template-type-unknown",
      kind: "template",
      ...(template.name ? { name: template.name } : {}),
      displayName: template.displayName,
      ...(template.templateId ? { templateId: template.templateId } : {}),
      blockedTags,
    },
  ];
};
