/**
 * Which changes in the kit's workspace are not the kit's: they would be versioned and published with
 * the kit's own, so apply refuses while there are any (nobody's unfinished work is published). One
 * exception: a container never versioned gets its default GA4 client in every new workspace, the kit's
 * included; its first version publishes that client too (the kit's triggers need it, the plan says so).
 */
import type { WorkspaceEntity, WorkspaceStatus } from "../core/api";
import { isOwnedBy } from "../core/ownership";
import { isTikTokGalleryTemplate } from "../core/tiktok-template";
import { REQUIRED_BUILT_INS } from "../model/types";

/** The client type of GA4, the one GTM puts into a new server container. */
const GA4_CLIENT_TYPE = "gaaw_client";

/** The kit's workspace may hold the kit's own unfinished changes, never anybody else's. */
export function foreignChanges(
  status: WorkspaceStatus | undefined,
  stack: string,
  versioned: boolean,
): string[] {
  const refusals: string[] = [];
  for (const change of status?.workspaceChange ?? []) {
    if (!versioned && isDefaultClient(change)) continue;
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
      const key = Object.keys(change).find((k) => k !== "changeStatus") ?? "entity";
      const name = (change[key as keyof WorkspaceEntity] as { name?: string } | undefined)?.name;
      refusals.push(`${change.changeStatus ?? "changed"} ${key}${name ? ` "${name}"` : ""}`);
    }
  }
  if ((status?.mergeConflict ?? []).length > 0)
    refusals.push(`${status?.mergeConflict?.length} merge conflict(s)`);
  return refusals;
}

/** The default GA4 clients a never-versioned container put into the workspace (published with the kit's first version). */
export function defaultClients(status: WorkspaceStatus | undefined, versioned: boolean): string[] {
  if (versioned) return [];
  return (status?.workspaceChange ?? []).filter(isDefaultClient).map((c) => c.client?.name ?? "");
}

function isDefaultClient(change: WorkspaceEntity): boolean {
  return change.changeStatus === "added" && change.client?.type === GA4_CLIENT_TYPE;
}
