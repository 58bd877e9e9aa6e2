/**
 * Two applies of one environment at once, as two CI jobs or a deploy and a person would start them:
 * each shows its plan and applies it (what `gtm apply --yes` does), through its own client, the event
 * loop interleaving their requests in an order a seeded random source picks (and a few injected faults).
 * Whatever the order: each run ends with exit code 0 or 1 (never an unexpected error), no run writes
 * into, versions, deletes or publishes from a workspace another run holds, no two workspaces of the
 * kit's name are left, and a later run converges. Again where the API would allow two workspaces of
 * one name (unverified), and where the first run dies at any write while the second starts.
 */
import type { EnvironmentConfig } from "../../src/config/model";
import { applyEnvironment } from "../../src/gtm/apply";
import { planEnvironment } from "../../src/gtm/apply/plan-run";
import { ApplyRefused, busyMessage } from "../../src/gtm/apply/refusals";
import { type ApplySession, lockOf } from "../../src/gtm/apply/workspace-lock";
import type { GtmApi } from "../../src/gtm/core/api";
import { type FakeTagManager, type FaultRule, matching, startFakeTagManager } from "../../src/gtm/fake";
import {
  applyWith,
  BIG_PAGE,
  connect,
  containerPathOf,
  DEFAULT_WORKSPACE,
  duplicateNames,
  interrupting,
  type KitEntities,
  kitEntities,
  laterSession,
  liveVersion,
  ProcessDied,
  planWith,
  productionEnv,
  rejectionOf,
  seed,
  sessionAfter,
  TOKEN,
  WRITE_METHODS,
  workspaceNames,
  wrapApi,
} from "./e2e-helpers";

let env: EnvironmentConfig;
let clean: { entities: KitEntities; writes: string[] };
let strict: FakeTagManager;
let loose: FakeTagManager;

beforeAll(async () => {
  env = productionEnv();
  strict = await startFakeTagManager({ pageSize: BIG_PAGE });
  loose = await startFakeTagManager({ pageSize: BIG_PAGE, uniqueWorkspaceNames: false });
  seed(strict, env);
  const recording = interrupting(connect(strict));
  await applyWith(recording.api, env);
  clean = { entities: kitEntities(liveVersion(strict, env), env.stackName), writes: recording.writes };
});
afterAll(async () => {
  await strict.close();
  await loose.close();
});

/** mulberry32: a small seeded generator, so a failing trial can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Writes into a workspace (the lock's own calls and the publish are checked apart). */
const LOCK_CALLS = ["createWorkspace", "updateWorkspace", "deleteWorkspace", "publishVersion"];
const WORKSPACE_WRITES = new Set<string>(WRITE_METHODS.filter((m) => !LOCK_CALLS.includes(m)));

/**
 * `api` for one run: before and after every call it yields the event loop a random number of turns,
 * and it checks the invariants against the fake's state at the moment of each call.
 */
function watched(
  fake: FakeTagManager,
  api: GtmApi,
  session: ApplySession,
  next: () => number,
  violations: string[],
  onCall: () => void = () => {},
  beforeCreate: () => Promise<void> = async () => {},
): GtmApi {
  const versions = new Set<string>();
  const lockAt = (path: string) => {
    try {
      return lockOf(fake.state.getWorkspace(path))?.runId;
    } catch {
      return undefined; // gone already
    }
  };
  return wrapApi(api, (method, original) => async (...args: unknown[]) => {
    onCall();
    for (let i = Math.floor(next() * 4); i > 0; i--) await turn();
    const target = String(args[method === "create" || method === "update" || method === "remove" ? 1 : 0]);
    const workspace = /^(.*\/workspaces\/\d+)/.exec(target)?.[1];
    if (WORKSPACE_WRITES.has(method) && workspace) {
      const holder = lockAt(workspace);
      if (holder !== session.runId)
        violations.push(`${session.runId} ${method} in ${workspace}, held by ${holder}`);
    }
    if (method === "deleteWorkspace") {
      const holder = lockAt(target);
      if (holder !== undefined && holder !== session.runId)
        violations.push(`${session.runId} deleted ${target}, held by ${holder}`);
    }
    if (method === "publishVersion") {
      const id = /versions\/(\d+)$/.exec(target)?.[1] ?? "";
      if (!versions.has(id)) violations.push(`${session.runId} published version ${id}, made by another run`);
    }
    if (method === "createWorkspace") await beforeCreate();
    const result = await original(...args);
    if (method === "createVersion") {
      const id = (result as { containerVersion?: { containerVersionId?: string } }).containerVersion
        ?.containerVersionId;
      if (id) versions.add(id);
    }
    for (let i = Math.floor(next() * 4); i > 0; i--) await turn();
    return result;
  });
}

interface Outcome {
  readonly code: 0 | 1 | 2;
  readonly message?: string;
}

/** `gtm apply --yes`: show the plan, refuse while another run holds the workspace, apply what was shown. */
async function cliApply(api: GtmApi, session: ApplySession): Promise<Outcome> {
  try {
    const shown = await planEnvironment({ env, api, token: TOKEN, session });
    const busy = shown.read.busy;
    if (busy) return { code: 1, message: busyMessage(busy.workspace, busy.lock) };
    await applyEnvironment({ env, api, token: TOKEN, session, reviewedPlan: shown.plan, publish: true });
    return { code: 0 };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { code: error instanceof ApplyRefused ? 1 : 2, message };
  }
}

/** Holds whoever arrives until `count` have, or until it is opened (a run ended without arriving). */
function barrier(count: number): { arrive: () => Promise<void>; open: () => void } {
  let arrived = 0;
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    arrive: () => {
      if (++arrived >= count) open();
      return opened;
    },
    open: () => open(),
  };
}

/** A few faults the seed picks: throttling, a server error, a create whose answer is lost. */
function faultsFor(next: () => number): FaultRule[] {
  const all: FaultRule[] = [
    { match: matching("GET", /\/workspaces$/), kind: "429" },
    { match: matching("POST", /\/workspaces$/), kind: "drop-after-commit" },
    { match: matching("POST", /\/(variables|triggers|tags)$/), kind: "503" },
    { match: matching("PUT", /\/workspaces\/\d+$/), kind: "drop-after-commit" },
    { match: matching("POST", /:create_version$/), kind: "500" },
  ];
  return all.filter(() => next() < 0.3);
}

function kitNames(fake: FakeTagManager): string[] {
  return workspaceNames(fake, env).filter((name) => name === env.gtm.workspace);
}

/** Everything that must hold once the container converged. */
async function convergenceProblems(fake: FakeTagManager): Promise<string[]> {
  const problems: string[] = [];
  const live = liveVersion(fake, env);
  if (JSON.stringify(kitEntities(live, env.stackName)) !== JSON.stringify(clean.entities))
    problems.push("the live kit entities differ from a clean run's");
  for (const duplicate of duplicateNames(live)) problems.push(`duplicate ${duplicate}`);
  const names = workspaceNames(fake, env);
  if (JSON.stringify(names) !== JSON.stringify([DEFAULT_WORKSPACE]))
    problems.push(`workspaces left: ${names}`);
  const next = await planWith(connect(fake), env);
  if (next.plan.hasChanges || next.plan.publish.liveDiffers) problems.push("the next plan is not a no-op");
  return problems;
}

async function trial(fake: FakeTagManager, seedValue: number): Promise<string[]> {
  seed(fake, env);
  const next = random(seedValue);
  fake.faults.push(...faultsFor(next));
  const violations: string[] = [];
  const first = laterSession();
  const second = sessionAfter(first);
  // The second run starts once the first has made `offset` calls: at once, or anywhere in its work.
  const offset = next() < 0.4 ? 0 : Math.floor(next() * 45);
  // Starting at once, both may have planned before either creates its workspace: sometimes make sure.
  const race = offset === 0 && next() < 0.5 ? barrier(2) : { arrive: async () => {}, open: () => {} };
  let calls = 0;
  let startSecond = () => {};
  const secondStarts = new Promise<void>((resolve) => {
    startSecond = resolve;
  });
  const countCall = () => {
    if (++calls >= offset) startSecond();
  };
  if (offset === 0) startSecond();
  const runs = [
    cliApply(watched(fake, connect(fake), first, next, violations, countCall, race.arrive), first).finally(
      () => {
        startSecond();
        race.open();
      },
    ),
    secondStarts
      .then(() =>
        cliApply(watched(fake, connect(fake), second, next, violations, undefined, race.arrive), second),
      )
      .finally(race.open),
  ];
  const outcomes = await Promise.all(runs);
  fake.faults.length = 0;
  const label = `seed ${seedValue}`;
  const problems = violations.map((v) => `${label}: ${v}`);
  outcomes.forEach((outcome, i) => {
    if (outcome.code === 2) problems.push(`${label}: run ${i} exit 2: ${outcome.message}`);
    if (outcome.message?.includes("plan file")) problems.push(`${label}: run ${i} speaks of a plan file`);
  });
  if (kitNames(fake).length > 1) problems.push(`${label}: two workspaces named "${env.gtm.workspace}" left`);
  const rerun = await cliApply(connect(fake), laterSession());
  if (rerun.code !== 0) problems.push(`${label}: the re-run failed: ${rerun.message}`);
  for (const problem of await convergenceProblems(fake)) problems.push(`${label}: ${problem}`);
  return problems;
}

describe("two applies at once", () => {
  test("24 interleavings, workspace names unique (the fake's default): exit 0 or 1, no run touches the other's workspace, converged", async () => {
    const problems: string[] = [];
    for (let s = 1; s <= 24; s++) problems.push(...(await trial(strict, s)));
    expect(problems).toEqual([]);
  });

  test("12 interleavings where the API allowed two workspaces of one name: the same holds", async () => {
    const problems: string[] = [];
    for (let s = 101; s <= 112; s++) problems.push(...(await trial(loose, s)));
    expect(problems).toEqual([]);
  });

  test("the run that loses says another apply is running and writes nothing", async () => {
    seed(strict, env);
    const first = laterSession();
    const second = sessionAfter(first);
    const api = connect(strict);
    // The second run starts once the first holds its workspace.
    let started: Promise<Outcome> | undefined;
    const holding: GtmApi = {
      ...api,
      // Entity writes go out in one bulk_update (or one by one where it is refused).
      create: async (...args) => {
        started ??= cliApply(api, second);
        return api.create(...args);
      },
      bulkUpdate: async (...args) => {
        started ??= cliApply(api, second);
        return api.bulkUpdate(...args);
      },
    };
    expect(await cliApply(holding, first)).toEqual({ code: 0 });
    const lost = (await started) as Outcome;
    expect(lost.code).toBe(1);
    expect(lost.message).toMatch(
      new RegExp(
        `^another apply is running \\(since .*, run ${first.runId}, workspace ${containerPathOf(env)}/workspaces/\\d+\\)`,
      ),
    );
  });

  test.each([
    "before",
    "after",
  ] as const)("the first run dies %s its k-th write while a second starts: exit 0 or 1, and a take-over converges", async (mode) => {
    const problems: string[] = [];
    for (let k = 1; k <= clean.writes.length; k++) {
      seed(strict, env);
      const label = `k=${k} (${clean.writes[k - 1]}, ${mode})`;
      const first = laterSession();
      const died = await rejectionOf(
        applyWith(interrupting(connect(strict), k, mode).api, env, { session: first }),
      );
      if (!(died instanceof ProcessDied))
        problems.push(`${label}: the first run failed otherwise: ${died.message}`);
      const second = await cliApply(connect(strict), sessionAfter(first, 1_000));
      if (second.code === 2) problems.push(`${label}: exit 2: ${second.message}`);
      if (second.code === 1 && !second.message?.includes(`--take-over ${first.runId}`))
        problems.push(`${label}: refused without naming the run to take over: ${second.message}`);
      const third = await cliApply(connect(strict), sessionAfter(first, 2_000, first.runId));
      if (third.code !== 0) problems.push(`${label}: the take-over failed: ${third.message}`);
      for (const problem of await convergenceProblems(strict)) problems.push(`${label}: ${problem}`);
    }
    expect(problems).toEqual([]);
  });
});
