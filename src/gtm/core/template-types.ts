/**
 * The tag types GTM gives a custom template's tags, in both forms real containers show
 * (docs/facts/gtm-api-v2.md#gallery-templates): `cvt_<galleryTemplateId>` for a template imported
 * from the gallery (which GTM also writes as its `___INFO___.id`), `cvt_<containerId>_<templateId>` for
 * one without a gallery template id (created from a file or raw data).
 */
import type { CustomTemplate } from "./api";
import { templateInfoId } from "./tiktok-template";

/** The `___INFO___.id` of a template nobody resolved (taken from a repository as is). */
export const UNRESOLVED_INFO_ID = "cvt_temp_public_id";

/** `cvt_<containerId>_<templateId>`, or undefined when either id is blank (an export without ids). */
export function localTagType(template: CustomTemplate, containerId: string): string | undefined {
  return template.templateId && containerId ? `cvt_${containerId}_${template.templateId}` : undefined;
}

/** Every type a tag of `template` may carry: its resolved `___INFO___.id`, the gallery form, the local form. */
export function templateTagTypes(template: CustomTemplate, containerId: string): string[] {
  const infoId = templateInfoId(template.templateData ?? "");
  const galleryId = template.galleryReference?.galleryTemplateId;
  const forms = [
    infoId && infoId !== UNRESOLVED_INFO_ID ? infoId : undefined,
    galleryId ? `cvt_${galleryId}` : undefined,
    localTagType(template, containerId),
  ];
  return [...new Set(forms.filter((form): form is string => form !== undefined))];
}
