/**
 * End to end, a Tag Manager API that accepts requests and never answers them (the fake's `stall`
 * fault), and one that keeps refusing: each request has a deadline in real time (short here, so the
 * tests wait a fraction of a second), and the run one on its clock (simulated here: waits take no
 * time). Either ends the run with a message saying which, never a hang.
 */
import type { EnvironmentConfig } from "../../src/config/model";
import { UserError } from "../../src/errors/report";
import { planEnvironment } from "../../src/gtm/apply/plan-run";
import { connectGtm } from "../../src/gtm/client/connect";
import { deadlinesFromEnvironment, RunDeadlineExceeded } from "../../src/gtm/client/deadline";
import { explainGtmFailure } from "../../src/gtm/client/explain";
import { RequestTimedOut } from "../../src/gtm/client/googleapis";
import { SimulatedClock } from "../../src/gtm/client/resilient";
import { type FakeTagManager, matching } from "../../src/gtm/fake";
import {
  applyWith,
  containerPathOf,
  duplicateNames,
  liveVersion,
  productionEnv,
  rejectionOf,
  seed,
  startFake,
} from "./e2e-helpers";

let fake: FakeTagManager;
let env: EnvironmentConfig;

beforeAll(async () => {
  fake = await startFake();
  env = productionEnv();
});
afterAll(() => fake.close());
beforeEach(() => {
  seed(fake, env);
});

/** The kit's API to the fake as the CLI builds it, with a 100 ms request deadline and the run's on a simulated clock. */
async function connectWithDeadlines(runMs = 600_000) {
  const waits: string[] = [];
  const api = await connectGtm({
    rootUrl: fake.rootUrl,
    clock: new SimulatedClock(),
    deadlines: { requestMs: 100, runMs },
    onWait: (w) => waits.push(`${w.reason} ${w.detail}`),
  });
  return { api, waits };
}

const explained = (error: unknown) =>
  explainGtmFailure(error, { env, action: "plan", rootUrl: fake.rootUrl }) as Error;

describe("a server that accepts and never answers", () => {
  test("plan: each request is given up after its deadline, retried twice, then the run stops and says so", async () => {
    const latest = `${containerPathOf(env)}/version_headers:latest`;
    fake.faults.push({ match: matching("GET", latest), kind: "stall", times: Infinity });
    const { api, waits } = await connectWithDeadlines();
    const error = await rejectionOf(planEnvironment({ env, api }));

    expect(error).toBeInstanceOf(RequestTimedOut);
    expect(fake.requests.filter((r) => r.fault === "stall")).toHaveLength(3);
    expect(waits).toEqual([
      "retry latest version header (no answer)",
      "retry latest version header (no answer)",
    ]);
    const message = explained(error);
    expect(message).toBeInstanceOf(UserError);
    expect(message.message).toBe(
      `the Tag Manager API at ${fake.rootUrl} (SGTM_GTM_ROOT_URL) did not answer within 0.1 s (GET ${latest}). Check the network and the server, then run again; SGTM_GTM_REQUEST_TIMEOUT=<seconds> waits longer for each request. Nothing is lost: the next run picks up where this one stopped.`,
    );
  });

  test("apply stalled in bulk_update: given up, the kit writes one by one and completes without duplicates", async () => {
    fake.faults.push({ match: matching("POST", /\/bulk_update$/), kind: "stall", times: Infinity });
    const { api } = await connectWithDeadlines();
    const result = await applyWith(api, env);
    expect(result.published).toBeDefined();
    expect(fake.requests.filter((r) => r.fault === "stall").length).toBeGreaterThan(0);
    expect(duplicateNames(liveVersion(fake, env))).toEqual([]);
  });
});

describe("the run's deadline", () => {
  test("a quota that never frees: the run stops before the wait that would pass it, and says so", async () => {
    fake.faults.push({ match: matching("GET", /\/workspaces$/), kind: "429", times: Infinity });
    const { api, waits } = await connectWithDeadlines(120_000);
    const error = await rejectionOf(planEnvironment({ env, api }));

    expect(error).toBeInstanceOf(RunDeadlineExceeded);
    // Every wait before it was shown; the one that would have passed 120 s was not started.
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((w) => w.startsWith("throttled list workspaces (429;"))).toBe(true);
    expect(explained(error).message).toMatch(
      /^the Tag Manager API at .* kept failing \(GET .*\/workspaces: 429 Quota exceeded \(fake\)\.\), and the run's 120 s \(SGTM_GTM_RUN_TIMEOUT\) are up: stopped before list workspaces\. Run again later, or set SGTM_GTM_RUN_TIMEOUT=<seconds> for a longer run\./,
    );
  });
});

describe("configuring the deadlines", () => {
  test("seconds from SGTM_GTM_REQUEST_TIMEOUT and SGTM_GTM_RUN_TIMEOUT; defaults 60 s and 10 minutes", () => {
    expect(deadlinesFromEnvironment({})).toEqual({ requestMs: 60_000, runMs: 600_000 });
    expect(
      deadlinesFromEnvironment({ SGTM_GTM_REQUEST_TIMEOUT: "2.5", SGTM_GTM_RUN_TIMEOUT: " 300 " }),
    ).toEqual({ requestMs: 2_500, runMs: 300_000 });
  });

  test("a value that is not a positive number of seconds is refused, naming the variable and a fix", () => {
    for (const value of ["abc", "0", "-5", "10s"]) {
      expect(() => deadlinesFromEnvironment({ SGTM_GTM_RUN_TIMEOUT: value })).toThrow(
        new UserError(
          `SGTM_GTM_RUN_TIMEOUT is "${value}", which is not a number of seconds: set it to a positive number such as 600 (the default), or unset it`,
        ),
      );
    }
  });
});
