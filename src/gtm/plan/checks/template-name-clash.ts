/**
 * A template that is not the gallery's TikTok template but bears the name its import would get (a
 * hand-made one, or the official code added from a file, without the gallery reference): GTM refuses
 * the import as a duplicate name, after the plan was approved. An error, so apply never tries.
 */
import type { PlanCheck } from "./check";

export const templateNameClash: PlanCheck = ({ actual, template }) => {
  if (template.action !== "import") return [];
  const clash = actual.templates.find((t) => t.name === template.displayName);
  if (!clash) return [];
  const ref = clash.galleryReference;
  return [
    {
      severity: "error",
      code: "template-name-clash",
      kind: "template",
      name: template.displayName,
      ...(clash.templateId ? { templateId: clash.templateId } : {}),
      ...(ref?.owner && ref.repository ? { repository: `${ref.owner}/${ref.repository}` } : {}),
      gallery: `${template.gallery.owner}/${template.gallery.repository}`,
    },
  ];
};
