/**
 * End to end, a colleague publishing at the worst moment for each write that could undo their work:
 * while a retried publish or `create_version` waits after a 429 (the SimulatedClock runs their publish
 * inside the wait), and between the two requests that remove a leftover workspace (taking it, then
 * deleting it) when the run dies or the DELETE keeps failing there. Live must end with their version,
 * never the kit's older one; the next runs converge. `create_version` plays the worst case (it versions
 * a workspace behind the latest as it is) where it matters.
 */
import type { EnvironmentConfig } from "../../src/config/model";
import { ApplyRefused } from "../../src/gtm/apply/refusals";
import { lockLine, lockOf, workspaceDescription } from "../../src/gtm/apply/workspace-lock";
import { SimulatedClock } from "../../src/gtm/client/resilient";
import type { ContainerVersion, GtmApi } from "../../src/gtm/core/api";
import { type FakeTagManager, matching, startFakeTagManager } from "../../src/gtm/fake";
import {
  applyWith,
  BIG_PAGE,
  changeByHand,
  connect,
  containerPathOf,
  content,
  DEFAULT_WORKSPACE,
  interrupting,
  kitEntities,
  kitWorkspacePath,
  laterSession,
  liveVersion,
  ProcessDied,
  planWith,
  productionEnv,
  rejectionOf,
  seed,
  sessionAfter,
  workspaceNames,
} from "./e2e-helpers";

let env: EnvironmentConfig;
let fake: FakeTagManager;
let cleanKit: ReturnType<typeof kitEntities>;

beforeAll(async () => {
  env = productionEnv();
  fake = await startFakeTagManager({ pageSize: BIG_PAGE, behindOnCreateVersion: "as-is" });
  seed(fake, env);
  await applyWith(connect(fake), env);
  cleanKit = kitEntities(liveVersion(fake, env), env.stackName);
});
afterAll(() => fake.close());

/** A SimulatedClock that runs `during` inside its first wait (what happens while a retry waits). */
class ClockWithEvent extends SimulatedClock {
  constructor(private during?: () => void) {
    super();
  }
  override async sleep(ms: number): Promise<void> {
    const event = this.during;
    this.during = undefined;
    event?.();
    await super.sleep(ms);
  }
}

/** A colleague adds tag `name` in the (updated) Default Workspace, versions and publishes it. */
function colleaguePublishes(name = "GA4 - colleague"): ContainerVersion {
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

/** Their tag live, untouched; the kit's entities live as a clean run leaves them; nothing left over. */
async function expectTheirsKept(theirs: ContainerVersion, name = "GA4 - colleague") {
  const live = liveVersion(fake, env);
  const tag = (v: ContainerVersion) => content(v.tag?.find((t) => t.name === name));
  expect(tag(live)).toEqual(tag(theirs));
  expect(kitEntities(live, env.stackName)).toEqual(cleanKit);
  expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);
  const next = await planWith(connect(fake), env);
  expect(next.plan.hasChanges || next.plan.publish.liveDiffers).toBe(false);
}

describe("a colleague publishes while a retried write waits", () => {
  test("publish: a 429, their version during the wait: the retry does not publish over it", async () => {
    seed(fake, env);
    let theirs: ContainerVersion | undefined;
    const clock = new ClockWithEvent(() => {
      theirs = colleaguePublishes();
    });
    fake.faults.push({ match: matching("POST", /:publish$/), kind: "429" });
    const result = await applyWith(connect(fake, clock), env);

    expect(theirs).toBeDefined();
    const kitVersion = result.version?.id;
    expect(result.published).toBeUndefined();
    expect(result.notes).toContain(
      `not published: version ${theirs?.containerVersionId} "By hand" was created after version ${kitVersion}, and publishing ${kitVersion} would revert it; run apply again`,
    );
    // One publish request: the one answered 429. The retry was never sent.
    expect(fake.requests.filter(matching("POST", /:publish$/))).toHaveLength(1);
    expect(liveVersion(fake, env).containerVersionId).toBe(theirs?.containerVersionId);
    // Their version was made on top of the kit's (the Default Workspace is updated first): all is live.
    await expectTheirsKept(theirs as ContainerVersion);
  });

  test("create_version: a 429, their version during the wait: nothing is versioned from the older base", async () => {
    seed(fake, env);
    let theirs: ContainerVersion | undefined;
    const clock = new ClockWithEvent(() => {
      theirs = colleaguePublishes();
    });
    fake.faults.push({ match: matching("POST", /:create_version$/), kind: "429" });
    const error = await rejectionOf(applyWith(connect(fake, clock), env));

    expect(error).toBeInstanceOf(ApplyRefused);
    expect((error as ApplyRefused).reason).toBe("version-created-meanwhile");
    expect(fake.requests.filter(matching("POST", /:create_version$/))).toHaveLength(1);
    expect(fake.state.listVersionHeaders(containerPathOf(env))).toHaveLength(2);
    expect(liveVersion(fake, env).containerVersionId).toBe(theirs?.containerVersionId);
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);

    await applyWith(connect(fake), env);
    await expectTheirsKept(theirs as ContainerVersion);
  });
});

describe("removing a leftover workspace, stopped between taking it and deleting it", () => {
  /**
   * A run dies at its 5th write (its workspace holds some of its writes); a colleague publishes; the
   * next run takes the leftover to remove it and stops before the DELETE (`stop`). A third run names
   * the second one with --take-over, as its refusal offers.
   */
  async function leftoverTakenButKept(stop: (api: GtmApi) => GtmApi) {
    seed(fake, env);
    const first = laterSession();
    await rejectionOf(applyWith(interrupting(connect(fake), 5).api, env, { session: first }));
    const left = kitWorkspacePath(fake, env);
    const theirs = colleaguePublishes();
    const second = sessionAfter(first, 60 * 60_000);
    const stopped = await rejectionOf(applyWith(stop(connect(fake)), env, { session: second }));
    // It took the workspace, keeping the base the workspace was made from (1), not theirs.
    const lock = lockOf(fake.state.getWorkspace(left));
    expect(lock?.runId).toBe(second.runId);
    expect(lock?.base).toBe("1");
    const third = await applyWith(connect(fake), env, {
      session: sessionAfter(second, 60_000, second.runId),
    });
    return { stopped, third, theirs };
  }

  test("the run dies after taking it: a --take-over run removes it and rebuilds, reverting nothing", async () => {
    const { stopped, third, theirs } = await leftoverTakenButKept((api) => interrupting(api, 1, "after").api);
    expect(stopped).toBeInstanceOf(ProcessDied);
    expect(third.published).toBeDefined();
    await expectTheirsKept(theirs);
  });

  test("its DELETE fails through every retry: the same", async () => {
    const { stopped, third, theirs } = await leftoverTakenButKept((api) => {
      fake.faults.push({ match: (r) => r.method === "DELETE", kind: "500", times: 6 });
      return api;
    });
    expect(stopped.message).toMatch(/DELETE .*: 500/);
    expect(third.published).toBeDefined();
    await expectTheirsKept(theirs);
  });

  test("a leftover whose lock line wrongly says it was made from the latest version is not built on", async () => {
    // What an older kit left: a leftover relabelled with the latest version as its base.
    seed(fake, env);
    const first = laterSession();
    await rejectionOf(applyWith(interrupting(connect(fake), 5).api, env, { session: first }));
    const left = kitWorkspacePath(fake, env);
    const theirs = colleaguePublishes();
    const lie = {
      runId: "older000",
      since: first.startedAt,
      base: theirs.containerVersionId ?? "",
      ended: true,
    };
    const current = fake.state.getWorkspace(left);
    const description = workspaceDescription(env.stackName, lie);
    fake.state.updateWorkspace(left, { name: current.name, description }, current.fingerprint ?? "");
    expect(description).toContain(lockLine(lie));

    const { read, notes } = await planWith(connect(fake), env);
    expect(read.workspace).toBeUndefined();
    expect(read.leftovers.map((l) => l.workspace.path)).toEqual([left]);
    expect(notes[0]).toContain("is left over");
    await applyWith(connect(fake), env);
    await expectTheirsKept(theirs);
  });
});
