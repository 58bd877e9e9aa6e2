/**
 * Which changes in the kit's workspace are not the kit's: they would be versioned and published with
 * the kit's own, so apply refuses while there are any (nobody's unfinished work is published).
 */
import type { WorkspaceStatus } from "./api";
import { REQUIRED_BUILT_INS } from "./model/types";
import { isOwnedBy } from "./ownership";
import { isTikTokGalleryTemplate } from "./template";

/** The kit's workspace may hold the kit's own unfinished changes, never anybody else's. */
export function foreignChanges(status: WorkspaceStatus | undefined, stack: string): string[] {
  const refusals: string[] = [];
  for (const change of status?.workspaceChange ?? []) {
    const entity = change.tag ?? change.trigger ?? change.variable;
    const what = change.tag ? "tag" : change.trigger ? "trigger" : change.variable ? "variable" : undefined;
    if (entity && what) {
      if (!isOwnedBy(entity, stack))
        refusals.push(`${change.changeStatus ?? "changed"} ${what} "${entity.name}"`);
    } else if (change.customTemplate) {
      if (!isTikTokGalleryTemplate(change.customTemplate))
        refusals.push(`${change.changeStatus ?? "changed"} template "${change.customTemplate.name}"`);
    } else if (change.builtInVariable) {
      const type = change.builtInVariable.type ?? "";
      if (!(REQUIRED_BUILT_INS as readonly string[]).includes(type))
        refusals.push(`${change.changeStatus ?? "changed"} built-in variable ${type}`);
    } else {
      refusals.push(
        `${change.changeStatus ?? "changed"} ${Object.keys(change).find((k) => k !== "changeStatus") ?? "entity"}`,
      );
    }
  }
  if ((status?.mergeConflict ?? []).length > 0)
    refusals.push(`${status?.mergeConflict?.length} merge conflict(s)`);
  return refusals;
}
