/**
 * `import_from_gallery`: a template from the Community Template Gallery entries the fake knows
 * (`FakeStateOptions.gallery`), stored like any other template with its `galleryReference`.
 */

import { storeEntity } from "./collections";
import type { EntityByKind } from "./entities";
import { invalid, notFound } from "./errors";
import type { FakeStore } from "./store";
import { checkTemplateContext } from "./usage-context";
import { validateEntity } from "./validate";

export interface GalleryImportRequest {
  readonly owner: string;
  readonly repository: string;
  readonly sha?: string;
  readonly acknowledgePermissions: boolean;
}

export function importFromGallery(
  store: FakeStore,
  workspacePath: string,
  request: GalleryImportRequest,
): EntityByKind["templates"] {
  const ref = store.workspaceRef(workspacePath);
  if (!request.acknowledgePermissions) {
    throw invalid(
      "acknowledgePermissions: must be true to import a gallery template that requests permissions.",
    );
  }
  const entry = store.options.gallery.find(
    (e) => e.owner === request.owner && e.repository === request.repository,
  );
  if (!entry) throw notFound(`Gallery template ${request.owner}/${request.repository} not found.`);
  const sha = request.sha ?? entry.shas[0];
  if (!entry.shas.includes(sha))
    throw notFound(`Gallery template version ${sha} of ${entry.owner}/${entry.repository} not found.`);
  const template = {
    name: entry.displayName,
    templateData: entry.templateData,
    galleryReference: {
      host: "github.com",
      owner: entry.owner,
      repository: entry.repository,
      version: sha,
      galleryTemplateId: entry.galleryTemplateId,
      signature: entry.signature,
      isModified: false,
    },
  };
  checkTemplateContext(ref.container, template.templateData);
  validateEntity("templates", template, {
    containerId: ref.container.containerId,
    entities: ref.workspace.entities,
  });
  return storeEntity(store, ref, "templates", String(++ref.container.counters.entity), template);
}
