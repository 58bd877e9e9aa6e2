/**
 * `sgtm doctor` as a user runs it, end to end: the command parses its flags, loads the environment,
 * builds the real TikTok and Tag Manager clients from SGTM_TIKTOK_API_ROOT_URL and SGTM_GTM_ROOT_URL
 * (local stand-ins), and takes the DNS, HTTPS and Google Cloud adapters pointed at local stand-ins.
 * No output may contain the token.
 */

import { Command } from "commander";
import { type DoctorCommandDeps, registerDoctorCommand } from "../../src/cli/doctor-command";
import { realDoctorDeps } from "../../src/doctor/remote";
import type { DoctorDeps } from "../../src/doctor/types";
import { FIXTURE_CONFIG_DIR } from "../config/helpers";
import {
  CHECK_NAMES,
  stagingEnvironment,
  TOKEN,
  tiktokCode,
  useWorld,
  type World,
} from "../doctor/stand-ins";
import { type CliRun, runProgram, runSgtm } from "./run-cli";

const OVERRIDE_TOKEN = "SENTINEL-TOKEN-doctor-cli-override-0e1f";
const KEY_MATERIAL = "SENTINEL-KEY-doctor-cli-9b7a";

const running = useWorld(stagingEnvironment());
let world: World;
beforeEach(() => {
  world = running();
});

/** The stand-ins for what only an injected adapter can point at a local server. */
function injected(): Partial<DoctorDeps> {
  const { dns, https, cloud, secrets, now, newEventId } = world.deps();
  return { dns, https, cloud, secrets, now, newEventId };
}

async function doctor(
  args: string[],
  extraVars: NodeJS.ProcessEnv = {},
  remote: DoctorCommandDeps["remote"] = (e, vars) => ({ ...realDoctorDeps(e, vars), ...injected() }),
): Promise<CliRun> {
  const vars = {
    SGTM_TIKTOK_API_ROOT_URL: world.tiktokRootUrl,
    SGTM_GTM_ROOT_URL: world.gtm.rootUrl,
    ...extraVars,
  };
  const program = new Command().option("--config-dir <dir>", "", FIXTURE_CONFIG_DIR).exitOverride();
  registerDoctorCommand(program, { vars, write: (text) => process.stdout.write(text), remote });
  const run = await runProgram(program, ["doctor", ...args]);
  for (const secret of [TOKEN, OVERRIDE_TOKEN, KEY_MATERIAL]) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
  expect(run.stdout + run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  return run;
}

describe("sgtm doctor", () => {
  it("--json prints every check, all passing against healthy stand-ins, and exits 0", async () => {
    const gtmRequestsBefore = world.gtm.fake.requests.length;
    const run = await doctor(["--env", "acme-staging", "--json", "--test-event-code", "TEST123"]);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as { checks: Record<string, unknown>[] };
    expect(Object.keys(report)).toEqual(["checks"]);
    expect(report.checks.map((c) => c.name)).toEqual(CHECK_NAMES);
    for (const check of report.checks) {
      expect(Object.keys(check)).toEqual(["name", "status", "detail", "fix"]);
      expect(check).toMatchObject({ status: "pass", fix: "" });
      expect(typeof check.detail).toBe("string");
    }
    // The real clients went where the variables point.
    expect(world.tiktok.requests).toHaveLength(1);
    expect(world.tiktok.requests[0].body.test_event_code).toBe("TEST123");
    expect(world.tiktok.requests[0].headers["access-token"]).toBe(TOKEN);
    const gtmReads = world.gtm.fake.requests.slice(gtmRequestsBefore).map((r) => `${r.method} ${r.path}`);
    expect(gtmReads.sort()).toEqual([
      "GET accounts/6012345678/containers/198765432",
      "GET accounts/6012345678/containers/198765432/versions:live",
      // gtm.web: the shop's web container, read for the deduplication check
      "GET accounts/6012345678/containers/98765432",
      "GET accounts/6012345678/containers/98765432/versions:live",
    ]);
  });

  it("prints one line per check with the fix under each failure, and exits 1 when one fails", async () => {
    world.tiktok.answer = tiktokCode(40105, "Access token is incorrect or has been revoked.");
    world.gtm.taggingServerUrls = [];
    const run = await doctor(["--env", "acme-staging"]);
    expect(run.exitCode).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("sgtm doctor acme-staging");
    expect(
      lines.filter((line) => /^(pass|fail|skip) /.test(line)).map((line) => line.split(/\s+/)[1]),
    ).toEqual(CHECK_NAMES);
    const tiktok = lines.findIndex((line) => line.startsWith("fail  tiktok-test-event"));
    expect(lines[tiktok]).toContain("TikTok refused the access token (40105");
    expect(lines[tiktok + 1]).toMatch(/^ {6}fix: generate a new token for pixel C4A1B2C3D4E5F6G7H8I9/);
    expect(run.stdout).toMatch(
      /^fail {2}gtm-tagging-server-url .*\n {6}fix: in GTM: Admin > Container Settings/m,
    );
    expect(lines.at(-1)).toBe(`${CHECK_NAMES.length - 2} passed, 2 failed, 0 skipped`);
  });

  it("takes the token from SGTM_TIKTOK_ACCESS_TOKEN_<STACK> when set", async () => {
    const run = await doctor(["--env", "acme-staging", "--json"], {
      SGTM_TIKTOK_ACCESS_TOKEN_ACME_STAGING: OVERRIDE_TOKEN,
    });
    expect(run.exitCode).toBe(1); // the container holds the secret's token, not this one
    expect(world.tiktok.requests[0].headers["access-token"]).toBe(OVERRIDE_TOKEN);
    const checks = JSON.parse(run.stdout).checks as { name: string; status: string }[];
    expect(checks.filter((c) => c.status === "fail").map((c) => c.name)).toEqual(["gtm-live-version"]);
  });

  it("without Google credentials, fails the Google checks with the login and still runs the others", async () => {
    const { dns, https, now, newEventId } = world.deps();
    const run = await doctor(
      ["--env", "acme-staging", "--json"],
      {
        GOOGLE_CREDENTIALS: `{"private_key": "${KEY_MATERIAL}"`,
        SGTM_TIKTOK_ACCESS_TOKEN_ACME_STAGING: TOKEN,
      },
      (e, vars) => ({ ...realDoctorDeps(e, vars), dns, https, now, newEventId }),
    );
    expect(run.exitCode).toBe(1);
    const checks = JSON.parse(run.stdout).checks as {
      name: string;
      status: string;
      detail: string;
      fix: string;
    }[];
    const byStatus = (status: string) => checks.filter((c) => c.status === status).map((c) => c.name);
    expect(byStatus("fail")).toEqual([
      "dns-tagging",
      "dns-preview",
      "certificate",
      "secret-container-config",
      "secret-tiktok-token",
      "runtime-account-access",
    ]);
    for (const failed of checks.filter((c) => c.status === "fail")) {
      expect(failed.detail).toContain("GOOGLE_CREDENTIALS is not valid JSON (the value is not shown)");
      expect(failed.fix).toContain("gcloud auth application-default login");
    }
    // DNS, HTTPS, GTM (the fake needs no login) and TikTok (the token from the variable) still ran.
    expect(byStatus("pass")).toEqual([
      "https-healthy",
      "https-unknown-host",
      "gtm-container-kind",
      "gtm-live-version",
      "gtm-template",
      "gtm-tagging-server-url",
      "gtm-web-dedup",
      "tiktok-test-event",
    ]);
  });

  it("reads Tag Manager as the identity the other commands use (Terraform's google provider's)", async () => {
    // Not Application Default Credentials: the GOOGLE_CREDENTIALS key is the identity, and a broken one
    // is explained without showing it (no request is made).
    const vars = {
      GOOGLE_CREDENTIALS: `{"private_key": "${KEY_MATERIAL}"`,
      SGTM_GTM_ROOT_URL: "https://tagmanager.example.invalid/",
    };
    const error = await realDoctorDeps(stagingEnvironment(), vars)
      .gtm()
      .catch((e: Error) => e);
    expect(String(error)).toContain("GOOGLE_CREDENTIALS is not valid JSON (the value is not shown)");
    expect(String(error)).not.toContain(KEY_MATERIAL);
  });

  it("is registered in the sgtm command tree with its flags", async () => {
    const run = await runSgtm(["--config-dir", FIXTURE_CONFIG_DIR, "doctor", "--help"]);
    expect(run.stdout).toContain("--env <client-env>");
    expect(run.stdout).toContain("--json");
    expect(run.stdout).toContain("--test-event-code <code>");
  });
});
