#!/usr/bin/env node
/**
 * GTM call-count benchmark (`npm run bench:gtm`, which builds dist/ first). Drives the real
 * @googleapis/tagmanager client against the local fake, behind the kit's quota limiter at the REAL
 * quota (25 requests per 100 s window, docs/facts/gtm-api-v2.md#quota-and-retries), in simulated time:
 * sleeps advance a SimulatedClock instead of waiting, and every call adds an assumed round trip of
 * LATENCY_MS. Scenarios:
 *   - from-scratch apply of the article's events, as `sgtm gtm apply --yes` runs it (plan shown, then
 *     applied as the reviewed plan), and as a library call without the shown plan; both with the
 *     entity writes in one bulk_update, and against a server that refuses it (one write per entity);
 *   - a no-op plan after it, with an empty quota window and right after the apply (window in use).
 * Targets: no-op plan <= 8 calls; from-scratch apply, the plan it shows included, <= 25 calls (one
 * quota window, so no quota wait).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const dist = (p) => require(join(ROOT, "dist", "src", p));
const { loadEnvironments } = dist("config/load.js");
const { applyEnvironment } = dist("gtm/apply/index.js");
const { planEnvironment } = dist("gtm/apply/plan-run.js");
const { newSession } = dist("gtm/apply/workspace-lock.js");
const { createGoogleapisGtmApi } = dist("gtm/client/googleapis.js");
const { QuotaLimiter, REAL_QUOTA, SimulatedClock, withResilience } = dist("gtm/client/resilient.js");
const { startFakeTagManager } = dist("gtm/fake/index.js");
const { seedDemoContainer } = dist("gtm/fake/seed.js");
const { SecretValue } = dist("gtm/client/access-token.js");

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 300);
const PAGE_SIZE = Number(process.env.BENCH_PAGE_SIZE ?? 100);
const WRITE_METHODS = new Set(["POST", "PUT", "DELETE"]);

/** The article's table (default event map), a production tier, consent gated. */
function articleEnvironment() {
  const dir = mkdtempSync(join(tmpdir(), "sgtm-bench-gtm-"));
  mkdirSync(join(dir, "shop"));
  const file = join(dir, "shop", "production.yaml");
  writeFileSync(
    file,
    [
      "tier: production",
      "gcp: { project: shop-sgtm-prod, region: europe-west1 }",
      "domain: { tagging: sgtm.shop.com }",
      'gtm: { accountId: "6000000001", containerId: "7000000001" }',
      "tiktok: { pixelId: C4A1B2C3D4E5F6G7H8I9, pixelEventNames: legacy, consent: ad-storage-granted }",
      "",
    ].join("\n"),
  );
  return loadEnvironments([file])[0];
}

/**
 * The client as `connectGtm` builds it for Google's API: the real-quota limiter before every HTTP
 * request (each page, each retry), plus LATENCY_MS of simulated round trip per request.
 */
function simulatedApi(fake, clock) {
  const waits = { quotaMs: 0 };
  const limiter = new QuotaLimiter(REAL_QUOTA, clock, (w) => {
    if (w.reason === "quota") waits.quotaMs += w.ms;
  });
  const raw = createGoogleapisGtmApi({
    rootUrl: fake.rootUrl,
    beforeRequest: async (description) => {
      await limiter.acquire(description);
      await clock.sleep(LATENCY_MS);
    },
  });
  return { api: withResilience(raw, { clock }), waits };
}

function countCalls(fake, from) {
  const calls = fake.requests.slice(from);
  const writes = calls.filter((r) => WRITE_METHODS.has(r.method)).length;
  return { calls: calls.length, reads: calls.length - writes, writes };
}

async function scenario(name, { cliStyle, bulkUpdate }) {
  const env = articleEnvironment();
  const fake = await startFakeTagManager({ pageSize: PAGE_SIZE, bulkUpdate });
  try {
    seedDemoContainer(fake.state, env.gtm);
    const seeded = fake.requests.length;
    const token = new SecretValue("bench-token");
    const clock = new SimulatedClock();
    const { api, waits } = simulatedApi(fake, clock);
    let reviewedPlan;
    // As the CLI with --yes: the run it showed (read with the apply's session) is the one applied.
    const session = newSession(Date.now());
    const shownRun = cliStyle ? await planEnvironment({ env, api, token, session }) : undefined;
    if (shownRun) reviewedPlan = shownRun.plan;
    const result = await applyEnvironment({
      env,
      api,
      token,
      reviewedPlan,
      session,
      ...(shownRun ? { shownRun } : {}),
      publish: true,
    });
    const apply = {
      ...countCalls(fake, seeded),
      seconds: clock.now() / 1000,
      quotaWait: waits.quotaMs / 1000,
    };

    const afterApply = fake.requests.length;
    const busyStart = clock.now();
    const busy = await planEnvironment({ env, api, token });
    const noopBusy = { ...countCalls(fake, afterApply), seconds: (clock.now() - busyStart) / 1000 };

    const freshClock = new SimulatedClock();
    const fresh = simulatedApi(fake, freshClock);
    const beforeFresh = fake.requests.length;
    const idle = await planEnvironment({ env, api: fresh.api, token });
    const noopIdle = { ...countCalls(fake, beforeFresh), seconds: freshClock.now() / 1000 };
    if (busy.plan.hasChanges || idle.plan.hasChanges) throw new Error("no-op plan found changes");
    return {
      name,
      bulkUpdate,
      events: env.tiktok.events.length,
      changes: result.plan.changes.length,
      apply,
      noopIdle,
      noopBusy,
    };
  } finally {
    await fake.close();
  }
}

const rows = [
  await scenario("apply as `sgtm gtm apply --yes` (plan shown, then applied)", {
    cliStyle: true,
    bulkUpdate: true,
  }),
  await scenario("apply as a library call (no shown plan)", { cliStyle: false, bulkUpdate: true }),
  await scenario("apply as `sgtm gtm apply --yes`, server without bulk_update (one write per entity)", {
    cliStyle: true,
    bulkUpdate: false,
  }),
];
console.log(
  `GTM calls at the real quota (25/100 s), simulated time, ${LATENCY_MS} ms per call, page size ${PAGE_SIZE}`,
);
for (const r of rows) {
  console.log(`\n${r.name}: ${r.events} GA4 events, ${r.changes} entity changes`);
  console.log(
    `  from-scratch apply: ${r.apply.calls} calls (${r.apply.reads} reads, ${r.apply.writes} writes), ` +
      `${r.apply.seconds.toFixed(1)} s simulated (${r.apply.quotaWait.toFixed(1)} s waiting for quota)  ${r.bulkUpdate ? `target <= 25 calls (one quota window): ${r.apply.calls <= 25 ? "met" : "MISSED"}` : "(the fallback: no target)"}`,
  );
  console.log(
    `  no-op plan, empty window:  ${r.noopIdle.calls} calls, ${r.noopIdle.seconds.toFixed(1)} s  target <= 8 calls: ${r.noopIdle.calls <= 8 ? "met" : "MISSED"}`,
  );
  console.log(
    `  no-op plan, right after:   ${r.noopBusy.calls} calls, ${r.noopBusy.seconds.toFixed(1)} s (same quota window as the apply)`,
  );
}
