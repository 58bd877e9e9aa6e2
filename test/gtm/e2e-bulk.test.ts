/**
 * End to end: the entity writes of an apply in one `bulk_update`, read back and planned again, with
 * one-by-one writes for whatever it left undone and for servers that refuse it. The real client drives
 * the local fake (bulk_update there: all or nothing, new_<n> ids, fingerprints; see its README).
 */
import type { EnvironmentConfig } from "../../src/config/model";
import { planEnvironment } from "../../src/gtm/apply/plan-run";
import { ApplyRefused } from "../../src/gtm/apply/refusals";
import { newSession } from "../../src/gtm/apply/workspace-lock";
import type { GtmApi, Variable, WorkspaceEntity } from "../../src/gtm/core/api";
import { ownershipMarker } from "../../src/gtm/core/ownership";
import { type FakeTagManager, matching } from "../../src/gtm/fake";
import {
  applyWith,
  connect,
  describeRequests,
  duplicateNames,
  kitEntities,
  kitWorkspacePath,
  liveVersion,
  planWith,
  productionEnv,
  rejectionOf,
  seed,
  startFake,
  TOKEN,
  writesSince,
} from "./e2e-helpers";
import { loadEnv, productionWith } from "./fixtures";

let fake: FakeTagManager;
let env: EnvironmentConfig;
let api: GtmApi;

beforeAll(async () => {
  fake = await startFake();
  env = productionEnv();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.features.bulkUpdate = true;
  seed(fake, env);
  api = connect(fake);
});

/** The changes of the bulk_update requests made since `since`. */
function bulkRequests(since = 0) {
  return fake.requests.slice(since).filter(matching("POST", /\/bulk_update$/));
}

/** `api` whose bulkUpdate first passes the changes through `edit` (a server that skips some, say). */
function withBulk(
  edit: (changes: readonly WorkspaceEntity[], workspacePath: string) => readonly WorkspaceEntity[],
): GtmApi {
  return { ...api, bulkUpdate: (ws, changes) => api.bulkUpdate(ws, edit(changes, ws)) };
}

async function expectConverged(target = env): Promise<void> {
  const next = await planWith(connect(fake), target);
  expect(next.plan.hasChanges).toBe(false);
  expect(next.plan.publish.liveDiffers).toBe(false);
  expect(duplicateNames(liveVersion(fake, env))).toEqual([]);
}

describe("entity writes in one bulk_update", () => {
  test("a from-scratch apply as `gtm apply --yes` runs it, the plan it shows included, fits in one quota window (at most 25 requests)", async () => {
    const since = fake.requests.length;
    const session = newSession(Date.now());
    const shown = await planEnvironment({ env, api, token: TOKEN, session });
    const result = await applyWith(api, env, { reviewedPlan: shown.plan, shownRun: shown, session });
    expect(result.published).toBeDefined();
    if (process.env.SHOW_REQUESTS) console.log(describeRequests(fake.requests.slice(since)).join("\n"));
    expect(fake.requests.length - since).toBeLessThanOrEqual(25);
    expect(bulkRequests(since)).toHaveLength(1);
    await expectConverged();
  });

  test("tags fire on the triggers created in the same call (new_<n> ids), as when written one by one", async () => {
    await applyWith(api, env);
    const bulk = kitEntities(liveVersion(fake, env), env.stackName);
    const [changes] = bulkRequests().map((r) => (r.body as { changes: WorkspaceEntity[] }).changes);
    expect(changes.filter((c) => c.tag).flatMap((c) => c.tag?.firingTriggerId)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^new_\d+$/)]),
    );
    seed(fake, env);
    fake.features.bulkUpdate = false;
    await applyWith(connect(fake), env);
    expect(kitEntities(liveVersion(fake, env), env.stackName)).toEqual(bulk);
  });

  test("what the server silently skipped is found by the read-back and written one by one", async () => {
    const skipping = withBulk((changes) => changes.slice(0, -2));
    const since = fake.requests.length;
    const progress: string[] = [];
    await applyWith(skipping, env, {
      progress: { step: (_i, _n, d) => progress.push(d), wait() {}, note: (t) => progress.push(t) },
    });
    const oneByOne = describeRequests(writesSince(fake, since)).filter((w) => /\/tags$/.test(w));
    expect(oneByOne).toHaveLength(2);
    expect(progress).toContain("bulk_update left changes undone: writing 2 change(s) one by one");
    await expectConverged();
  });

  test("a server without bulk_update: one 404, no read-back, every change one by one", async () => {
    fake.features.bulkUpdate = false;
    const since = fake.requests.length;
    const { plan } = await planWith(api, env);
    await applyWith(api, env, { reviewedPlan: plan });
    const requests = describeRequests(fake.requests.slice(since));
    const refused = requests.findIndex((r) => r.endsWith("/bulk_update"));
    // Straight on to the first create: nothing to read back after a 404.
    expect(requests[refused + 1]).toMatch(/^POST .+\/variables$/);
    expect(requests.filter((r) => /^POST .+\/(variables|triggers|tags)$/.test(r))).toHaveLength(
      plan.changes.length,
    );
    await expectConverged();
  });

  test("an entity changed by someone between the plan and the bulk update: refused (409), nothing half-written", async () => {
    await applyWith(api, env);
    const changed = loadEnv(productionWith("  consent: block-if-denied\n"));
    let before: unknown;
    const meddling = withBulk((changes, ws) => {
      // Someone edits, in the kit's workspace, a trigger the plan updates.
      const updated = changes.find((c) => c.changeStatus === "updated" && c.trigger)?.trigger;
      const current = fake.state.list(ws, "triggers").find((t) => t.path === updated?.path);
      if (!current?.path) throw new Error("no trigger update in the plan");
      fake.state.update(
        current.path,
        { ...current, notes: `${current.notes}\nedited` },
        current.fingerprint as string,
      );
      before = fake.state.list(ws, "triggers");
      return changes;
    });
    const error = await rejectionOf(applyWith(meddling, changed));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect((error as ApplyRefused).reason).toBe("entity-changed");
    expect(error.message).toContain("fingerprint mismatch in the bulk update");
    // All or nothing: the workspace's triggers are as the bulk update found them.
    expect(before).toBeDefined();
    expect(fake.state.list(kitWorkspacePath(fake, env), "triggers")).toEqual(before);
  });

  test("a difference the plan did not hold, found by the read-back, stops the apply before more writes", async () => {
    const stranger: Variable = {
      name: "TikTok Kit | Stray",
      type: "c",
      notes: ownershipMarker(env.stackName),
      parameter: [{ type: "template", key: "value", value: "1" }],
    };
    // The call goes through, and something else appears in the workspace meanwhile.
    const meanwhile = withBulk((changes, ws) => {
      fake.state.create(ws, "variables", stranger);
      return changes;
    });
    const since = fake.requests.length;
    const error = await rejectionOf(applyWith(meanwhile, env));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect((error as ApplyRefused).reason).toBe("unplanned-differences");
    expect(error.message).toContain('variable "TikTok Kit | Stray", which the plan did not include');
    const after = describeRequests(writesSince(fake, since));
    // The last write before the refusal is the bulk update; only the lock's release (a PUT of the
    // workspace's description) follows it.
    expect(after.filter((w) => !/^PUT .*\/workspaces\/\d+$/.test(w)).at(-1)).toMatch(/\/bulk_update$/);
    expect(after.filter((w) => /:create_version$/.test(w))).toEqual([]);
  });

  test("the token travels in the bulk body and in no other request", async () => {
    await applyWith(api, env);
    const carrying = fake.requests.filter((r) => JSON.stringify(r.body ?? "").includes(TOKEN.reveal()));
    expect(carrying).toEqual(bulkRequests());
    expect(carrying).toHaveLength(1);
  });
});
