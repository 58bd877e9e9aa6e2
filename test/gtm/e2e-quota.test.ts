/**
 * End to end under a quota storm: the fake enforces Google's 25 requests per 100 s on the project
 * (server side, on the SimulatedClock the client sleeps on, so nothing waits in real time), and other
 * tools and environments spend the same window. The apply must wait long enough for the window to
 * free, show each wait, and complete without duplicates.
 */
import { terminalProgress } from "../../src/cli/progress";
import type { EnvironmentConfig } from "../../src/config/model";
import { planEnvironment } from "../../src/gtm/apply/plan-run";
import { connectGtm } from "../../src/gtm/client/connect";
import { explainGtmFailure } from "../../src/gtm/client/explain";
import { QuotaLimiter, REAL_QUOTA, SimulatedClock } from "../../src/gtm/client/resilient";
import type { GtmApi } from "../../src/gtm/core/api";
import { type FakeTagManager, type FaultKind, matching, startFakeTagManager } from "../../src/gtm/fake";
import { capturedStream } from "../cli/run-cli";
import {
  applyWith,
  BIG_PAGE,
  duplicateNames,
  liveVersion,
  planWith,
  productionEnv,
  rejectionOf,
  seed,
} from "./e2e-helpers";

let env: EnvironmentConfig;
beforeAll(() => {
  env = productionEnv();
});

interface Storm {
  readonly fake: FakeTagManager;
  readonly clock: SimulatedClock;
  readonly api: GtmApi;
  /** What a CI log shows: the progress lines, waits included. */
  readonly log: () => string;
  readonly waits: { reason: string; ms: number }[];
}

/** A fake with the real quota on a simulated clock, and the kit's API to it as the CLI connects it. */
async function stormy(): Promise<Storm> {
  const clock = new SimulatedClock();
  const fake = await startFakeTagManager({ pageSize: BIG_PAGE, quota: { ...REAL_QUOTA, clock } });
  const { stream, text } = capturedStream();
  const progress = terminalProgress(stream);
  const waits: { reason: string; ms: number }[] = [];
  const api = await connectGtm({
    rootUrl: fake.rootUrl,
    limiter: new QuotaLimiter(REAL_QUOTA, clock),
    onWait: (w) => {
      waits.push({ reason: w.reason, ms: w.ms });
      progress.wait(w.reason, w.ms, w.detail);
    },
  });
  return { fake, clock, api, waits, log: text };
}

const total = (waits: readonly { reason: string; ms: number }[], reason: string) =>
  waits.filter((w) => w.reason === reason).reduce((sum, w) => sum + w.ms, 0);

describe("an apply in a quota storm", () => {
  test("other tools used the whole window: the apply waits it out (over 100 s), shows it, and completes", async () => {
    const storm = await stormy();
    try {
      seed(storm.fake, env);
      storm.fake.quota?.use(REAL_QUOTA.requests); // another tool, just now
      const result = await applyWith(storm.api, env);

      expect(result.published).toBeDefined();
      const refused = storm.fake.requests.filter((r) => r.overQuota);
      expect(refused.length).toBeGreaterThan(0);
      expect(total(storm.waits, "throttled")).toBeGreaterThan(100_000);
      expect(storm.log()).toMatch(
        /the project's Tag Manager API quota is used up \(other tools and environments share it\); waiting to retry list workspaces \(429; \d+ s of up to 300 s\): \d+ s/,
      );
      expect(duplicateNames(liveVersion(storm.fake, env))).toEqual([]);
      // The next plan, in the same process and window.
      expect((await planWith(storm.api, env)).plan.hasChanges).toBe(false);
    } finally {
      await storm.fake.close();
    }
  });

  test("another environment on the same project bursts mid-apply: the writes wait for the window, no duplicates", async () => {
    const storm = await stormy();
    try {
      seed(storm.fake, env);
      let burst = false;
      // Right after the kit's workspace exists, a parallel environment spends what is left of the window.
      const api: GtmApi = {
        ...storm.api,
        createWorkspace: async (...args) => {
          const created = await storm.api.createWorkspace(...args);
          if (!burst) storm.fake.quota?.use(REAL_QUOTA.requests);
          burst = true;
          return created;
        },
      };
      const result = await applyWith(api, env);
      expect(result.published).toBeDefined();
      expect(storm.fake.requests.some((r) => r.overQuota)).toBe(true);
      expect(total(storm.waits, "throttled")).toBeGreaterThan(0);
      expect(storm.log()).toContain("waiting to retry");
      expect(duplicateNames(liveVersion(storm.fake, env))).toEqual([]);
      expect((await planWith(storm.api, env)).plan.hasChanges).toBe(false);
    } finally {
      await storm.fake.close();
    }
  });
});

describe("the daily quota used up", () => {
  test.each<FaultKind>([
    "429-daily",
    "403-daily",
  ])("%s: no wait, no retry; the message names the project and when the quota resets", async (kind) => {
    const storm = await stormy();
    try {
      seed(storm.fake, env);
      storm.fake.faults.push({ match: matching("GET", /\/workspaces$/), kind, times: Infinity });
      const error = await rejectionOf(planEnvironment({ env, api: storm.api }));
      expect(storm.fake.requests).toHaveLength(1);
      expect(storm.waits).toEqual([]);
      expect(storm.clock.now()).toBe(0);
      const explained = explainGtmFailure(error, { env, action: "apply", publish: true }) as Error;
      expect(explained.message).toMatch(
        new RegExp(
          `^daily quota of project ${env.gcp.project} exhausted; it resets at midnight Pacific time \\(the Tag Manager API allows 10,000 requests a day per project`,
        ),
      );
      // Neither a missing permission nor the per-100-s window.
      expect(explained.message).not.toMatch(/permission|100 s/);
    } finally {
      await storm.fake.close();
    }
  });

  test("a window that stays full: the waits stop at 300 s in all, and the progress line never says more", async () => {
    const storm = await stormy();
    try {
      seed(storm.fake, env);
      storm.fake.faults.push({ match: matching("GET", /\/workspaces$/), kind: "429", times: Infinity });
      await rejectionOf(planEnvironment({ env, api: storm.api }));
      expect(total(storm.waits, "throttled")).toBe(300_000);
      const said = [...storm.log().matchAll(/(\d+) s of up to 300 s/g)].map((m) => Number(m[1]));
      expect(said.at(-1)).toBe(300);
      expect(Math.max(...said)).toBe(300);
    } finally {
      await storm.fake.close();
    }
  });
});
