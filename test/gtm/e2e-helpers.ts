/**
 * Shared pieces of the end-to-end tests: the REAL `@googleapis/tagmanager` client (through
 * `createGoogleapisGtmApi`) behind the resilience layer, driving the local fake Tag Manager API over
 * HTTP. Retries sleep on a SimulatedClock (no real waiting) and no quota limiter sits before the requests (connectGtm adds one only for non-loopback roots).
 */
import type { EnvironmentConfig } from "../../src/config/model";
import { type ApplyOptions, type ApplyResult, applyEnvironment } from "../../src/gtm/apply";
import { planEnvironment } from "../../src/gtm/apply/plan-run";
import {
  type ApplySession,
  LOCK_STALE_AFTER_MS,
  workspaceDescription,
} from "../../src/gtm/apply/workspace-lock";
import { SecretValue } from "../../src/gtm/client/access-token";
import { createGoogleapisGtmApi } from "../../src/gtm/client/googleapis";
import { SimulatedClock, withResilience } from "../../src/gtm/client/resilient";
import type { ContainerVersion, GtmApi, Parameter, Tag, Trigger, Variable } from "../../src/gtm/core/api";
import { isOwnedBy } from "../../src/gtm/core/ownership";
import {
  type FakeTagManager,
  type RecordedRequest,
  type StoreSnapshot,
  startFakeTagManager,
} from "../../src/gtm/fake";
import { type DemoContainer, seedDemoContainer } from "../../src/gtm/fake/seed";
import { loadEnv, PRODUCTION_ENV } from "./fixtures";

/** Must never show up in any output; only the fake may see it. */
export const TOKEN_VALUE = "SENTINEL-TOKEN-e2e-9d41c7b2";
export const TOKEN = new SecretValue(TOKEN_VALUE);

/** Large enough that no list pages (a realistic container page), except where a test wants paging. */
export const BIG_PAGE = 100;

/** The article's production setup (page_view, add_to_cart, purchase with overrides): publish on by default. */
export function productionEnv(): EnvironmentConfig {
  return loadEnv(PRODUCTION_ENV);
}

export function startFake(pageSize = BIG_PAGE): Promise<FakeTagManager> {
  return startFakeTagManager({ pageSize });
}

/** Empties the fake and seeds the demo container (GA4 client, a hand-made tag and trigger, version 1 live). */
export function seed(fake: FakeTagManager, env: EnvironmentConfig): DemoContainer {
  fake.reset();
  return seedDemoContainer(fake.state, env.gtm);
}

/** The API the CLI would build for a loopback root, with a clock the test can inspect. */
export function connect(fake: FakeTagManager, clock = new SimulatedClock()): GtmApi {
  return withResilience(createGoogleapisGtmApi({ rootUrl: fake.rootUrl }), { clock });
}

/**
 * The time runs start at. Each `applyWith` and `planWith` comes later than the last one's lock goes
 * stale, as a re-run by a person does after a crash: tests of the lock itself pass `session`s of their own.
 */
let wallClock = Date.parse("2026-12-01T10:00:00.000Z");
let runs = 0;

/** A run of apply that starts after every earlier run's lock went stale. */
export function laterSession(): ApplySession {
  wallClock += LOCK_STALE_AFTER_MS + 60_000;
  return { runId: `run${String(++runs).padStart(4, "0")}`, startedAt: wallClock };
}

/** A run of apply that starts `ms` after `session` (the same moment by default). */
export function sessionAfter(session: ApplySession, ms = 0, takeOver?: string): ApplySession {
  return {
    runId: `run${String(++runs).padStart(4, "0")}`,
    startedAt: session.startedAt + ms,
    ...(takeOver ? { takeOver } : {}),
  };
}

export function applyWith(
  api: GtmApi,
  env: EnvironmentConfig,
  options: Partial<Omit<ApplyOptions, "env" | "api">> = {},
): Promise<ApplyResult> {
  return applyEnvironment({ env, api, token: TOKEN, publish: true, session: laterSession(), ...options });
}

export function planWith(api: GtmApi, env: EnvironmentConfig, token: SecretValue = TOKEN) {
  return planEnvironment({ env, api, token, session: { startedAt: laterSession().startedAt } });
}

/** A plan by someone without access to the token (Secret Manager denied, no override). */
export function planWithoutToken(api: GtmApi, env: EnvironmentConfig) {
  return planEnvironment({ env, api, session: { startedAt: laterSession().startedAt } });
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => ({ ok: true as const }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error("expected a rejection, but the call succeeded");
  if (!(outcome.error instanceof Error)) throw new Error(`expected an Error, got ${String(outcome.error)}`);
  return outcome.error;
}

// ---- request log ----------------------------------------------------------------------------------

/** Requests that may change something (anything but GET), from `since` on. */
export function writesSince(fake: FakeTagManager, since = 0): RecordedRequest[] {
  return fake.requests.slice(since).filter((r) => r.method !== "GET");
}

export function describeRequests(requests: readonly RecordedRequest[]): string[] {
  return requests.map((r) => `${r.method} ${r.path}${r.fault ? ` [${r.fault}]` : ""}`);
}

// ---- container inspection -------------------------------------------------------------------------

export function containerPathOf(env: EnvironmentConfig): string {
  return `accounts/${env.gtm.accountId}/containers/${env.gtm.containerId}`;
}

export function liveVersion(fake: FakeTagManager, env: EnvironmentConfig): ContainerVersion {
  return fake.state.getLiveVersion(containerPathOf(env));
}

/** The workspace a container starts with, where people edit in the GTM UI. */
export const DEFAULT_WORKSPACE = "Default Workspace";

/** Path of a workspace found by name (as the kit finds its own: create_version replaces it). */
export function findWorkspacePath(
  fake: FakeTagManager,
  env: EnvironmentConfig,
  name: string,
): string | undefined {
  return fake.state.listWorkspaces(containerPathOf(env)).find((w) => w.name === name)?.path ?? undefined;
}

/**
 * Path of the kit's workspace. It exists only while an apply runs, after an interruption, or when
 * someone made it: the kit deletes it once everything in it is versioned.
 */
export function kitWorkspacePath(fake: FakeTagManager, env: EnvironmentConfig): string {
  const found = findWorkspacePath(fake, env, env.gtm.workspace);
  if (!found) throw new Error(`no workspace "${env.gtm.workspace}"`);
  return found;
}

/** The names of the container's workspaces, sorted. */
export function workspaceNames(fake: FakeTagManager, env: EnvironmentConfig): string[] {
  return fake.state
    .listWorkspaces(containerPathOf(env))
    .map((w) => w.name ?? "")
    .sort();
}

/** The kit's workspace made by hand in the GTM UI (it starts from the latest version). */
export function createKitWorkspaceByHand(fake: FakeTagManager, env: EnvironmentConfig): string {
  return fake.state.createWorkspace(containerPathOf(env), { name: env.gtm.workspace }).path as string;
}

/** A TikTok tag made by hand in `workspacePath`, typed `tagType`, firing on a hand-made purchase trigger. */
export function handMadeTikTokPurchase(fake: FakeTagManager, workspacePath: string, tagType: string): void {
  const trigger = fake.state.create(workspacePath, "triggers", {
    name: "purchase (by hand)",
    type: "customEvent",
    customEventFilter: [
      {
        type: "equals",
        parameter: [
          { type: "template", key: "arg0", value: "{{_event}}" },
          { type: "template", key: "arg1", value: "purchase" },
        ],
      },
    ],
  });
  fake.state.create(workspacePath, "tags", {
    name: "TikTok purchase (by hand)",
    type: tagType,
    parameter: [{ type: "template", key: "pixel_code", value: "C4A1B2C3D4E5F6G7H8I9" }],
    firingTriggerId: [trigger.triggerId as string],
  });
}

/**
 * The kit's workspace as a run that stopped after writing leaves it (a refusal, a failure): made from
 * the latest version, its lock let go. The next run builds on it.
 */
export function workspaceOfStoppedRun(fake: FakeTagManager, env: EnvironmentConfig): string {
  const base = fake.state.getLatestVersionHeader(containerPathOf(env)).containerVersionId ?? null;
  const lock = { runId: "stopped0", since: Date.parse("2026-11-01T00:00:00.000Z"), base, ended: true };
  const description = workspaceDescription(env.stackName, lock);
  return fake.state.createWorkspace(containerPathOf(env), { name: env.gtm.workspace, description })
    .path as string;
}

/**
 * The Default Workspace, brought up to date with the latest version as GTM's "Update workspace" does
 * before anyone edits there: the fake's `sync`.
 */
export function upToDateDefaultWorkspace(fake: FakeTagManager, env: EnvironmentConfig): string {
  const path = findWorkspacePath(fake, env, DEFAULT_WORKSPACE);
  if (!path) throw new Error(`no workspace "${DEFAULT_WORKSPACE}"`);
  const synced = fake.state.syncWorkspace(path);
  if (synced.syncStatus?.mergeConflict) throw new Error("the Default Workspace has merge conflicts");
  return path;
}

/**
 * A person's change in the GTM UI: `edit` works in the (up to date) Default Workspace, which is then
 * versioned and, unless `publish` is false, published. Returns the new version.
 */
export function changeByHand(
  fake: FakeTagManager,
  env: EnvironmentConfig,
  edit: (workspacePath: string) => void,
  options: { readonly publish?: boolean; readonly name?: string } = {},
): ContainerVersion {
  const workspacePath = upToDateDefaultWorkspace(fake, env);
  edit(workspacePath);
  const response = fake.state.createVersion(workspacePath, { name: options.name ?? "By hand" });
  const version = response.containerVersion;
  if (!version?.path) throw new Error(`changeByHand: no version: ${JSON.stringify(response.compilerErrors)}`);
  if (options.publish ?? true) fake.state.publishVersion(version.path);
  return version;
}

/** A colleague's tag `name`, added in the (updated) Default Workspace, versioned and published. */
export function colleaguePublishes(
  fake: FakeTagManager,
  env: EnvironmentConfig,
  name: string,
): ContainerVersion {
  return changeByHand(fake, env, (ws) => {
    const trigger = fake.state.list(ws, "triggers").find((t) => t.name === "All GA4 events");
    fake.state.create(ws, "tags", {
      name,
      type: "sgtmgaaw",
      parameter: [{ type: "boolean", key: "redactVisitorIp", value: "true" }],
      firingTriggerId: [trigger?.triggerId as string],
    });
  });
}

export interface EntitySummary {
  readonly name: string;
  readonly type: string;
  readonly parameter: readonly Parameter[];
  readonly notes?: string;
  /** Triggers: the conditions; tags: firing trigger names (ids differ between runs). */
  readonly customEventFilter?: unknown;
  readonly filter?: unknown;
  readonly firingTriggers?: readonly string[];
  readonly tagFiringOption?: string;
}

export interface KitEntities {
  readonly variables: EntitySummary[];
  readonly triggers: EntitySummary[];
  readonly tags: EntitySummary[];
  readonly builtIns: string[];
  readonly templates: string[];
}

/** The kit's entities of a version (or workspace listing), comparable across runs: no ids, paths, fingerprints. */
export function kitEntities(
  version: Pick<ContainerVersion, "tag" | "trigger" | "variable" | "builtInVariable" | "customTemplate">,
  stack: string,
): KitEntities {
  const triggerNames = new Map((version.trigger ?? []).map((t) => [t.triggerId ?? "", t.name ?? ""]));
  const byName = (a: EntitySummary, b: EntitySummary) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const base = (e: Tag | Trigger | Variable): EntitySummary => ({
    name: e.name ?? "",
    type: e.type ?? "",
    parameter: e.parameter ?? [],
    ...(e.notes ? { notes: e.notes } : {}),
  });
  const owned = <T extends { notes?: string | null }>(list: T[] | undefined) =>
    (list ?? []).filter((e) => isOwnedBy(e, stack));
  return {
    variables: owned(version.variable).map(base).sort(byName),
    triggers: owned(version.trigger)
      .map((t) => ({ ...base(t), customEventFilter: t.customEventFilter, filter: t.filter }))
      .sort(byName),
    tags: owned(version.tag)
      .map((t) => ({
        ...base(t),
        firingTriggers: (t.firingTriggerId ?? []).map((id) => triggerNames.get(id) ?? `?${id}`),
        tagFiringOption: t.tagFiringOption ?? undefined,
      }))
      .sort(byName),
    builtIns: (version.builtInVariable ?? []).map((b) => b.type ?? "").sort(),
    templates: (version.customTemplate ?? []).map((t) => t.name ?? "").sort(),
  };
}

/** Names that occur more than once per kind (a duplicate is what a blind retry of a create leaves). */
export function duplicateNames(
  version: Pick<ContainerVersion, "tag" | "trigger" | "variable" | "customTemplate">,
): string[] {
  const duplicates: string[] = [];
  const lists = {
    tag: version.tag,
    trigger: version.trigger,
    variable: version.variable,
    template: version.customTemplate,
  };
  for (const [kind, list] of Object.entries(lists)) {
    const seen = new Set<string>();
    for (const entity of list ?? []) {
      const name = entity.name ?? "";
      if (seen.has(name)) duplicates.push(`${kind} "${name}"`);
      seen.add(name);
    }
  }
  return duplicates;
}

/**
 * The container as the API would show it, fingerprints and ids included, lock lines without their run
 * and time: two equal snapshots are one state, from which a later run goes on alike (kill-point tests
 * run the next apply once per distinct state).
 */
export function containerSnapshot(fake: FakeTagManager, env: EnvironmentConfig): string {
  const container = containerPathOf(env);
  const workspaces = fake.state.listWorkspaces(container).map((w) => ({
    workspace: w,
    contents: workspaceContents(fake, w.path as string),
    status: fake.state.getWorkspaceStatus(w.path as string),
  }));
  const versions = fake.state.listVersionHeaders(container);
  const live = versions.length > 0 ? liveVersion(fake, env).containerVersionId : undefined;
  // Which run wrote a lock line and when makes no difference to a later run (that lock is stale).
  return JSON.stringify({ workspaces, versions, live }).replace(
    /sgtm-tiktok-kit run \S+ since \S+/g,
    "sgtm-tiktok-kit run (run) since (time)",
  );
}

/** A workspace's current entities in the shape of a version (for `kitEntities`/`duplicateNames`). */
export function workspaceContents(
  fake: FakeTagManager,
  workspacePath: string,
): Pick<ContainerVersion, "tag" | "trigger" | "variable" | "builtInVariable" | "customTemplate"> {
  return {
    tag: fake.state.list(workspacePath, "tags"),
    trigger: fake.state.list(workspacePath, "triggers"),
    variable: fake.state.list(workspacePath, "variables"),
    customTemplate: fake.state.list(workspacePath, "templates"),
    builtInVariable: fake.state.listBuiltInVariables(workspacePath),
  };
}

/** An entity as stored, minus what legitimately differs between a version and the next (paths, urls). */
export function content<T extends { path?: string | null; tagManagerUrl?: string | null }>(
  entity: T | undefined,
): Omit<T, "path" | "tagManagerUrl"> | undefined {
  if (!entity) return undefined;
  const { path: _path, tagManagerUrl: _url, ...rest } = entity;
  return rest;
}

// ---- interruption ---------------------------------------------------------------------------------

export const WRITE_METHODS = [
  "createWorkspace",
  "updateWorkspace",
  "syncWorkspace",
  "create",
  "update",
  "remove",
  "bulkUpdate",
  "importTemplateFromGallery",
  "enableBuiltInVariables",
  "createVersion",
  "publishVersion",
  "deleteWorkspace",
] as const satisfies readonly (keyof GtmApi)[];

export type InterruptMode = "before" | "after";

/** What a process that dies mid-apply throws: nothing the resilience layer would retry. */
export class ProcessDied extends Error {
  constructor(
    readonly write: number,
    readonly method: string,
    readonly mode: InterruptMode,
  ) {
    super(`process died ${mode} write #${write} (${method})`);
    this.name = "ProcessDied";
  }
}

/**
 * An apply that dies just before its last write, deleting its workspace: everything in the workspace is
 * versioned (and published), but the workspace stays behind.
 */
export function diesBeforeDeletingWorkspace(api: GtmApi): GtmApi {
  return {
    ...api,
    deleteWorkspace: async () => {
      throw new Error("process died before deleting the workspace");
    },
  };
}

export interface RecordingApi {
  readonly api: GtmApi;
  /** Write calls seen so far, in order (method names). */
  readonly writes: string[];
}

/**
 * Wraps a GtmApi: counts write calls, and when `failAt` is given, the `failAt`-th write throws
 * `ProcessDied` either before reaching the API (nothing happened) or after it answered (committed, or
 * refused, but the caller never learns). The process is dead from then on: every later call throws too.
 */
export function interrupting(api: GtmApi, failAt?: number, mode: InterruptMode = "before"): RecordingApi {
  const writes: string[] = [];
  let died: ProcessDied | undefined;
  const wrapped = wrapApi(api, (method, original) => {
    const isWrite = (WRITE_METHODS as readonly string[]).includes(method);
    return async (...args: unknown[]) => {
      if (died) throw died;
      if (!isWrite) return original(...args);
      writes.push(method);
      const index = writes.length;
      const die = () => {
        died = new ProcessDied(index, method, mode);
        return died;
      };
      if (index === failAt && mode === "before") throw die();
      const dies = index === failAt && mode === "after";
      // After the call, whatever it answered (a refused bulk update is a write attempt too).
      const result = await original(...args).catch((error: unknown) => {
        if (dies) throw die();
        throw error;
      });
      if (dies) throw die();
      return result;
    };
  });
  return { api: wrapped, writes };
}

/**
 * Runs `run` against `fake` through `api`, recording every call (reads included, in order) and the
 * container after each: `states[k - 1]` is where a process that died right after its k-th call left
 * the container (the server's state is all that outlives it), for `fake.state.restore`.
 */
export async function statesAfterEachCall(
  fake: FakeTagManager,
  api: GtmApi,
  run: (api: GtmApi) => Promise<unknown>,
): Promise<{ readonly calls: string[]; readonly states: StoreSnapshot[] }> {
  const calls: string[] = [];
  const states: StoreSnapshot[] = [];
  const recording = wrapApi(api, (method, original) => async (...args: unknown[]) => {
    try {
      return await original(...args);
    } finally {
      // At the end of the call: a write's guard makes calls of its own inside it, which end first.
      calls.push(method);
      states.push(fake.state.snapshot());
    }
  });
  await run(recording);
  return { calls, states };
}

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/** `api` with every method replaced by what `wrap` makes of it (for doubles that watch or interfere). */
export function wrapApi(api: GtmApi, wrap: (method: string, original: AnyMethod) => AnyMethod): GtmApi {
  const wrapped: Record<string, AnyMethod> = {};
  for (const [method, original] of Object.entries(api) as [string, AnyMethod][])
    wrapped[method] = wrap(method, original);
  return wrapped as unknown as GtmApi;
}
