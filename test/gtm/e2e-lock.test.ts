/**
 * End to end, the kit's workspace as a lock and as something that goes stale: an apply dies after any
 * of its requests (a read as well as a write) while a colleague publishes from the Default Workspace at
 * that very point; and so does the run that recovers from such a death, at any of its requests, with
 * or without a colleague publishing again. The next apply must converge and never revert what anyone
 * published, whatever `create_version` does with a workspace behind the latest version (the fake plays
 * the worst answer: as it is). And the lock: a run killed mid-apply stops the next one until its lock
 * goes stale or is taken over; a run that stops after writing lets go.
 */

import { spawnSync } from "node:child_process";
import type { EnvironmentConfig } from "../../src/config/model";
import { ApplyInterrupted } from "../../src/gtm/apply/interruption";
import { planEnvironment } from "../../src/gtm/apply/plan-run";
import { ApplyRefused } from "../../src/gtm/apply/refusals";
import { thisHost } from "../../src/gtm/apply/run-host";
import {
  heldByAnother,
  LOCK_STALE_AFTER_MS,
  lockOf,
  runLock,
  type WorkspaceLock,
  workspaceDescription,
} from "../../src/gtm/apply/workspace-lock";
import { connectGtm } from "../../src/gtm/client/connect";
import { SimulatedClock } from "../../src/gtm/client/resilient";
import type { ContainerVersion, GtmApi } from "../../src/gtm/core/api";
import { silentProgress } from "../../src/gtm/core/progress";
import type { BehindOnCreateVersion, FakeTagManager, StoreSnapshot } from "../../src/gtm/fake";
import { matching, startFakeTagManager } from "../../src/gtm/fake";
import { desiredContainer } from "../../src/gtm/model/desired";
import {
  applyWith,
  BIG_PAGE,
  connect,
  containerSnapshot,
  content,
  DEFAULT_WORKSPACE,
  describeRequests,
  duplicateNames,
  interrupting,
  type KitEntities,
  kitEntities,
  kitWorkspacePath,
  laterSession,
  liveVersion,
  planWith,
  productionEnv,
  colleaguePublishes as publishedByColleague,
  rejectionOf,
  seed,
  sessionAfter,
  statesAfterEachCall,
  workspaceNames,
  writesSince,
} from "./e2e-helpers";

const COLLEAGUE_TAG = "GA4 - second property (colleague)";
const SECOND_COLLEAGUE_TAG = "GA4 - third property (colleague)";

/** A colleague's version, and the tag they added in it. */
interface Theirs {
  readonly version: ContainerVersion;
  readonly tag: string;
}

let env: EnvironmentConfig;
let clean: { entities: KitEntities; writes: string[] };
const fakes: Partial<Record<BehindOnCreateVersion, FakeTagManager>> = {};

beforeAll(async () => {
  env = productionEnv();
  for (const mode of ["sync", "as-is"] as const)
    fakes[mode] = await startFakeTagManager({ pageSize: BIG_PAGE, behindOnCreateVersion: mode });
  const fake = fakes.sync as FakeTagManager;
  seed(fake, env);
  const recording = interrupting(connect(fake));
  await applyWith(recording.api, env);
  clean = { entities: kitEntities(liveVersion(fake, env), env.stackName), writes: recording.writes };
});
afterAll(async () => {
  for (const fake of Object.values(fakes)) await fake?.close();
});

/** A colleague adds a tag in the (updated) Default Workspace, versions and publishes it. */
function colleaguePublishes(fake: FakeTagManager, tag = COLLEAGUE_TAG): Theirs {
  return { version: publishedByColleague(fake, env, tag), tag };
}

/** What must hold once the next apply ran: their tags live and untouched, the kit's entities live, nothing left. */
async function problemsAfter(fake: FakeTagManager, colleagues: readonly Theirs[]) {
  const problems: string[] = [];
  const live = liveVersion(fake, env);
  for (const theirs of colleagues) {
    const theirTag = content(theirs.version.tag?.find((t) => t.name === theirs.tag));
    const liveTag = content(live.tag?.find((t) => t.name === theirs.tag));
    if (!liveTag) problems.push(`"${theirs.tag}" is not live: their publication was reverted`);
    else if (JSON.stringify(liveTag) !== JSON.stringify(theirTag)) problems.push(`"${theirs.tag}" changed`);
  }
  if (JSON.stringify(kitEntities(live, env.stackName)) !== JSON.stringify(clean.entities))
    problems.push("the live kit entities differ from a clean run's");
  for (const duplicate of duplicateNames(live)) problems.push(`duplicate ${duplicate}`);
  const names = workspaceNames(fake, env);
  if (JSON.stringify(names) !== JSON.stringify([DEFAULT_WORKSPACE]))
    problems.push(`workspaces left: ${names.join(", ")}`);
  const next = await planWith(connect(fake), env);
  if (next.plan.hasChanges || next.plan.publish.liveDiffers) problems.push("the next plan is not a no-op");
  return problems;
}

/**
 * For every call of `run` from `start`: the container as a process that died right after that call
 * left it (`statesAfterEachCall`), then `meanwhile` (a colleague publishing at that point), then the
 * next apply; returns what did not hold. A state already checked is not run again (deaths after
 * consecutive reads leave the same one; which run wrote a lock line makes no difference to a later run).
 */
async function killedAtEveryCall(
  fake: FakeTagManager,
  start: StoreSnapshot,
  run: (api: GtmApi) => Promise<unknown>,
  meanwhile: () => readonly Theirs[],
): Promise<string[]> {
  fake.state.restore(start);
  const { calls, states } = await statesAfterEachCall(fake, connect(fake), run);
  const failures: string[] = [];
  const seen = new Set<string>();
  for (const [index, state] of states.entries()) {
    fake.state.restore(state);
    const colleagues = meanwhile();
    const snapshot = containerSnapshot(fake, env);
    if (seen.has(snapshot)) continue;
    seen.add(snapshot);
    const label = `died after call ${index + 1} (${calls[index]})`;
    const rerun = await applyWith(connect(fake), env).catch((error: Error) => error);
    if (rerun instanceof Error) failures.push(`${label}: the next apply failed: ${rerun.message}`);
    else for (const problem of await problemsAfter(fake, colleagues)) failures.push(`${label}: ${problem}`);
  }
  return failures;
}

describe("a kit workspace left behind, then a colleague publishes", () => {
  // create_version versions a workspace behind the latest as it is: the worst case for a revert.
  test("an apply from scratch dies after any request while a colleague publishes: the next apply reverts nothing", async () => {
    const fake = fakes["as-is"] as FakeTagManager;
    seed(fake, env);
    const failures = await killedAtEveryCall(
      fake,
      fake.state.snapshot(),
      (api) => applyWith(api, env),
      () => [colleaguePublishes(fake)],
    );
    expect(failures).toEqual([]);
  });

  test.each([
    ["while a colleague publishes again", true],
    ["with nobody publishing then", false],
  ])("the run recovering from a death dies after any request %s: the next apply reverts nothing", async (_, again) => {
    const fake = fakes["as-is"] as FakeTagManager;
    // The first run dies at its 5th write, leaving its workspace behind; then a colleague publishes.
    seed(fake, env);
    await rejectionOf(applyWith(interrupting(connect(fake), 5).api, env));
    const earlier = colleaguePublishes(fake);
    const failures = await killedAtEveryCall(
      fake,
      fake.state.snapshot(),
      (api) => applyWith(api, env),
      () => (again ? [earlier, colleaguePublishes(fake, SECOND_COLLEAGUE_TAG)] : [earlier]),
    );
    expect(failures).toEqual([]);
  });

  test("the plan says the leftover workspace is removed, and shows the changes against their version", async () => {
    const fake = fakes["as-is"] as FakeTagManager;
    seed(fake, env);
    const k = clean.writes.indexOf("createVersion") + 1;
    await rejectionOf(applyWith(interrupting(connect(fake), k).api, env));
    const left = kitWorkspacePath(fake, env);
    const theirs = colleaguePublishes(fake);
    const { plan, read, notes } = await planWith(connect(fake), env);
    expect(read.workspace).toBeUndefined();
    expect(read.leftovers.map((l) => l.workspace.path)).toEqual([left]);
    expect(notes).toEqual([
      expect.stringContaining(
        `workspace ${left} "${env.gtm.workspace}" is left over, made from version 1 (sgtm-tiktok-kit run `,
      ),
    ]);
    expect(notes[0]).toContain(`starts again from version ${theirs.version.containerVersionId}`);
    expect(read.actual.tags.map((t) => t.name)).toContain(COLLEAGUE_TAG);
    // Every kit entity again: their version holds none of the kit's entities.
    const desired = desiredContainer(env);
    expect(plan.summary.create).toBe(
      desired.variables.length + desired.triggers.length + desired.tags.length,
    );
  });

  test("a version created while the apply writes: nothing is versioned or published, a re-run builds on it", async () => {
    const fake = fakes["as-is"] as FakeTagManager;
    seed(fake, env);
    const api = connect(fake);
    let theirs: Theirs | undefined;
    const racing: GtmApi = {
      ...api,
      getWorkspace: async (path) => {
        // Just before the kit's version: the colleague publishes theirs.
        theirs ??= colleaguePublishes(fake);
        return api.getWorkspace(path);
      },
    };
    const error = await rejectionOf(applyWith(racing, env));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect((error as ApplyRefused).reason).toBe("version-created-meanwhile");
    expect(error.message).toContain(
      `version ${theirs?.version.containerVersionId} "By hand" was created while this apply`,
    );
    // The guard stopped create_version before its request.
    expect(fake.requests.filter(matching("POST", /:create_version$/))).toEqual([]);
    expect(liveVersion(fake, env).containerVersionId).toBe(theirs?.version.containerVersionId);
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);

    await applyWith(api, env);
    expect(await problemsAfter(fake, [theirs as Theirs])).toEqual([]);
  });
});

describe("the lock", () => {
  const fake = () => fakes.sync as FakeTagManager;

  /** An apply killed at its 5th write (its workspace holds some of its writes and its lock). */
  async function killedRun() {
    seed(fake(), env);
    const api = connect(fake());
    const first = laterSession();
    await rejectionOf(applyWith(interrupting(api, 5).api, env, { session: first }));
    return { api, first, left: kitWorkspacePath(fake(), env) };
  }

  test("a run killed mid-apply stops the next one with who, since when and how to proceed; zero writes", async () => {
    const { api, first, left } = await killedRun();
    const since = fake().requests.length;
    const error = await rejectionOf(applyWith(api, env, { session: sessionAfter(first, 60_000) }));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect((error as ApplyRefused).reason).toBe("busy");
    const started = new Date(first.startedAt).toISOString();
    const stale = new Date(first.startedAt + LOCK_STALE_AFTER_MS).toISOString();
    expect(error.message).toBe(
      `another apply is running (since ${started}, run ${first.runId}, workspace ${left}): run again once it has finished. If that run was interrupted, run again after ${stale}, or take its workspace over now with --take-over ${first.runId}`,
    );
    expect(writesSince(fake(), since)).toEqual([]);
    // A plan meanwhile says so, and plans against the latest version.
    const { notes, read, refusals } = await planEnvironment({
      env,
      api,
      session: { startedAt: first.startedAt + 1 },
    });
    expect(read.busy?.workspace.path).toBe(left);
    expect(refusals).toEqual([error.message]);
    expect(notes[0]).toMatch(/^this plan is against the latest version/);

    // Taken over by naming the run, at once.
    const taken = await applyWith(api, env, { session: sessionAfter(first, 60_000, first.runId) });
    expect(taken.published).toBeDefined();
    expect(workspaceNames(fake(), env)).toEqual([DEFAULT_WORKSPACE]);
  });

  test("once the lock is stale, the next run takes the workspace over and converges", async () => {
    const { api, first, left } = await killedRun();
    const since = fake().requests.length;
    const later = await applyWith(api, env, { session: sessionAfter(first, LOCK_STALE_AFTER_MS) });
    expect(writesSince(fake(), since)[0]).toMatchObject({ method: "PUT", path: left });
    expect(later.published).toBeDefined();
    expect(kitEntities(liveVersion(fake(), env), env.stackName)).toEqual(clean.entities);
  });

  test("a run that stops with a refusal after writing lets go: the next run need not wait", async () => {
    seed(fake(), env);
    const api = connect(fake());
    const first = laterSession();
    const failing: GtmApi = {
      ...api,
      createVersion: async (path, ...rest) => {
        fake().state.injectCompilerError(path, "boom");
        return api.createVersion(path, ...rest);
      },
    };
    await rejectionOf(applyWith(failing, env, { session: first }));
    const left = kitWorkspacePath(fake(), env);
    expect(lockOf(fake().state.getWorkspace(left))).toMatchObject({ runId: first.runId, ended: true });
    fake().state.clearCompilerErrors(left);
    const next = await applyWith(api, env, { session: sessionAfter(first, 1_000) });
    expect(next.published).toBeDefined();
  });

  test("a run that fails after writing and cannot even let go: on this machine, the next run need not wait once its process is gone", async () => {
    seed(fake(), env);
    const api = connect(fake());
    // The run's process, on this machine; it has ended by the time the next run starts.
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    const first = { ...laterSession(), host: thisHost(), pid: dead };
    const notes: string[] = [];
    const failing: GtmApi = {
      ...api,
      createWorkspace: async (...args) => {
        const created = await api.createWorkspace(...args);
        // The API goes down (the daily quota, an outage): letting go fails too.
        fake().faults.push({ kind: "500", times: Infinity });
        return created;
      },
    };
    const progress = { ...silentProgress, note: (text: string) => notes.push(text) };
    await rejectionOf(applyWith(failing, env, { session: first, progress }));
    fake().faults.length = 0;
    const left = kitWorkspacePath(fake(), env);
    const lock = lockOf(fake().state.getWorkspace(left));
    expect(lock).toMatchObject({ runId: first.runId, ended: false, host: thisHost(), pid: dead });
    expect(notes.at(-1)).toMatch(
      new RegExp(
        `^could not release the kit's workspace (.*): a next run on this machine takes it over once this process has ended; elsewhere run again after .*, or with --take-over ${first.runId}$`,
      ),
    );

    // A run elsewhere, or of a process that still runs, is still waited for.
    const living = { ...(lock as WorkspaceLock), pid: process.pid };
    expect(heldByAnother(living, sessionAfter(first, 60_000))).toBe(true);
    expect(
      heldByAnother({ ...living, host: "another-machine", pid: dead }, sessionAfter(first, 60_000)),
    ).toBe(true);
    // A minute later, on this machine: not busy, it takes the workspace over and converges.
    const next = await applyWith(api, env, { session: sessionAfter(first, 60_000) });
    expect(next.published).toBeDefined();
    expect(workspaceNames(fake(), env)).toEqual([DEFAULT_WORKSPACE]);
  });

  test("a run interrupted by a signal stops at once, mid-request, and lets go: the next run need not wait", async () => {
    seed(fake(), env);
    fake().faults.push({ match: matching("POST", /\/bulk_update$/), kind: "stall" });
    const api = await connectGtm({
      rootUrl: fake().rootUrl,
      clock: new SimulatedClock(),
      // The stalled request ends on its own in the background; the run does not wait for it.
      deadlines: { requestMs: 2_000, runMs: 600_000 },
    });
    const interruption = new AbortController();
    const watching: GtmApi = {
      ...api,
      bulkUpdate: (...args) => {
        const call = api.bulkUpdate(...args);
        setImmediate(() => interruption.abort("SIGINT"));
        return call;
      },
    };
    const first = laterSession();
    const error = await rejectionOf(
      applyWith(watching, env, { session: first, signal: interruption.signal }),
    );
    expect(error).toBeInstanceOf(ApplyInterrupted);
    expect(error.message).toBe(
      "apply interrupted (SIGINT) during bulkUpdate: nothing more was sent. Run apply again to finish: it picks up where this run stopped",
    );
    const left = kitWorkspacePath(fake(), env);
    expect(lockOf(fake().state.getWorkspace(left))).toMatchObject({ runId: first.runId, ended: true });
    const next = await applyWith(connect(fake()), env, { session: sessionAfter(first, 1_000) });
    expect(next.published).toBeDefined();
    expect(workspaceNames(fake(), env)).toEqual([DEFAULT_WORKSPACE]);
  });

  test("a run whose workspace another run took over and finished stops with a refusal saying so", async () => {
    seed(fake(), env);
    const api = connect(fake());
    const first = laterSession();
    let taker: Promise<unknown> | undefined;
    const overtaken: GtmApi = {
      ...api,
      listTemplates: async (path) => {
        // Someone runs `apply --take-over <this run>` to the end while this run reads its workspace.
        taker ??= applyWith(api, env, { session: sessionAfter(first, 1_000, first.runId) });
        await taker;
        return api.listTemplates(path);
      },
    };
    const error = await rejectionOf(applyWith(overtaken, env, { session: first }));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect((error as ApplyRefused).reason).toBe("taken-over");
    expect(error.message).toMatch(/^this run's workspace was removed while it wrote/);
    expect(workspaceNames(fake(), env)).toEqual([DEFAULT_WORKSPACE]);
    expect((await planWith(api, env)).plan.hasChanges).toBe(false);
  });

  test("of two runs taking over one stale workspace, the one that comes second stops", async () => {
    const { api, first, left } = await killedRun();
    const later = sessionAfter(first, LOCK_STALE_AFTER_MS);
    // Another run takes the workspace between this run's read and its PUT.
    const other = { ...later, runId: "other001" };
    const slow: GtmApi = {
      ...api,
      updateWorkspace: async (...args) => {
        const current = fake().state.getWorkspace(left);
        const description = workspaceDescription(env.stackName, runLock(other, "1"));
        fake().state.updateWorkspace(left, { name: current.name, description }, current.fingerprint ?? "");
        return api.updateWorkspace(...args);
      },
    };
    const since = fake().requests.length;
    const error = await rejectionOf(applyWith(slow, env, { session: later }));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect((error as ApplyRefused).reason).toBe("busy");
    expect(error.message).toMatch(/^another apply is running \(since .*, run other001,/);
    // The PUT was refused (stale fingerprint); nothing else was written.
    expect(describeRequests(writesSince(fake(), since))).toEqual([`PUT ${left}`]);
    expect(lockOf(fake().state.getWorkspace(left))?.runId).toBe("other001");
  });
});
