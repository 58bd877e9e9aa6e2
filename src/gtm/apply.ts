/**
 * The effectful shell of the reconciler: read, check safety, plan, write in dependency order, create a
 * version, publish, remove the kit's workspace. Refusals from the plan, the token, foreign changes and
 * someone's pending version come before any write; one found right after creating the workspace
 * deletes it again. Later stops (a compiler error, an interruption) converge on the next run: the
 * re-plan sees what was written, pending kit changes are versioned, a pending kit version is published.
 */
import type { EnvironmentConfig } from "../config/model";
import type { CreateContainerVersionResponse, GtmApi } from "./api";
import type { Plan, ReviewedPlan } from "./plan/types";
import {
  isKitVersion,
  type PlanRun,
  type PlanRunOptions,
  planEnvironment,
  VERSION_NAME_PREFIX,
} from "./plan-run";
import { type ApplyProgress, silentProgress } from "./progress";
import { findWorkspace, type WorkspaceRead } from "./read";
import { ApplyRefused, checkReviewedPlan, refuseUnsafe, sameChanges } from "./refusals";
import { SYMBOL } from "./render";
import { publishReason } from "./render/wording";
import { templateTagType } from "./template";
import { entityWriteSteps, writeEntityChanges } from "./write-entities";

export interface ApplyOptions extends PlanRunOptions {
  /** The reviewed plan (`apply --plan FILE`): applied only if the container is still as it was. */
  readonly reviewedPlan?: ReviewedPlan;
  /** Publish the new (or a pending) version. */
  readonly publish: boolean;
  readonly progress?: ApplyProgress;
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
  const { env, api } = options;
  const progress = options.progress ?? silentProgress;
  if (env.retired)
    throw new ApplyRefused(
      `${env.stackName} is retired (retired: true): the kit no longer changes its container`,
    );
  const notes: string[] = [];
  let writes = 0;

  let run = await planEnvironment(options);
  if (options.reviewedPlan) checkReviewedPlan(options.reviewedPlan, run.plan);
  refuseUnsafe(run, env, options.token);

  let workspaceCreated = false;
  let removeAfterPublish: string | undefined;
  if (!run.read.workspace && run.plan.hasChanges) {
    const created = await api.createWorkspace(
      run.read.containerPath,
      env.gtm.workspace,
      `Managed by sgtm-tiktok-kit for ${env.stackName}: the kit versions and publishes what is here.`,
    );
    writes++;
    workspaceCreated = true;
    progress.note(`created workspace "${env.gtm.workspace}"`);
    const planned = run.plan;
    try {
      run = await planEnvironment(options);
      refuseUnsafe(run, env, options.token);
      // The new workspace starts from the latest version: the plan must not have moved.
      if (sameChanges(planned, run.plan) === false) {
        throw new ApplyRefused(
          "the new workspace differs from the latest version the plan was made against (someone created a version meanwhile?): run plan again and review it",
        );
      }
    } catch (error) {
      // Refused after all: take the empty workspace away again, so the refusal leaves no trace.
      if (error instanceof ApplyRefused && created.path) await api.deleteWorkspace(created.path);
      throw error;
    }
  }

  const { plan } = run;
  const workspacePath = run.read.workspace?.path ?? undefined;
  if (workspacePath === undefined && plan.hasChanges) {
    throw new ApplyRefused(
      `workspace "${env.gtm.workspace}" could not be read back after creating it: nothing was written; run apply again`,
    );
  }
  let version: ApplyResult["version"];
  if (workspacePath !== undefined) {
    writes += await writeWorkspace(run, workspacePath, options, progress);
    const pendingKitChanges = (run.read.status?.workspaceChange ?? []).length > 0;
    /** A workspace holding nothing unversioned, removed at the end: the next run starts from the latest version. */
    let versionedWorkspace: string | undefined =
      writes === 0 && !pendingKitChanges ? workspacePath : undefined;
    if (writes > (workspaceCreated ? 1 : 0) || pendingKitChanges) {
      const name = `${VERSION_NAME_PREFIX} ${env.stackName} ${plan.basis.slice("sha256:".length, "sha256:".length + 12)}`;
      const response = await api.createVersion(workspacePath, name, versionNotes(plan));
      writes++;
      const created = checkVersion(response);
      version = { id: created.containerVersionId, path: created.path, name };
      progress.note(`created version ${version.id} "${name}"`);
      // Only a workspace with the kit's name is ever deleted: what `newWorkspacePath` points to is
      // unverified on the real API (and a lost answer re-read by resilient-api has none), so look it up.
      versionedWorkspace =
        (await findWorkspace(api, run.read.containerPath, env.gtm.workspace))?.path ?? undefined;
    }
    removeAfterPublish = versionedWorkspace;
  }

  let published: string | undefined;
  if (options.publish) {
    const target =
      version ?? (plan.publish.liveDiffers ? await pendingKitVersion(api, env, run.read) : undefined);
    if (target) {
      await api.publishVersion(target.path);
      writes++;
      published = target.id;
      progress.note(`published version ${target.id}`);
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
      throw new ApplyRefused(
        `the imported template "${template.name}" names no tag type (no ___INFO___ id, no galleryTemplateId): tags cannot be written; report this with the template's galleryReference`,
      );
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
    throw new ApplyRefused(
      "the workspace has merge conflicts with the latest version, so no version was created and nothing was published: resolve them in the GTM UI (or delete the kit's workspace), then run apply again",
    );
  }
  if (response.compilerError || !response.containerVersion) {
    const details = (response.compilerErrors ?? []).map((e) => JSON.stringify(e)).join("; ");
    throw new ApplyRefused(
      `GTM could not compile the workspace, so no version was created and nothing was published${details ? `: ${details}` : ""}. The changes stay in the workspace; fix the cause and run apply again.`,
    );
  }
  const { containerVersionId, path } = response.containerVersion;
  if (!containerVersionId || !path) {
    throw new ApplyRefused(
      "GTM created a version but did not say which (no containerVersionId or path): check the container's versions in GTM, then run apply again",
    );
  }
  return { containerVersionId, path };
}

/** The newest version, when the kit created it for this environment and it is not live yet. */
async function pendingKitVersion(api: GtmApi, env: EnvironmentConfig, read: WorkspaceRead) {
  // Without a kit workspace the read already holds the latest header (when it is not the live one).
  const latest = read.workspace
    ? await api.getLatestVersionHeader(read.containerPath)
    : read.unpublishedLatest;
  if (!latest?.path || !latest.containerVersionId || !isKitVersion(latest.name, env.stackName))
    return undefined;
  if (read.actual.liveVersion?.containerVersionId === latest.containerVersionId) return undefined;
  return { id: latest.containerVersionId, path: latest.path };
}

function versionNotes(plan: Plan): string {
  const s = plan.summary;
  return [
    `Created by sgtm-tiktok-kit for ${plan.environment.stack}.`,
    `${s.create} to add, ${s.update} to change, ${s.delete} to destroy.`,
    `Consent: ${plan.environment.consent.statement}`,
    ...plan.changes.map((c) => `${SYMBOL[c.action]} ${c.kind} ${c.name}`),
  ].join("\n");
}
