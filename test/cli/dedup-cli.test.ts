/**
 * `sgtm dedup` run in-process: from an export offline (the acme fixture, every verdict: exit 1), from
 * the live web container through the local fake (reads only), and the errors a user can make.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { FakeTagManager } from "../../src/gtm/fake";
import { FIXTURE_CONFIG_DIR, VALID_CLIENT, VALID_ENV, writeConfig } from "../config/helpers";
import { seedWebContainer, WEB_CONTAINER_PATH } from "../gtm/dedup/seed-web";
import { SHOP_EXPORT_FILE } from "../gtm/dedup/shop";
import { shopBase, WEB_CONTAINER_ID } from "../gtm/dedup/web-export";
import { startFake } from "../gtm/e2e-helpers";
import { expectNoStackTrace, keepEnvironment, pointAtFake, runSgtm } from "./run-cli";

keepEnvironment(["SGTM_GTM_ROOT_URL", "SGTM_TIKTOK_ACCESS_TOKEN", "NO_COLOR"]);
const golden = (name: string) => readFileSync(join("test", "fixtures", "dedup", name), "utf8");
const acme = (...args: string[]) =>
  runSgtm(["--config-dir", FIXTURE_CONFIG_DIR, "dedup", "--env", "acme-production", ...args]);

describe("sgtm dedup --web-export", () => {
  beforeEach(() => {
    process.env.NO_COLOR = "1";
  });

  it("prints every event's verdict with its fixes and exits 1 while one is broken", async () => {
    const run = await acme("--web-export", SHOP_EXPORT_FILE);
    expect(run.stdout).toBe(golden("acme.txt"));
    expect(run.exitCode).toBe(1);
  });

  it("prints Markdown and JSON, the JSON listing the events with their verdicts", async () => {
    expect((await acme("--web-export", SHOP_EXPORT_FILE, "--markdown")).stdout).toBe(golden("acme.md"));
    const json = await acme("--web-export", SHOP_EXPORT_FILE, "--json");
    expect(json.stdout).toBe(golden("acme.json.txt"));
    expect(JSON.parse(json.stdout).events).toHaveLength(8);
    expect(json.exitCode).toBe(1);
  });

  it("exits 0 when nothing is broken", async () => {
    const envPath = writeConfig({
      client: VALID_CLIENT,
      env: `${VALID_ENV}tiktok:\n  events:\n    page_view: {}\n    search: {}\n`,
    });
    const file = join(mkdtempSync(join(tmpdir(), "sgtm-dedup-")), "web.json");
    writeFileSync(file, shopBase("sgtm.shop.com").baseCode().toJson());
    const run = await runSgtm([
      "--config-dir",
      dirname(dirname(envPath)),
      "dedup",
      "--env",
      "shop-staging",
      "--web-export",
      file,
    ]);
    expect(run.stdout).toContain("  ok        page_view -> Pageview: ");
    expect(run.stdout).toContain("  no pixel  search -> Search: ");
    expect(run.exitCode).toBe(0);
  });

  it("refuses a file that is not a web container export, with the fix and no stack trace", async () => {
    const run = await acme("--web-export", "package.json");
    expect(run.stderr).toMatch(
      /package\.json: not a GTM container export: missing "exportFormatVersion" and "containerVersion"/,
    );
    expect(run.exitCode).toBe(1);
    expectNoStackTrace(run.stderr);
    const missing = await acme("--web-export", "no-such-file.json");
    expect(missing.stderr).toContain("cannot read no-such-file.json: export the web container from GTM");
  });

  it("asks for gtm.web when there is neither it nor an export", async () => {
    const run = await acme();
    expect(run.stderr).toContain(
      "acme-production names no web container: set gtm.web.containerId in test/fixtures/config/acme/production.yaml",
    );
    expect(run.exitCode).toBe(1);
  });
});

describe("sgtm dedup against the live web container", () => {
  let fake: FakeTagManager;
  let configDir: string;
  beforeAll(async () => {
    fake = await startFake();
    const envPath = writeConfig({
      client: VALID_CLIENT,
      env: `${VALID_ENV}  web:\n    containerId: "${WEB_CONTAINER_ID}"\ntiktok:\n  events:\n    page_view: {}\n    purchase: {}\n`,
    });
    configDir = dirname(dirname(envPath));
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    pointAtFake(fake.rootUrl, "SENTINEL-TOKEN-dedup-1c9e");
  });

  it("reads gtm.web with GETs only and judges it", async () => {
    seedWebContainer(
      fake.state,
      shopBase("sgtm.shop.com")
        .baseCode()
        .ga4Event("GA4 - purchase", { event: "purchase", measurementId: "{{CONST - GA4 ID}}" })
        .tiktokPixel("TT - Purchase", { event: "Purchase", eventId: "{{DLV - event_id}}", on: "purchase" }),
    );
    const since = fake.requests.length;
    const run = await runSgtm(["--config-dir", configDir, "dedup", "--env", "shop-staging"]);
    expect(run.stdout).toContain(`web container GTM-W3BSHOP (${WEB_CONTAINER_PATH}, live version 1)`);
    expect(run.stdout).toContain(
      "x GA4 tag 'GA4 - purchase' sends purchase without an event_id parameter, while pixel tag 'TT - Purchase' sends event_id {{DLV - event_id}}",
    );
    expect(run.exitCode).toBe(1);
    const requests = fake.requests.slice(since);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((r) => r.method !== "GET" || !r.path.startsWith(WEB_CONTAINER_PATH))).toEqual([]);
  });

  it("names gtm.web.containerId when the web container does not exist", async () => {
    const run = await runSgtm(["--config-dir", configDir, "dedup", "--env", "shop-staging"]);
    expect(run.stderr).toContain(`the Tag Manager API does not know web container ${WEB_CONTAINER_PATH}`);
    expect(run.stderr).toContain(`Check gtm.web.containerId ("${WEB_CONTAINER_ID}")`);
    expect(run.exitCode).toBe(1);
    expectNoStackTrace(run.stderr);
  });
});
