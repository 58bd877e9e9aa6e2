/**
 * The effectful shell of the reconciler: read, check safety, plan, write in dependency order, create a
 * version, publish, remove the kit's workspace. Refusals from the plan, the token, foreign changes,
 * someone's pending version and another apply running come before any write; one found right after
 * creating the workspace deletes it again. The workspace's lifecycle (the lock, leftovers, the checks
 * around the version) is `workspace-lifecycle.ts`. Later stops (a compiler error, an interruption)
 * converge on the next run: the re-plan sees what was written, pending kit changes are versioned, a
 * pending kit version is published.
 */
import type { EnvironmentConfig } from "../../config/model";
import { type CreateContainerVersionResponse, type GtmApi, GtmApiError } from "../core/api";
import { type ApplyProgress, silentProgress } from "../core/progress";
import { templateTagType } from "../core/tiktok-template";
import type { Plan, ReviewedPlan } from "../plan/types";
import { SYMBOL } from "../render";
import { publishReason } from "../render/wording";
import { interruptible } from "./interruption";
import {
  isKitVersion,
  type PlanRun,
  type PlanRunOptions,
  planEnvironment,
  VERSION_NAME_PREFIX,
} from "./plan-run";
import { ApplyRefused, checkReviewedPlan, refused, refuseUnsafe } from "./refusals";
import { defaultClients } from "./workspace-changes";
import { kitWorkspaces, ownWorkspace, releaseOwnWorkspaces } from "./workspace-claim";
import { createVersionSafely, prepareWorkspace } from "./workspace-lifecycle";
import {
  type ApplySession,
  isOwnLock,
  LOCK_STALE_AFTER_MS,
  lockLine,
  newSession,
  runLock,
} from "./workspace-lock";
import { containerPathOf, type WorkspaceRead } from "./workspace-read";
import { entityWriteSteps, writeEntityChanges } from "./write-entities";
import { whileLatestIs } from "./write-guards";

export interface ApplyOptions extends Omit<PlanRunOptions, "session"> {
  /** The reviewed plan (`apply --plan FILE`, or the plan apply showed): applied only if the container is still as it was. */
  readonly reviewedPlan?: ReviewedPlan;
  /** The file the reviewed plan came from; absent when it is the plan apply showed. */
  readonly reviewedPlanFile?: string;
  /** Publish the new (or a pending) version. */
  readonly publish: boolean;
  /** Apply a plan that deletes more than half of the kit's entities in the container (`--allow-mass-delete`). */
  readonly allowMassDelete?: boolean;
  /** This run's lock identity; default: a random run id, started now. */
  readonly session?: ApplySession;
  /**
   * The plan run this process read with `session` a moment ago and showed (`gtm apply --yes`): apply
   * starts from it instead of reading again (3 calls). Unset, apply reads first; never set it for a plan
   * reviewed earlier. A workspace apply creates is read back and compared either way.
   */
  readonly shownRun?: PlanRun;
  readonly progress?: ApplyProgress;
  /** Aborted by a signal (the CLI's SIGINT/SIGTERM): the run stops at once and lets go of its workspace. */
  readonly signal?: AbortSignal;
}

export interface ApplyResult {
  readonly plan: Plan;
  /** API calls that changed something (creates, updates, deletes, imports, versions, publishes). */
  readonly writes: number;
  readonly workspaceCreated: boolean;
  readonly version?: { readonly id: string; readonly path: string; readonly name: string };
  /** Version id published by this run, if any. */
  readonly published?: string;
  readonly notes: readonly string[];
}

export async function applyEnvironment(options: ApplyOptions): Promise<ApplyResult> {
  const { env } = options;
  const progress = options.progress ?? silentProgress;
  const session = options.session ?? newSession(Date.now());
  const api = options.signal ? interruptible(options.api, options.signal) : options.api;
  const run = { ...options, api, session, progress };

  const planned = options.shownRun ?? (await planEnvironment(run));
  // Another run at work explains any difference from the reviewed plan: say that first.
  if (planned.read.busy) throw refused("busy", planned.read.busy.workspace, planned.read.busy.lock);
  if (options.reviewedPlan) checkReviewedPlan(options.reviewedPlan, planned.plan, options.reviewedPlanFile);
  refuseUnsafe(planned, env, options.token, options.allowMassDelete === true);

  try {
    return await writeVersionPublish(run, planned);
  } catch (error) {
    // Stopped after the first write (a refusal, a failure, a signal): let go of what this run holds,
    // so the next run need not wait for the lock to go stale. Through the API as given: an
    // interrupted run still lets go.
    const lost = await takenOver(options.api, error, env, session);
    await letGo(options.api, session, env, progress);
    throw lost ?? error;
  }
}

/** A 404 or 409 on the kit's workspace, which no longer holds this run's lock: another run took it. */
async function takenOver(
  api: GtmApi,
  error: unknown,
  env: EnvironmentConfig,
  session: ApplySession,
): Promise<ApplyRefused | undefined> {
  const container = containerPathOf(env.gtm);
  const onWorkspace = error instanceof GtmApiError && error.path.startsWith(`${container}/workspaces/`);
  if (!onWorkspace || (error.status !== 404 && error.status !== 409)) return undefined;
  const kit = await kitWorkspaces(api, container, env.gtm.workspace).catch(() => undefined);
  if (!kit || kit.some((k) => isOwnLock(k.lock, session))) return undefined;
  return refused("taken-over", kit.find((k) => k.lock)?.lock);
}

/** Lets go of this run's workspaces, saying so; when the API cannot be asked, says what the next run meets. */
async function letGo(api: GtmApi, session: ApplySession, env: EnvironmentConfig, progress: ApplyProgress) {
  try {
    const released = await releaseOwnWorkspaces(
      api,
      containerPathOf(env.gtm),
      env.gtm.workspace,
      env.stackName,
      session,
    );
    for (const workspace of released)
      progress.note(`released workspace "${workspace.name}" (${workspace.path}) for the next run`);
  } catch (error) {
    const stale = new Date(session.startedAt + LOCK_STALE_AFTER_MS).toISOString();
    progress.note(
      `could not release the kit's workspace (${(error as Error).message.split("\n")[0]}): a next run on this machine takes it over once this process has ended; elsewhere run again after ${stale}, or with --take-over ${session.runId}`,
    );
  }
}

/** Everything from the first write on: the workspace, the entities, the version, the publish. */
async function writeVersionPublish(
  options: ApplyOptions & { readonly session: ApplySession; readonly progress: ApplyProgress },
  planned: PlanRun,
): Promise<ApplyResult> {
  const { env, api, session, progress } = options;
  const notes: string[] = [];
  const prepared = await prepareWorkspace(options, planned);
  const { run, workspacePath, workspaceCreated } = prepared;
  let writes = prepared.writes;
  const { plan } = run;
  let removeAfterPublish: string | undefined;
  let version: ApplyResult["version"];
  if (workspacePath !== undefined) {
    const before = writes;
    writes += await writeWorkspace(run, workspacePath, options, progress);
    const wrote = writes > before;
    const pendingKitChanges = (run.read.status?.workspaceChange ?? []).length > 0;
    /** A workspace holding nothing unversioned, removed at the end: the next run starts from the latest version. */
    let versionedWorkspace: string | undefined = !wrote && !pendingKitChanges ? workspacePath : undefined;
    if (wrote || pendingKitChanges) {
      const name = `${VERSION_NAME_PREFIX} ${env.stackName} ${plan.basis.slice("sha256:".length, "sha256:".length + 12)}`;
      const response = await createVersionSafely(
        api,
        { containerPath: run.read.containerPath, workspacePath, workspaceName: env.gtm.workspace },
        prepared.base,
        session,
        { name, notes: versionNotes(plan, session, prepared.base) },
      );
      writes++;
      const created = checkVersion(response);
      version = { id: created.containerVersionId, path: created.path, name };
      progress.note(`created version ${version.id} "${name}"`);
      const clients = defaultClients(run.read.status, run.read.latest !== undefined);
      if (clients.length > 0)
        notes.push(
          `version ${version.id} is the container's first: it holds GTM's default client ${clients.map((c) => `"${c}"`).join(", ")} too`,
        );
      // Only this run's workspace is ever deleted: what `newWorkspacePath` points to is unverified on
      // the real API (and a lost answer re-read by resilient-api has none), so look it up by lock.
      versionedWorkspace =
        (await ownWorkspace(api, run.read.containerPath, env.gtm.workspace, session))?.path ?? undefined;
    }
    removeAfterPublish = versionedWorkspace ?? undefined;
  }

  let published: string | undefined;
  if (options.publish) {
    const target =
      version ?? (plan.publish.liveDiffers ? await pendingKitVersion(api, env, run.read) : undefined);
    if (target) {
      // Only while it is the latest version, checked before each attempt: a colleague's version made
      // while a retry waited would otherwise be reverted.
      const guard = whileLatestIs(api, run.read.containerPath, target.id, (latest) =>
        refused("version-overtaken", target.id, latest?.containerVersionId, latest?.name ?? ""),
      );
      try {
        await api.publishVersion(target.path, { guard });
        writes++;
        published = target.id;
        progress.note(`published version ${target.id}`);
      } catch (error) {
        if (!(error instanceof ApplyRefused && error.reason === "version-overtaken")) throw error;
        notes.push(`not published: ${error.message}`);
      }
    } else if (plan.publish.liveDiffers) {
      notes.push(
        `not published: ${publishReason(plan.publish.live)}, and the latest version is not one the kit created`,
      );
    }
  } else if (version || plan.publish.liveDiffers) {
    notes.push(
      "not published (publish is off for this run): publish from the GTM UI or re-run with --publish",
    );
  }
  if (removeAfterPublish) {
    // A workspace left behind would go stale when someone else publishes (GTM then wants a merge).
    await api.deleteWorkspace(removeAfterPublish);
    writes++;
    progress.note(`removed workspace "${env.gtm.workspace}" (everything in it is versioned)`);
  }
  return { plan, writes, workspaceCreated, version, published, notes };
}

/** The template import, the built-ins and every entity change, in plan order; returns the writes made. */
async function writeWorkspace(
  run: PlanRun,
  workspacePath: string,
  options: ApplyOptions,
  progress: ApplyProgress,
): Promise<number> {
  const { env, api } = options;
  const { plan } = run;
  let writes = 0;
  const total =
    (plan.template.action === "import" ? 1 : 0) +
    (plan.builtIns.length > 0 ? 1 : 0) +
    entityWriteSteps(plan.changes);
  let step = 0;

  let tagType = plan.template.tagType;
  let { templates, builtInVariables } = run.read.actual;
  if (plan.template.action === "import") {
    progress.step(
      ++step,
      total,
      `import template ${plan.template.gallery.owner}/${plan.template.gallery.repository}@${plan.template.gallery.sha.slice(0, 7)}`,
    );
    const template = await api.importTemplateFromGallery(workspacePath, plan.template.gallery);
    writes++;
    templates = [...templates, template];
    tagType = templateTagType(template, env.gtm.containerId);
    if (!tagType && plan.changes.some((c) => c.kind === "tag" && c.action !== "delete")) {
      // Stop before any entity write: tags of an unknown type would fail halfway through.
      throw refused("template-without-tag-type", template.name);
    }
  }
  if (plan.builtIns.length > 0) {
    progress.step(++step, total, `enable built-in variables ${plan.builtIns.join(", ")}`);
    builtInVariables = [
      ...builtInVariables,
      ...(await api.enableBuiltInVariables(workspacePath, plan.builtIns)),
    ];
    writes++;
  }

  const triggerIds = new Map<string, string>();
  for (const trigger of run.read.actual.triggers) {
    if (trigger.name && trigger.triggerId) triggerIds.set(trigger.name, trigger.triggerId);
  }
  if (plan.changes.length > 0) {
    writes += await writeEntityChanges({
      api,
      env,
      workspacePath,
      changes: plan.changes,
      bindings: { tagType, triggerIds, accessToken: options.token?.reveal() },
      actual: { ...run.read.actual, templates, builtInVariables },
      tokenHash: options.token?.hash(),
      progress,
      firstStep: step + 1,
      totalSteps: total,
    });
  }

  return writes;
}

function checkVersion(response: CreateContainerVersionResponse) {
  if (response.syncStatus?.mergeConflict || response.syncStatus?.syncError) {
    throw refused("merge-conflict");
  }
  if (response.compilerError || !response.containerVersion) {
    const details = (response.compilerErrors ?? []).map((e) => JSON.stringify(e)).join("; ");
    throw refused("compile-error", details);
  }
  const { containerVersionId, path } = response.containerVersion;
  if (!containerVersionId || !path) {
    throw refused("version-unnamed");
  }
  return { containerVersionId, path };
}

/**
 * The newest version, when the kit created it for this environment and it is not live yet. Read again:
 * a version someone made since the plan's read must not be reverted by publishing an older one. (A run
 * still about to publish it holds its workspace, so this run stopped as busy before getting here.)
 */
async function pendingKitVersion(api: GtmApi, env: EnvironmentConfig, read: WorkspaceRead) {
  const latest = await api.getLatestVersionHeader(read.containerPath);
  if (!latest?.path || !latest.containerVersionId || !isKitVersion(latest.name, env.stackName))
    return undefined;
  if (read.actual.liveVersion?.containerVersionId === latest.containerVersionId) return undefined;
  return { id: latest.containerVersionId, path: latest.path };
}

function versionNotes(plan: Plan, session: ApplySession, base: string | null): string {
  const s = plan.summary;
  return [
    plan.environment.retiring
      ? `Created by sgtm-tiktok-kit retiring ${plan.environment.stack}: every entity it made for it removed.`
      : `Created by sgtm-tiktok-kit for ${plan.environment.stack}.`,
    `${s.create} to add, ${s.update} to change, ${s.delete} to destroy.`,
    `Consent: ${plan.environment.consent.statement}`,
    ...plan.changes.map((c) => `${SYMBOL[c.action]} ${c.kind} ${c.name}`),
    lockLine(runLock(session, base)),
  ].join("\n");
}
