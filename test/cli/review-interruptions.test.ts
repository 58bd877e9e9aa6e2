/**
 * `sgtm plan` on real synths of the review fixture config (made in a temporary folder by the synth app
 * itself), against the local fake Tag Manager API: the tagging host of a serving google-managed
 * environment renamed, in text, Markdown and JSON; a reviewer's acceptance; a synth older than the
 * config; a GTM failure explained as `sgtm gtm plan` explains it.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnvironments } from "../../src/config/load";
import type { FakeTagManager } from "../../src/gtm/fake";
import { main as synthesize } from "../../stacks/main";
import { seed, startFake } from "../gtm/e2e-helpers";
import { FIXTURE_CONFIG } from "../review/helpers";
import { type CliRun, expectNoStackTrace, keepEnvironment, pointAtFake, runSgtm } from "./run-cli";

const TOKEN_VALUE = "SENTINEL-TOKEN-interruptions-71d0";
const STACK = "shop-production";
keepEnvironment(["SGTM_GTM_ROOT_URL", "SGTM_TIKTOK_ACCESS_TOKEN", "NO_COLOR"]);

let fake: FakeTagManager;
let work: string;
const config = () => join(work, "config");
const production = () => join(config(), "shop", "production.yaml");

/** The synth app on the temporary config, into `outdir` (what `npm run synth` runs). */
function synthInto(outdir: string): void {
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    expect(synthesize({ SGTM_CONFIG_DIR: config(), CDKTF_OUTDIR: join(work, outdir) }, work)).toBe(0);
  } finally {
    stderr.mockRestore();
  }
}

beforeAll(async () => {
  fake = await startFake();
  work = mkdtempSync(join(tmpdir(), "sgtm-interruptions-"));
  cpSync(FIXTURE_CONFIG, config(), { recursive: true });
  synthInto("base");
  // The rename: the tagging host, and with it the default preview host.
  writeFileSync(
    production(),
    readFileSync(production(), "utf8").replace("tagging: sgtm.shop.com", "tagging: collect.shop.com"),
  );
  synthInto("head");
});
afterAll(() => fake.close());
beforeEach(() => {
  seed(fake, loadEnvironments([production()])[0]);
  pointAtFake(fake.rootUrl, TOKEN_VALUE);
});

const sgtm = (...args: string[]): Promise<CliRun> =>
  runSgtm(["--config-dir", config(), ...args], [TOKEN_VALUE]);
const plan = (...args: string[]) =>
  sgtm("plan", "--env", STACK, "--synth-dir", join(work, "head"), "--base", join(work, "base"), ...args);

describe("a renamed tagging host on a serving google-managed environment", () => {
  test("text: the interruptions first, the certificate replaced, exit 1 with why", async () => {
    const run = await plan();
    expect(run.exitCode).toBe(1);
    const [title, blank, heading, first] = run.stdout.split("\n");
    expect([title, blank, heading]).toEqual([
      "Plan for shop-production",
      "",
      "Interruptions (3): this change interrupts what shop-production serves",
    ]);
    expect(first).toMatch(
      /^ {2}! HTTPS for collect\.shop\.com and preview\.collect\.shop\.com fails from this deploy until certificate sgtm-shop-production-cert-[0-9a-f]{6} is issued/,
    );
    expect(run.stdout).toContain("  ! https://sgtm.shop.com is no longer served from this deploy on");
    expect(run.stdout).toContain("  ! https://preview.sgtm.shop.com is no longer served from this deploy on");
    expect(run.stdout).toMatch(
      /\+\/- HTTPS certificate sgtm-shop-production-cert-[0-9a-f]{6}: replaced \(managed, name cannot change in place; the new one is created first\)/,
    );
    expect(run.stdout.indexOf("Interruptions (3)")).toBeLessThan(
      run.stdout.indexOf("Infrastructure (Google Cloud)"),
    );
    expect(run.stderr).toMatch(
      /^error: this change interrupts what shop-production serves \(3, listed first/,
    );
    expectNoStackTrace(run.stderr);
  });

  test("Markdown: an Interruptions section before everything else, exit 1", async () => {
    const run = await plan("--markdown");
    expect(run.exitCode).toBe(1);
    const lines = run.stdout.split("\n");
    expect(lines.slice(0, 5)).toEqual([
      "<!-- sgtm-plan:shop-production -->",
      "## Plan for `shop-production`",
      "",
      "### Interruptions (3)",
      "",
    ]);
    expect(run.stdout).toMatch(/- \*\*HTTPS for collect\.shop\.com and preview\.collect\.shop\.com fails/);
    expect(run.stdout).toContain("the pull-request label accept-interruptions");
    expect(run.stdout.indexOf("### Interruptions")).toBeLessThan(run.stdout.indexOf("| Part | Changes |"));
    expect(run.stdout).toMatch(
      /\| replace \| `google_compute_managed_ssl_certificate\.https-frontend_managed-certificate_/,
    );
  });

  test("JSON: an interruptions list, the certificate's replacement and why", async () => {
    const run = await plan("--json");
    expect(run.exitCode).toBe(1);
    const document = JSON.parse(run.stdout);
    expect(document.interruptionsAccepted).toBe(false);
    expect(document.interruptions.map((i: { kind: string }) => i.kind)).toEqual([
      "certificate-not-issued",
      "host-renamed",
      "host-renamed",
    ]);
    expect(document.interruptions[0]).toMatchObject({
      what: expect.stringMatching(/^HTTPS for collect\.shop\.com/),
      todo: expect.stringMatching(/^hosts that serve traffic belong on certificate-manager/),
      resources: expect.arrayContaining([expect.stringMatching(/^google_compute_managed_ssl_certificate\./)]),
    });
    const certificate = document.infrastructure.changed.find(
      (r: { type: string }) => r.type === "google_compute_managed_ssl_certificate",
    );
    expect(certificate).toMatchObject({
      action: "replace",
      forcedBy: ["managed", "name"],
      createFirst: true,
    });
    expect(document.infrastructure.summary.replace).toBeGreaterThanOrEqual(1);
  });

  test("accepted by a reviewer: said, and the exit codes are Terraform's again (2: changes pending)", async () => {
    const run = await plan("--accept-interruptions", "--detailed-exitcode");
    expect([run.exitCode, run.stderr]).toEqual([2, ""]);
    expect(run.stdout).toContain("Accepted by a reviewer (--accept-interruptions)");
    expect(run.stdout).toContain("Interruptions (3)");
  });
});

describe("what sgtm plan refuses or explains", () => {
  test("a synth made from another config: exit 1, run npm run synth", async () => {
    // base/ was synthesized before the rename: as this branch's synth it is outdated.
    const run = await sgtm("plan", "--env", STACK, "--synth-dir", join(work, "base"));
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/cdk\.tf\.json is not the synth of .*production\.yaml as they are now/);
    expect(run.stderr).toContain("run `npm run synth`, then plan again");
    expectNoStackTrace(run.stderr);
  });

  test("a container the API does not know: explained as sgtm gtm plan explains it, exit 1", async () => {
    // shop-staging's container is not in the fake (only shop-production's is seeded).
    const run = await sgtm("plan", "--env", "shop-staging", "--synth-dir", join(work, "head"));
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      "the Tag Manager API does not know container accounts/6012345678/containers/223456789",
    );
    expect(run.stderr).toContain('Check gtm.containerId ("223456789")');
    expect(run.stderr).not.toContain("unexpected error");
    expectNoStackTrace(run.stderr);
  });
});
