/**
 * Read the container and plan, with what the read alone tells about safety: changes in the kit's
 * workspace that the kit did not make, and someone's version awaiting publication. Makes no write, so
 * `gtm plan` needs nothing of apply.
 */
import type { EnvironmentConfig } from "../config/model";
import type { GtmApi, WorkspaceStatus } from "./api";
import { desiredContainer } from "./model/desired";
import { REQUIRED_BUILT_INS } from "./model/types";
import { isOwnedBy } from "./ownership";
import { plan as planChanges } from "./plan";
import type { Plan } from "./plan/types";
import { readWorkspace, type WorkspaceRead } from "./read";
import { isTikTokGalleryTemplate } from "./template";
import type { SecretValue } from "./token";

/** Versions the kit creates are named `<prefix> <stack> <basis digest>`. */
export const VERSION_NAME_PREFIX = "sgtm-tiktok-kit";

export interface PlanRunOptions {
  readonly env: EnvironmentConfig;
  readonly api: GtmApi;
  /** When given, the token constant is compared by hash; otherwise it is "not compared". */
  readonly token?: SecretValue;
}

export interface PlanRun {
  readonly plan: Plan;
  readonly read: WorkspaceRead;
  /** Refusals found while reading (foreign changes in the kit's workspace); apply stops on them. */
  readonly refusals: readonly string[];
}

/** Reads the container and plans; makes no write. */
export async function planEnvironment(options: PlanRunOptions): Promise<PlanRun> {
  const read = await readWorkspace(options.api, options.env.gtm);
  const desired = desiredContainer(options.env);
  const plan = planChanges(desired, read.actual, { tokenHash: options.token?.hash() });
  const refusals = foreignChanges(read.status, options.env.stackName);
  const pending = read.unpublishedLatest;
  if (pending && plan.hasChanges && !isKitVersion(pending.name, options.env.stackName)) {
    refusals.push(
      `version ${pending.containerVersionId} "${pending.name ?? ""}" is newer than the live version and was not made by the kit: the kit's changes would be built on it, and publishing them would publish it too. Publish it (or a version that reverts it) in GTM first, then run again`,
    );
  }
  return { plan, read, refusals };
}

export function isKitVersion(name: string | null | undefined, stack: string): boolean {
  return Boolean(name?.startsWith(`${VERSION_NAME_PREFIX} ${stack} `));
}

/** The kit's workspace may hold the kit's own unfinished changes, never anybody else's. */
function foreignChanges(status: WorkspaceStatus | undefined, stack: string): string[] {
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
