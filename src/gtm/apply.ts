/**
 * The effectful shell of the reconciler: read, check safety, plan, write in dependency order, create a
 * version, publish, remove the kit's workspace. Refusals from the plan, the token, foreign changes and
 * someone's pending version come before any write; one found right after creating the workspace
 * deletes it again. Later stops (a compiler error, an interruption) converge on the next run: the
 * re-plan sees what was written, pending kit changes are versioned, a pending kit version is published.
 */
import type { EnvironmentConfig } from "../config/model";
import type { CreateContainerVersionResponse, EntityKind, GtmApi, WorkspaceStatus } from "./api";
import { GtmApiError } from "./api";
import { type ApplyBindings, desiredContainer, REQUIRED_BUILT_INS, toApiBody } from "./model";
import { canonicalJson } from "./normalize";
import { isOwnedBy } from "./ownership";
import { type Plan, type PlanChange, plan as planChanges } from "./plan";
import { type ApplyProgress, silentProgress } from "./progress";
import { findWorkspace, readWorkspace, type WorkspaceRead } from "./read";
import { SYMBOL } from "./render";
import { isTikTokGalleryTemplate, templateTagType } from "./template";
import { type SecretValue, stackTokenVariable } from "./token";

/** An apply that must not go ahead; nothing was written when this is thrown before the first write. */
export class ApplyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ApplyRefused";
  }
}

export const VERSION_NAME_PREFIX = "sgtm-tiktok-kit";

const PLURAL: Readonly<Record<PlanChange["kind"], EntityKind>> = {
  variable: "variables",
  trigger: "triggers",
  tag: "tags",
};

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

export interface ApplyOptions extends PlanRunOptions {
  /** The reviewed plan (`apply --plan FILE`): applied only if the container is still as it was. */
  readonly reviewedPlan?: Plan;
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
  refuseUnsafe(run, options);

  let workspaceCreated = false;
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
      refuseUnsafe(run, options);
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

  const workspacePath = run.read.workspace?.path as string;
  const { plan } = run;
  const total =
    (plan.template.action === "import" ? 1 : 0) + (plan.builtIns.length > 0 ? 1 : 0) + plan.changes.length;
  let step = 0;

  let tagType = plan.template.tagType;
  if (plan.template.action === "import") {
    progress.step(
      ++step,
      total,
      `import template ${plan.template.gallery.owner}/${plan.template.gallery.repository}@${plan.template.gallery.sha.slice(0, 7)}`,
    );
    const template = await api.importTemplateFromGallery(workspacePath, plan.template.gallery);
    writes++;
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
    await api.enableBuiltInVariables(workspacePath, plan.builtIns);
    writes++;
  }

  const triggerIds = new Map<string, string>();
  for (const trigger of run.read.actual.triggers) {
    if (trigger.name && trigger.triggerId) triggerIds.set(trigger.name, trigger.triggerId);
  }
  for (const change of plan.changes) {
    progress.step(++step, total, `${SYMBOL[change.action]} ${change.kind} ${change.name}`);
    await writeChange(api, workspacePath, change, {
      tagType,
      triggerIds,
      accessToken: options.token?.reveal(),
    });
    writes++;
  }

  const pendingKitChanges = (run.read.status?.workspaceChange ?? []).length > 0;
  let version: ApplyResult["version"];
  /** A workspace holding nothing unversioned, removed at the end: the next run starts from the latest version. */
  let versionedWorkspace: string | undefined =
    writes === 0 && !pendingKitChanges && run.read.workspace ? workspacePath : undefined;
  if (writes > (workspaceCreated ? 1 : 0) || pendingKitChanges) {
    const name = `${VERSION_NAME_PREFIX} ${env.stackName} ${plan.basis.slice("sha256:".length, "sha256:".length + 12)}`;
    const response = await api.createVersion(workspacePath, name, versionNotes(plan));
    writes++;
    const created = checkVersion(response);
    version = { id: created.containerVersionId as string, path: created.path as string, name };
    progress.note(`created version ${version.id} "${name}"`);
    // Only a workspace with the kit's name is ever deleted: what `newWorkspacePath` points to is
    // unverified on the real API (and a lost answer re-read by resilient-api has none), so look it up.
    versionedWorkspace =
      (await findWorkspace(api, run.read.containerPath, env.gtm.workspace))?.path ?? undefined;
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
      notes.push(`not published: ${plan.publish.reason}, and the latest version is not one the kit created`);
    }
  } else if (version || plan.publish.liveDiffers) {
    notes.push(
      "not published (publish is off for this run): publish from the GTM UI or re-run with --publish",
    );
  }
  if (versionedWorkspace) {
    // A workspace left behind would go stale when someone else publishes (GTM then wants a merge).
    await api.deleteWorkspace(versionedWorkspace);
    writes++;
    progress.note(`removed workspace "${env.gtm.workspace}" (everything in it is versioned)`);
  }
  return { plan, writes, workspaceCreated, version, published, notes };
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

function refuseUnsafe(run: PlanRun, options: ApplyOptions): void {
  const workspace = options.env.gtm.workspace;
  if (run.refusals.length > 0) {
    throw new ApplyRefused(
      `workspace "${workspace}" holds changes the kit did not make, which a version would publish:\n  - ${run.refusals.join("\n  - ")}\nFinish or discard them in the GTM UI (or move them to another workspace), then run again.`,
    );
  }
  if (run.plan.errors.length > 0) {
    throw new ApplyRefused(
      `the plan has errors:\n  - ${run.plan.errors.map((e) => e.message).join("\n  - ")}`,
    );
  }
  const writesToken = run.plan.changes.some(
    (c) => c.kind === "variable" && c.name === run.plan.token.variable && c.action !== "delete",
  );
  if (writesToken && !options.token) {
    throw new ApplyRefused(
      `the TikTok access token is needed to write "${run.plan.token.variable}": grant this identity access to secret ${options.env.secrets.tiktokAccessToken} or set ${stackTokenVariable(options.env.stackName)}`,
    );
  }
}

function checkReviewedPlan(reviewed: Plan, fresh: Plan): void {
  if (reviewed.environment.stack !== fresh.environment.stack) {
    throw new ApplyRefused(
      `the plan file is for ${reviewed.environment.stack}, not ${fresh.environment.stack}`,
    );
  }
  if (reviewed.basis !== fresh.basis || !sameChanges(reviewed, fresh)) {
    throw new ApplyRefused(
      "the container changed since the reviewed plan was made (or the config did): run plan again, review it, then apply the new plan file",
    );
  }
}

function sameChanges(a: Plan, b: Plan): boolean {
  // Key order must not matter: a reviewed plan comes back from its file (`renderJson` sorts keys).
  const key = (p: Plan) =>
    canonicalJson([
      p.template.action,
      p.builtIns,
      p.changes.map((c) => [c.action, c.kind, c.name, c.body ?? null]),
    ]);
  return key(a) === key(b);
}

async function writeChange(
  api: GtmApi,
  workspacePath: string,
  change: PlanChange,
  bindings: ApplyBindings & { readonly triggerIds: Map<string, string> },
): Promise<void> {
  const kind = PLURAL[change.kind];
  if (change.action === "delete") return api.remove(kind, change.path as string);
  const body = toApiBody(change.kind, change.body as never, bindings);
  try {
    if (change.action === "create") {
      const created = await api.create(kind, workspacePath, body);
      if (change.kind === "trigger" && created.name) {
        // Tags created later in this run fire on this trigger: learn its id.
        bindings.triggerIds.set(created.name, (created as { triggerId?: string }).triggerId as string);
      }
    } else {
      await api.update(kind, change.path as string, body, change.fingerprint as string);
    }
  } catch (error) {
    if (error instanceof GtmApiError && error.status === 409) {
      throw new ApplyRefused(
        `${change.kind} "${change.name}" changed while applying (fingerprint mismatch): run apply again to re-plan`,
      );
    }
    throw error;
  }
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
  return response.containerVersion;
}

/** The newest version, when the kit created it for this environment and it is not live yet. */
async function pendingKitVersion(api: GtmApi, env: EnvironmentConfig, read: WorkspaceRead) {
  // Without a kit workspace the read already holds the latest header (when it is not the live one).
  const latest = read.workspace
    ? await api.getLatestVersionHeader(read.containerPath)
    : read.unpublishedLatest;
  if (!latest?.path || !isKitVersion(latest.name, env.stackName)) return undefined;
  if (read.actual.liveVersion?.containerVersionId === latest.containerVersionId) return undefined;
  return { id: latest.containerVersionId as string, path: latest.path };
}

function isKitVersion(name: string | null | undefined, stack: string): boolean {
  return Boolean(name?.startsWith(`${VERSION_NAME_PREFIX} ${stack} `));
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
