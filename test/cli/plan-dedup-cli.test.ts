/**
 * `sgtm plan` for an environment with `gtm.web`: the deduplication section after the GTM plan, read
 * from the live web container through the fake (reads only), in text, Markdown and JSON; a web
 * container that cannot be read is said in the section and does not stop the plan.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnvironments } from "../../src/config/load";
import type { FakeTagManager } from "../../src/gtm/fake";
import { seedWebContainer, WEB_CONTAINER_PATH } from "../gtm/dedup/seed-web";
import { shopBase, WEB_CONTAINER_ID } from "../gtm/dedup/web-export";
import { seed, startFake, writesSince } from "../gtm/e2e-helpers";
import { BASE_SYNTH, FIXTURE_CONFIG, HEAD_SYNTH } from "../review/helpers";
import { keepEnvironment, pointAtFake, runSgtm } from "./run-cli";

const TOKEN_VALUE = "SENTINEL-TOKEN-plan-dedup-77a1";
keepEnvironment(["SGTM_GTM_ROOT_URL", "SGTM_TIKTOK_ACCESS_TOKEN", "NO_COLOR"]);

let fake: FakeTagManager;
let configDir: string;

beforeAll(async () => {
  fake = await startFake();
  configDir = join(mkdtempSync(join(tmpdir(), "sgtm-plan-dedup-")), "config");
  cpSync(FIXTURE_CONFIG, configDir, { recursive: true });
  const file = join(configDir, "shop", "production.yaml");
  writeFileSync(
    file,
    readFileSync(file, "utf8").replace(
      'gtm:\n  containerId: "123456789"\n',
      `gtm:\n  containerId: "123456789"\n  web:\n    containerId: "${WEB_CONTAINER_ID}"\n`,
    ),
  );
});
afterAll(() => fake.close());
beforeEach(() => {
  const [env] = loadEnvironments([join(configDir, "shop", "production.yaml")]);
  seed(fake, env);
  pointAtFake(fake.rootUrl, TOKEN_VALUE);
});

const plan = (...args: string[]) =>
  runSgtm(
    [
      "--config-dir",
      configDir,
      "plan",
      "--env",
      "shop-production",
      "--synth-dir",
      HEAD_SYNTH,
      "--base",
      BASE_SYNTH,
      ...args,
    ],
    [TOKEN_VALUE],
  );

function seedWeb() {
  // legacy names (the review fixture's client): the TikTok template's {{Event}} sends CompletePayment.
  seedWebContainer(
    fake.state,
    shopBase("sgtm.shop.com")
      .baseCode()
      .ga4Event("GA4 - purchase", {
        event: "purchase",
        measurementId: "{{CONST - GA4 ID}}",
        eventSettings: { event_id: "{{DLV - event_id}}" },
      })
      .tiktokPixel("TT - Purchase", { eventId: "{{DLV - event_id}}", on: "purchase" }),
  );
}

it("adds the web container's verdicts to the text, Markdown and JSON plan, without writing", async () => {
  seedWeb();
  const since = fake.requests.length;
  const text = await plan();
  expect(text.stdout).toContain(
    "\nDeduplication (web container):\n\nDeduplication for shop-production: web container GTM-W3BSHOP",
  );
  expect(text.stdout).toContain("  ok        page_view -> Pageview: ");
  expect(text.stdout).toContain("  ok        purchase -> CompletePayment: ");
  // The section informs; it never turns a plan into an error (sgtm dedup is the gate).
  expect(text.exitCode).toBe(0);

  const markdown = await plan("--markdown");
  expect(markdown.stdout).toContain(
    "| Deduplication (web container) | 0 broken, 0 unknown, 2 ok, 0 without pixel. |",
  );
  expect(markdown.stdout).toContain("### Deduplication (web container)\n\n");
  expect(markdown.stdout).toContain("| purchase | CompletePayment | ok |");

  const json = JSON.parse((await plan("--json")).stdout);
  expect(Object.keys(json)).toEqual([
    "dedup",
    "gtm",
    "infrastructure",
    "interruptions",
    "interruptionsAccepted",
    "stack",
  ]);
  expect(json.dedup.summary).toEqual({ ok: 2, broken: 0, unknown: 0, noPixel: 0 });
  expect(writesSince(fake, since)).toEqual([]);
  expect(
    fake.requests
      .slice(since)
      .filter((r) => r.path.startsWith(WEB_CONTAINER_PATH))
      .map((r) => r.method),
  ).toEqual(Array(6).fill("GET"));
});

it("says in the section when the web container cannot be read, and plans on", async () => {
  const run = await plan();
  expect(run.stdout).toContain(
    `  the web container could not be read: the Tag Manager API does not know web container ${WEB_CONTAINER_PATH}`,
  );
  expect(run.stdout).toContain("sgtm-tiktok-kit plan for shop-production");
  expect(run.exitCode).toBe(0);
  const json = JSON.parse((await plan("--json")).stdout);
  expect(json.dedup.error).toMatch(/^the Tag Manager API does not know web container/);
});
