/**
 * Why apply stopped, in one place: every refusal by its reason (`REFUSALS`), the one error that carries
 * it (`ApplyRefused`), and the checks that decide before any write: foreign changes in the kit's
 * workspace, a plan with errors, a token that is needed but missing, a mass delete not allowed, a
 * reviewed plan the container no longer matches. Refusals only seen mid-run (a fingerprint mismatch, a
 * compiler error, a version created meanwhile) are thrown where they are seen, with their words from here.
 */
import type { EnvironmentConfig } from "../../config/model";
import { type SecretValue, tokenSources } from "../client/access-token";
import type { ContainerVersionHeader, Workspace } from "../core/api";
import { canonicalJson } from "../core/normalize";
import type { PlanProblem } from "../plan/problems";
import type { Plan, ReviewedPlan } from "../plan/types";
import { problemMessage } from "../render/wording";
import { LOCK_STALE_AFTER_MS, type WorkspaceLock } from "./workspace-lock";

/** Every refusal, by reason: what the user reads (after "apply refused: "). */
const REFUSALS = {
  /** Another run holds the kit's workspace: nothing was written. */
  busy: busyMessage,
  /** The kit's workspace answered 404 (or 409) mid-run, and it no longer holds this run's lock. */
  "taken-over": (other: WorkspaceLock | undefined) =>
    other
      ? `run ${other.runId} took this run's workspace over while it wrote (--take-over), so this run stopped: that run applies the plan; run plan afterwards to see that nothing is left to do`
      : "this run's workspace was removed while it wrote (a run that took it over finished, or someone deleted it), so this run stopped: run plan to see what is left to do, then apply again",
  "foreign-changes": (workspace: string, changes: readonly string[], versioned: boolean) => {
    // A container never versioned: GTM put them there, and they are nobody's unfinished work.
    const step = versioned
      ? "Finish or discard them in the GTM UI (or move them to another workspace), then run again."
      : "The container has never been versioned, and GTM puts these into every new workspace: publish the container's first version from its Default Workspace in GTM (Submit), then run again.";
    return `workspace "${workspace}" holds changes the kit did not make, which a version would publish:\n  - ${changes.join("\n  - ")}\n${step}`;
  },
  /** A version someone made and did not publish: the kit's would be built on it and publish it too. */
  "pending-version": (versionId: string | null | undefined, name: string) =>
    `version ${versionId} "${name}" is newer than the live version and was not made by the kit: the kit's changes would be built on it, and publishing them would publish it too. Publish it (or a version that reverts it) in GTM first, then run again`,
  "plan-errors": (errors: readonly PlanProblem[]) =>
    `the plan has errors:\n  - ${errors.map(problemMessage).join("\n  - ")}`,
  /** `sources`: every place the token is read from, in order (the first variable is the usual fix). */
  "token-missing": (variable: string, sources: readonly string[]) =>
    `the TikTok access token is needed to write "${variable}", and none of the places it is read from holds it (in this order: ${sources.join(", ")}). Set ${sources[0]}${sources.some((s) => s.startsWith("secret ")) ? ", or give this identity roles/secretmanager.secretAccessor on the secret (and add its first version if it has none)" : ""}`,
  /** A plan deleting most of the kit's entities needs `--allow-mass-delete` (the plan's mass-delete warning). */
  "mass-delete": (problem: PlanProblem) => problemMessage(problem),
  "plan-for-another-stack": (planned: string, stack: string) =>
    `the plan file is for ${planned}, not ${stack}`,
  /** `file`: where the reviewed plan came from; none when it is the plan apply showed just before. */
  "container-changed": (file: string | undefined) =>
    file === undefined
      ? "the container changed since the plan shown above was read (or the config did): nothing was written; run apply again and review the new plan"
      : `the container changed since the reviewed plan ${file} was made (or the config did): run plan again, review it, then apply the new plan file`,
  "version-created-before-write": () =>
    "the new workspace differs from the latest version the plan was made against (someone created a version meanwhile?): run plan again and review it",
  "workspace-not-read-back": (workspace: string) =>
    `workspace "${workspace}" could not be read back after creating it: nothing was written; run apply again`,
  /** Stop before any entity write: tags of an unknown type would fail halfway through. */
  "template-without-tag-type": (template: string | null | undefined) =>
    `the imported template "${template}" names no tag type (no ___INFO___ id, no galleryTemplateId): tags cannot be written; report this with the template's galleryReference`,
  "no-api-path": (kind: string, name: string) =>
    `${kind} "${name}" has no API path in the plan (a plan from a UI export cannot be applied): run plan against the container itself`,
  /** Without an entity: the bulk update, which does not say which one. */
  "entity-changed": (entity?: { readonly kind: string; readonly name: string }) =>
    entity === undefined
      ? "an entity changed while applying (fingerprint mismatch in the bulk update): run apply again to re-plan"
      : `${entity.kind} "${entity.name}" changed while applying (fingerprint mismatch): run apply again to re-plan`,
  "unplanned-differences": (differences: readonly string[]) =>
    `after the bulk update the workspace also differs in ${differences.join(", ")}, which the plan did not include: nothing more was written; run plan again and review it`,
  "version-created-meanwhile": (versionId: string | null, name: string) =>
    `version ${versionId} "${name}" was created while this apply wrote its changes, so its workspace was behind it: nothing was versioned or published (that would have reverted version ${versionId}), and the workspace was removed. Run apply again: it starts from version ${versionId}.`,
  /** Seen by the publish's guard: the run ends with a note, not an error (its version stays for a re-run). */
  "version-overtaken": (versionId: string, newer: string | null | undefined, name: string) =>
    `version ${newer} "${name}" was created after version ${versionId}, and publishing ${versionId} would revert it; run apply again`,
  "merge-conflict": () =>
    "the workspace has merge conflicts with the latest version, so no version was created and nothing was published: resolve them in the GTM UI (or delete the kit's workspace), then run apply again",
  "compile-error": (details: string) =>
    `GTM could not compile the workspace, so no version was created and nothing was published${details ? `: ${details}` : ""}. The changes stay in the workspace; fix the cause and run apply again.`,
  "version-unnamed": () =>
    "GTM created a version but did not say which (no containerVersionId or path): check the container's versions in GTM, then run apply again",
};

export type RefusalReason = keyof typeof REFUSALS;
type RefusalArgs<R extends RefusalReason> = Parameters<(typeof REFUSALS)[R]>;

/**
 * An apply that must not go ahead, and why (`reason`). Nothing was written when it is thrown before
 * the first write; after that, what was written stays in the kit's workspace for the next run.
 */
export class ApplyRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
    this.name = "ApplyRefused";
  }
}

/** The refusal for `reason`, worded from `args`: `throw refused("mass-delete", problem)`. */
export function refused<R extends RefusalReason>(reason: R, ...args: RefusalArgs<R>): ApplyRefused {
  const words = REFUSALS[reason] as (...args: RefusalArgs<R>) => string;
  return new ApplyRefused(reason, words(...args));
}

export function busyMessage(workspace: Workspace, lock: WorkspaceLock | undefined): string {
  const where = `workspace ${workspace.path ?? `"${workspace.name}"`}`;
  if (!lock) return `another apply is running (${where}): run again once it has finished`;
  const since = new Date(lock.since).toISOString();
  const stale = new Date(lock.since + LOCK_STALE_AFTER_MS).toISOString();
  const machine = lock.host ? ` on ${lock.host} (pid ${lock.pid})` : "";
  return `another apply is running (since ${since}, run ${lock.runId}${machine}, ${where}): run again once it has finished. If that run was interrupted, run again after ${stale}, or take its workspace over now with --take-over ${lock.runId}`;
}

/** What the refusals read of a plan run (the run's own module builds on this one). */
interface CheckedRun {
  readonly plan: Plan;
  /** The changes in the kit's workspace that the kit did not make. */
  readonly foreignChanges: readonly string[];
  readonly read: {
    readonly latest?: unknown;
    readonly busy?: { readonly workspace: Workspace; readonly lock?: WorkspaceLock };
    readonly unpublishedLatest?: ContainerVersionHeader;
  };
}

/**
 * Every refusal the read alone decides, in the order apply meets them: another run at work, changes the
 * kit did not make in its workspace, someone's version awaiting publication, a mass delete not allowed.
 * `gtm plan` prints them ("apply would refuse") and exits 1; apply throws the first.
 */
export function refusalsOf(
  run: CheckedRun,
  env: EnvironmentConfig,
  allowMassDelete: boolean,
): ApplyRefused[] {
  const found: ApplyRefused[] = [];
  const { busy, unpublishedLatest: pending } = run.read;
  if (busy) found.push(refused("busy", busy.workspace, busy.lock));
  if (run.foreignChanges.length > 0) {
    found.push(
      refused("foreign-changes", env.gtm.workspace, run.foreignChanges, run.read.latest !== undefined),
    );
  }
  if (pending && run.plan.hasChanges && !isKitVersion(pending.name, env.stackName))
    found.push(refused("pending-version", pending.containerVersionId, pending.name ?? ""));
  const massDelete = run.plan.warnings.find((p) => p.code === "mass-delete");
  if (massDelete && !allowMassDelete) found.push(refused("mass-delete", massDelete));
  return found;
}

/** Throws the first refusal of `refusalsOf`, then for plan errors, then for a token needed but missing. */
export function refuseUnsafe(
  run: CheckedRun,
  env: EnvironmentConfig,
  token: SecretValue | undefined,
  allowMassDelete: boolean,
): void {
  const [first] = refusalsOf(run, env, allowMassDelete);
  if (first) throw first;
  if (run.plan.errors.length > 0) throw refused("plan-errors", run.plan.errors);
  const writesToken = run.plan.changes.some(
    (c) => c.kind === "variable" && c.name === run.plan.token.variable && c.action !== "delete",
  );
  if (writesToken && !token) {
    throw refused("token-missing", run.plan.token.variable, tokenSources(env));
  }
}

/** Versions the kit creates are named `<prefix> <stack> <basis digest>`. */
export const VERSION_NAME_PREFIX = "sgtm-tiktok-kit";

export function isKitVersion(name: string | null | undefined, stack: string): boolean {
  return Boolean(name?.startsWith(`${VERSION_NAME_PREFIX} ${stack} `));
}

/** `file`: where the reviewed plan came from; none when it is the plan apply showed just before. */
export function checkReviewedPlan(reviewed: ReviewedPlan, fresh: ReviewedPlan, file?: string): void {
  if (reviewed.environment.stack !== fresh.environment.stack) {
    throw refused("plan-for-another-stack", reviewed.environment.stack, fresh.environment.stack);
  }
  if (reviewed.basis !== fresh.basis || !sameChanges(reviewed, fresh)) {
    throw refused("container-changed", file);
  }
}

export function sameChanges(a: ReviewedPlan, b: ReviewedPlan): boolean {
  // Key order must not matter: a reviewed plan comes back from its file (`renderJson` sorts keys).
  const key = (p: ReviewedPlan) =>
    canonicalJson([
      p.template.action,
      p.builtIns,
      p.changes.map((c) => [c.action, c.kind, c.name, "body" in c ? c.body : null]),
    ]);
  return key(a) === key(b);
}
