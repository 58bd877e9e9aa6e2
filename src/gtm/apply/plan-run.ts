/**
 * Read the container and plan, with what the read alone tells about safety: changes in the kit's
 * workspace that the kit did not make, someone's version awaiting publication, another apply running,
 * workspaces left behind that apply will remove. Makes no write, so `gtm plan` needs nothing of apply.
 */
import type { EnvironmentConfig } from "../../config/model";
import type { SecretValue } from "../client/access-token";
import type { GtmApi } from "../core/api";
import { desiredContainer } from "../model/desired";
import { plan as planChanges } from "../plan";
import type { Plan } from "../plan/types";
import { busyMessage } from "./refusals";
import { requireServerContainer } from "./server-container";
import { foreignChanges } from "./workspace-changes";
import { lockLine } from "./workspace-lock";
import { type ReadSession, readWorkspace, type WorkspaceRead } from "./workspace-read";

/** Versions the kit creates are named `<prefix> <stack> <basis digest>`. */
export const VERSION_NAME_PREFIX = "sgtm-tiktok-kit";

export interface PlanRunOptions {
  readonly env: EnvironmentConfig;
  readonly api: GtmApi;
  /** When given, the token constant is compared by hash; otherwise it is "not compared". */
  readonly token?: SecretValue;
  /** The run that reads (apply's), and the time other runs' locks are judged at; default: now, no run. */
  readonly session?: ReadSession;
}

export interface PlanRun {
  readonly plan: Plan;
  readonly read: WorkspaceRead;
  /** Refusals found while reading (foreign changes in the kit's workspace); apply stops on them. */
  readonly refusals: readonly string[];
  /** What apply will do besides the plan's changes, or why the plan is not against the kit's workspace. */
  readonly notes: readonly string[];
}

/** Reads the container and plans; makes no write. Another kind of container than a server one is an error. */
export async function planEnvironment(options: PlanRunOptions): Promise<PlanRun> {
  const read = await readWorkspace(options.api, options.env.gtm, options.env.stackName, options.session);
  await requireServerContainer(options.api, options.env, read);
  return planFromRead(options, read);
}

/** The plan and the refusals for what was read. */
export function planFromRead(options: PlanRunOptions, read: WorkspaceRead): PlanRun {
  const stack = options.env.stackName;
  const desired = desiredContainer(options.env);
  const plan = planChanges(desired, read.actual, { tokenHash: options.token?.hash() });
  const refusals = foreignChanges(read.status, stack, read.latest !== undefined);
  const pending = read.unpublishedLatest;
  if (pending && plan.hasChanges && !isKitVersion(pending.name, options.env.stackName)) {
    refusals.push(
      `version ${pending.containerVersionId} "${pending.name ?? ""}" is newer than the live version and was not made by the kit: the kit's changes would be built on it, and publishing them would publish it too. Publish it (or a version that reverts it) in GTM first, then run again`,
    );
  }
  return { plan, read, refusals, notes: readNotes(read) };
}

function readNotes(read: WorkspaceRead): string[] {
  const notes: string[] = [];
  if (read.busy) {
    notes.push(
      `${busyMessage(read.busy.workspace, read.busy.lock)}. This plan is against the latest version, without that run's changes`,
    );
  }
  const latest = read.latest ? `version ${read.latest.containerVersionId}` : "an empty container";
  for (const { workspace, lock } of read.leftovers) {
    const why = lock
      ? `made from ${lock.base ? `version ${lock.base}` : "an empty container"} (${lockLine(lock)})`
      : "of unknown base (not made by the kit)";
    notes.push(
      `workspace ${workspace.path} "${workspace.name}" is left over, ${why}, and holds only the kit's changes: apply removes it and starts again from ${latest}, so nothing newer is reverted`,
    );
  }
  return notes;
}

export function isKitVersion(name: string | null | undefined, stack: string): boolean {
  return Boolean(name?.startsWith(`${VERSION_NAME_PREFIX} ${stack} `));
}
