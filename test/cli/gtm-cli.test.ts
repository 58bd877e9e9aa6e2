/**
 * The `sgtm gtm ...` commands run in-process (`runCli(buildProgram(), argv)`) against the local fake
 * Tag Manager API (`SGTM_GTM_ROOT_URL`), with config files in a temp dir. Every invocation's stdout and
 * stderr are captured and checked for the access token, which must never be printed.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import { loadEnvironments } from "../../src/config/load";
import type { EnvironmentConfig } from "../../src/config/model";
import { workspaceDescription } from "../../src/gtm/apply/workspace-lock";
import type { ContainerVersion, Parameter } from "../../src/gtm/core/api";
import { upperSnakeEnum } from "../../src/gtm/core/normalize";
import { type FakeTagManager, matching } from "../../src/gtm/fake";
import { seedDemoContainer } from "../../src/gtm/fake/seed";
import { ACCESS_TOKEN_VARIABLE } from "../../src/gtm/model/names";
import type { Plan } from "../../src/gtm/plan/types";
import { VALID_CLIENT, VALID_ENV, writeConfig } from "../config/helpers";
import {
  containerPathOf,
  DEFAULT_WORKSPACE,
  liveVersion,
  seed,
  startFake,
  workspaceNames,
  writesSince,
} from "../gtm/e2e-helpers";
import { type CliRun, expectNoStackTrace, keepEnvironment, pointAtFake, runSgtm } from "./run-cli";

const TOKEN_VALUE = "SENTINEL-TOKEN-cli-3e8b70d1";
const ROTATED_TOKEN_VALUE = "SENTINEL-TOKEN-cli-rotated-a94c";
const STACK = "shop-staging";

let fake: FakeTagManager;
let env: EnvironmentConfig;
let configDir: string;
let work: string;
const deadlineVariables = keepEnvironment([
  "SGTM_GTM_ROOT_URL",
  "SGTM_TIKTOK_ACCESS_TOKEN",
  "NO_COLOR",
  "SGTM_GTM_REQUEST_TIMEOUT",
  "SGTM_GTM_RUN_TIMEOUT",
]);
let savedIsTTY: PropertyDescriptor | undefined;

beforeAll(async () => {
  fake = await startFake();
  const envPath = writeConfig({ client: VALID_CLIENT, env: VALID_ENV, envName: "staging" });
  configDir = dirname(dirname(envPath));
  // A second environment, so "unknown --env" has more than one name to list.
  writeFileSync(
    join(dirname(envPath), "dev.yaml"),
    VALID_ENV.replace("tier: staging", "tier: dev")
      .replace('"123456"', '"654321"')
      .replace("shop-sgtm-staging", "shop-sgtm-dev")
      .replace("sgtm.shop.com", "sgtm.dev.shop.com"),
  );
  [env] = loadEnvironments([envPath]);
  work = mkdtempSync(join(tmpdir(), "sgtm-cli-"));
  savedIsTTY = Object.getOwnPropertyDescriptor(process.stdin, "isTTY");
});
afterAll(() => fake.close());
beforeEach(() => {
  seed(fake, env);
  pointAtFake(fake.rootUrl, TOKEN_VALUE);
  // Not interactive, whatever terminal runs jest.
  Object.defineProperty(process.stdin, "isTTY", { value: false, configurable: true });
});
afterEach(() => {
  if (savedIsTTY) Object.defineProperty(process.stdin, "isTTY", savedIsTTY);
  else delete (process.stdin as { isTTY?: boolean }).isTTY;
});

/** Runs `sgtm --config-dir <tmp> ...args` in-process; no output may contain a token. */
function sgtm(...args: string[]): Promise<CliRun> {
  return runSgtm(["--config-dir", configDir, ...args], [TOKEN_VALUE, ROTATED_TOKEN_VALUE]);
}

/** A loopback port nothing listens on (a server's, closed again). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function tmpFile(name: string): string {
  return join(mkdtempSync(join(work, "t-")), name);
}

function liveId(): string | undefined {
  return liveVersion(fake, env).containerVersionId ?? undefined;
}

function kitTagsLive(): string[] {
  return (liveVersion(fake, env).tag ?? []).filter((t) => t.notes?.includes(STACK)).map((t) => t.name ?? "");
}

describe("gtm plan and apply", () => {
  test("plan --out writes the plan as JSON and prints it as text, making no write", async () => {
    const file = tmpFile("plan.json");
    const run = await sgtm("gtm", "plan", "--env", STACK, "--out", file);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`sgtm-tiktok-kit plan for ${STACK} (staging)`);
    expect(run.stdout).toContain(`+ create variable "${ACCESS_TOKEN_VARIABLE}"`);
    expect(run.stderr).toContain(`plan written to ${file}`);
    const plan = JSON.parse(readFileSync(file, "utf8")) as Plan;
    expect(plan).toMatchObject({ formatVersion: 1, hasChanges: true, environment: { stack: STACK } });
    expect(readFileSync(file, "utf8")).not.toContain(TOKEN_VALUE);
    expect(writesSince(fake)).toEqual([]);
  });

  test("apply --plan applies the reviewed plan file, and the token reaches the container", async () => {
    const file = tmpFile("plan.json");
    await sgtm("gtm", "plan", "--env", STACK, "--out", file);
    const run = await sgtm("gtm", "apply", "--env", STACK, "--plan", file);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/Apply complete: \d+ write\(s\)/);
    expect(run.stdout).toMatch(/Version \d+ published/);
    expect(run.stderr).toMatch(/\[1\/\d+\] import template/); // progress, plain lines (not a TTY)
    expect(kitTagsLive().length).toBeGreaterThan(0);
    const token = liveVersion(fake, env).variable?.find((v) => v.name === ACCESS_TOKEN_VARIABLE);
    expect(token?.parameter?.find((p) => p.key === "value")?.value).toBe(TOKEN_VALUE);
    // The kit's workspace is gone once its content is versioned.
    expect(run.stderr).toContain(`removed workspace "${env.gtm.workspace}"`);
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);
  });

  test("apply --plan refuses a plan file made before the container changed", async () => {
    const file = tmpFile("plan.json");
    await sgtm("gtm", "plan", "--env", STACK, "--out", file);
    await sgtm("gtm", "apply", "--env", STACK, "--yes");
    const since = fake.requests.length;
    const run = await sgtm("gtm", "apply", "--env", STACK, "--plan", file);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("apply refused");
    expect(run.stderr).toContain("changed since the reviewed plan");
    expectNoStackTrace(run.stderr);
    expect(writesSince(fake, since)).toEqual([]);
  });

  test("apply without --yes, not interactive, refuses with exit 1 and writes nothing", async () => {
    const run = await sgtm("gtm", "apply", "--env", STACK);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`sgtm-tiktok-kit plan for ${STACK}`); // the plan is still shown
    expect(run.stderr).toContain("not interactive");
    expect(run.stderr).toContain("--yes");
    expectNoStackTrace(run.stderr);
    expect(writesSince(fake)).toEqual([]);
  });

  test("apply with nothing to do asks nothing, not interactive either: exit 0, no write", async () => {
    await sgtm("gtm", "apply", "--env", STACK, "--yes");
    const since = fake.requests.length;
    const run = await sgtm("gtm", "apply", "--env", STACK);
    expect([run.exitCode, run.stderr]).toEqual([0, ""]);
    expect(run.stdout).toContain("Nothing to do: the container already matches the environment file.");
    expect(writesSince(fake, since)).toEqual([]);
  });

  test("apply --yes --no-publish creates a version but leaves the live one", async () => {
    const before = liveId();
    const run = await sgtm("gtm", "apply", "--env", STACK, "--yes", "--no-publish");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/Version \d+ .* created/);
    expect(run.stdout).toContain("not published");
    const latest = fake.state.getLatestVersionHeader(containerPathOf(env));
    expect(latest.containerVersionId).not.toBe(before);
    expect(latest.name).toContain(STACK);
    expect(liveId()).toBe(before);
    expect(fake.requests.filter((r) => r.path.endsWith(":publish"))).toEqual([]);
    // Versioned, so the workspace is gone although nothing was published.
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);

    // The next plan, made from the latest version, has no changes, but the version still waits.
    const plan = await sgtm("gtm", "plan", "--env", STACK, "--detailed-exitcode");
    expect(plan.stdout).toContain("No changes");
    expect(plan.stdout).toContain("apply publishes it");
    expect(plan.exitCode).toBe(2);
  });

  test("a dev environment does not publish by default; --publish publishes the waiting version", async () => {
    const dev = loadEnvironments([join(configDir, "shop", "dev.yaml")])[0];
    seedDemoContainer(fake.state, dev.gtm);
    const first = await sgtm("gtm", "apply", "--env", "shop-dev", "--yes", "--json");
    expect(first.exitCode).toBe(0);
    const result = JSON.parse(first.stdout) as {
      workspaceCreated: boolean;
      version: { id: string } | null;
      published: string | null;
    };
    expect(result.workspaceCreated).toBe(true);
    expect(result.version).not.toBeNull();
    expect(result.published).toBeNull();
    expect(liveVersion(fake, dev).containerVersionId).toBe("1");
    expect(workspaceNames(fake, dev)).toEqual([DEFAULT_WORKSPACE]);

    // Nothing to change, so no workspace: the only write is the publish.
    const since = fake.requests.length;
    const second = await sgtm("gtm", "apply", "--env", "shop-dev", "--yes", "--publish");
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain("Apply complete: 1 write(s).");
    expect(second.stdout).toContain(`Version ${result.version?.id} published.`);
    expect(writesSince(fake, since).map((r) => r.path)).toEqual([
      `${containerPathOf(dev)}/versions/${result.version?.id}:publish`,
    ]);
    expect(liveVersion(fake, dev).containerVersionId).toBe(result.version?.id);
  });

  test("while another apply holds the workspace: plan notes it, apply exits 1 writing nothing, --take-over takes it", async () => {
    const base = fake.state.getLatestVersionHeader(containerPathOf(env)).containerVersionId ?? null;
    const lock = { runId: "feed0001", since: Date.now(), base, ended: false };
    const held = fake.state.createWorkspace(containerPathOf(env), {
      name: env.gtm.workspace,
      description: workspaceDescription(STACK, lock),
    }).path;

    // Apply would refuse now: exit 1, with or without --detailed-exitcode.
    const plan = await sgtm("gtm", "plan", "--env", STACK, "--detailed-exitcode");
    expect(plan.exitCode).toBe(1);
    expect(plan.stderr).toContain(
      `apply would refuse: another apply is running (since ${new Date(lock.since).toISOString()}, run feed0001, workspace ${held})`,
    );
    // The run id ends its line: a copy-paste takes nothing else along.
    expect(plan.stderr).toMatch(/--take-over feed0001\n/);
    expect(plan.stderr).toContain(
      "note: this plan is against the latest version, without the changes of the apply that holds the kit's workspace",
    );

    const since = fake.requests.length;
    const refused = await sgtm("gtm", "apply", "--env", STACK, "--yes");
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("error: apply refused: another apply is running");
    expect(refused.stderr).toContain("--take-over feed0001");
    expect(writesSince(fake, since)).toEqual([]);

    const taken = await sgtm("gtm", "apply", "--env", STACK, "--yes", "--take-over", "feed0001");
    expect(taken.exitCode).toBe(0);
    expect(taken.stderr).toContain("took over workspace");
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);
  });

  test("apply refuses a plan deleting most of the kit's entities, exit 1, until --allow-mass-delete", async () => {
    expect((await sgtm("gtm", "apply", "--env", STACK, "--yes")).exitCode).toBe(0);
    const file = join(configDir, "shop", "staging.yaml");
    const original = readFileSync(file, "utf8");
    writeFileSync(file, `${original}tiktok:\n  events: {}\n`);
    try {
      const since = fake.requests.length;
      const refused = await sgtm("gtm", "apply", "--env", STACK, "--yes");
      expect(refused.exitCode).toBe(1);
      expect(refused.stdout).toContain("! [mass-delete] the plan deletes");
      expect(refused.stderr).toContain(`run \`sgtm gtm apply --env ${STACK} --allow-mass-delete\``);
      expect(writesSince(fake, since)).toEqual([]);

      const allowed = await sgtm("gtm", "apply", "--env", STACK, "--yes", "--allow-mass-delete");
      expect(allowed.exitCode).toBe(0);
      expect(kitTagsLive()).toEqual([]);
    } finally {
      writeFileSync(file, original);
    }
  });

  test("plan --detailed-exitcode exits 1, not 2, whenever apply would refuse", async () => {
    expect((await sgtm("gtm", "apply", "--env", STACK, "--yes")).exitCode).toBe(0);
    const container = containerPathOf(env);
    const file = join(configDir, "shop", "staging.yaml");
    const original = readFileSync(file, "utf8");
    writeFileSync(file, `${original}tiktok:\n  events: {}\n`);
    try {
      // A mass delete, unless the plan says it is meant.
      const massDelete = await sgtm("gtm", "plan", "--env", STACK, "--detailed-exitcode");
      expect(massDelete.exitCode).toBe(1);
      expect(massDelete.stderr).toContain("apply would refuse: the plan deletes");
      const allowed = await sgtm("gtm", "plan", "--env", STACK, "--detailed-exitcode", "--allow-mass-delete");
      expect(allowed.exitCode).toBe(2);
      expect(allowed.stderr).not.toContain("apply would refuse");
    } finally {
      writeFileSync(file, original);
    }
    // Someone's version newer than the live one, and a change to apply on top of it.
    const ws = fake.state.listWorkspaces(container).find((w) => w.name === DEFAULT_WORKSPACE)?.path as string;
    fake.state.syncWorkspace(ws);
    const tag = fake.state.list(ws, "tags").find((t) => t.name?.startsWith("TikTok"));
    if (!tag?.path) throw new Error("no kit tag");
    fake.state.update(tag.path, { ...tag, paused: true }, tag.fingerprint as string);
    fake.state.createVersion(ws, { name: "Someone's draft" });
    const pending = await sgtm("gtm", "plan", "--env", STACK, "--detailed-exitcode");
    expect(pending.exitCode).toBe(1);
    expect(pending.stderr).toContain(
      'apply would refuse: version 3 "Someone\'s draft" is newer than the live version and was not made by the kit',
    );
    // The refusal apply makes says the same, and speaks of no workspace.
    const refused = await sgtm("gtm", "apply", "--env", STACK, "--yes");
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('error: apply refused: version 3 "Someone\'s draft" is newer');
    expect(refused.stderr).not.toContain("workspace");
  });

  test("plan --json prints the plan as JSON; --markdown as a pull-request comment", async () => {
    const json = await sgtm("gtm", "plan", "--env", STACK, "--json");
    expect(json.exitCode).toBe(0);
    const plan = JSON.parse(json.stdout) as Plan;
    expect(plan.environment.stack).toBe(STACK);
    expect(plan.changes.length).toBeGreaterThan(0);
    expect(plan.token).toEqual({ variable: ACCESS_TOKEN_VARIABLE, status: "create" });

    const markdown = await sgtm("gtm", "plan", "--env", STACK, "--markdown");
    expect(markdown.exitCode).toBe(0);
    expect(markdown.stdout).toMatch(new RegExp(`^### sgtm-tiktok-kit plan for \`${STACK}\``));
    expect(markdown.stdout).toContain("| Action | Kind | Name |");
    expect(markdown.stdout).toContain("(sensitive)");
  });

  test("plan --detailed-exitcode exits 2 with changes and 0 without", async () => {
    expect((await sgtm("gtm", "plan", "--env", STACK, "--detailed-exitcode")).exitCode).toBe(2);
    expect((await sgtm("gtm", "apply", "--env", STACK, "--yes")).exitCode).toBe(0);
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);
    const clean = await sgtm("gtm", "plan", "--env", STACK, "--detailed-exitcode");
    expect(clean.stdout).toContain("No changes");
    expect(clean.exitCode).toBe(0);
    // A second apply writes nothing.
    const since = fake.requests.length;
    const again = await sgtm("gtm", "apply", "--env", STACK, "--yes");
    expect(again.stdout).toContain("Apply complete: 0 write(s).");
    expect(writesSince(fake, since)).toEqual([]);
  });

  test("a rotated token shows as an update of the token constant, (sensitive)", async () => {
    await sgtm("gtm", "apply", "--env", STACK, "--yes");
    process.env.SGTM_TIKTOK_ACCESS_TOKEN = ROTATED_TOKEN_VALUE;
    const run = await sgtm("gtm", "plan", "--env", STACK, "--detailed-exitcode");
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toContain(`~ update variable "${ACCESS_TOKEN_VARIABLE}"`);
    expect(run.stdout).toMatch(/parameter\.value: \(sensitive\)/);
    await sgtm("gtm", "apply", "--env", STACK, "--yes");
    const token = liveVersion(fake, env).variable?.find((v) => v.name === ACCESS_TOKEN_VARIABLE);
    expect(token?.parameter?.find((p) => p.key === "value")?.value).toBe(ROTATED_TOKEN_VALUE);
  });

  test("an unknown --env fails with exit 1 and lists the known environments", async () => {
    const run = await sgtm("gtm", "plan", "--env", "shop-nope");
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("no environment shop-nope (known: shop-dev, shop-staging)");
    expectNoStackTrace(run.stderr);
  });
});

describe("failing runs never print the token", () => {
  /** Any request whose body carries the token (one variable create, or a bulk update holding it). */
  const carriesToken = (r: { body?: unknown }) => JSON.stringify(r.body ?? "").includes(TOKEN_VALUE);

  test("a write refused with an error that quotes the request body shows the error, not the token", async () => {
    fake.faults.push({ match: carriesToken, kind: "400", times: Infinity });
    const run = await sgtm("gtm", "apply", "--env", STACK, "--yes");
    fake.faults.length = 0;
    // The fake did quote it: the token reached the error, and the output boundary took it out.
    expect(fake.requests.some((r) => r.fault === "400")).toBe(true);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/Invalid value \(fake\)\. Invalid value: .*\(sensitive\)/);
    expectNoStackTrace(run.stderr);
  });

  test("a token-shaped value the process never registered is blanked on stderr too", async () => {
    // 40 hex characters, the shape of a TikTok token, echoed back by an error message.
    const unregistered = "0123456789abcdef0123456789abcdef01234567";
    const run = await runSgtm(["--config-dir", configDir, "gtm", "plan", "--env", `shop-${unregistered}`]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).not.toContain(unregistered);
    expect(run.stderr).toContain("no environment shop-(sensitive)");
  });
});

describe("exit codes and failures explained", () => {
  test("a container id the API does not know exits 1 and names gtm.containerId", async () => {
    // shop-dev's container (654321) is not in the fake.
    const run = await sgtm("gtm", "plan", "--env", "shop-dev", "--detailed-exitcode");
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      "error: the Tag Manager API does not know container accounts/6012345678/containers/654321",
    );
    expect(run.stderr).toContain('Check gtm.containerId ("654321")');
    expect(run.stderr).toContain("needs Read permission");
    expectNoStackTrace(run.stderr);
  });

  test("an unexpected failure exits 1, never 2 (--detailed-exitcode's 'changes pending')", async () => {
    fake.faults.push({ match: matching("GET", /\/workspaces$/), kind: "400" });
    const run = await sgtm("gtm", "plan", "--env", STACK, "--detailed-exitcode");
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("unexpected error:");
    expect(run.stdout).toBe("");
  });

  test("apply against the fake without a token names both variables it reads, in order, exit 1", async () => {
    delete process.env.SGTM_TIKTOK_ACCESS_TOKEN;
    const run = await sgtm("gtm", "apply", "--env", STACK, "--yes");
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      `error: apply refused: the TikTok access token is needed to write "${ACCESS_TOKEN_VARIABLE}", and none of the places it is read from holds it (in this order: $SGTM_TIKTOK_ACCESS_TOKEN_SHOP_STAGING, $SGTM_TIKTOK_ACCESS_TOKEN). Set $SGTM_TIKTOK_ACCESS_TOKEN_SHOP_STAGING\n`,
    );
    expect(writesSince(fake)).toEqual([]);
  });

  test.each([
    ["plan"],
    ["apply", "--yes"],
  ])("gtm %s with nothing at a loopback SGTM_GTM_ROOT_URL fails at once, exit 1", async (...command) => {
    const rootUrl = `http://127.0.0.1:${await closedPort()}/`;
    process.env.SGTM_GTM_ROOT_URL = rootUrl;
    // Without the check up front the client retries the refused connection for half a minute: this
    // test would time out (no clock is simulated here).
    const run = await sgtm("gtm", ...command, "--env", STACK);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(
      `error: nothing answers at SGTM_GTM_ROOT_URL (${rootUrl}): connection refused. Start it with \`npx sgtm fake\` (in another shell), or unset SGTM_GTM_ROOT_URL to use Google's API.\n`,
    );
  });

  test("a server that never answers: plan stops after the configured deadlines, exit 1, saying so", async () => {
    process.env.SGTM_GTM_REQUEST_TIMEOUT = "0.1";
    process.env.SGTM_GTM_RUN_TIMEOUT = "0.25";
    fake.faults.push({ kind: "stall", times: Infinity });
    try {
      const run = await sgtm("gtm", "plan", "--env", STACK, "--detailed-exitcode");
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(
        `error: the Tag Manager API at ${fake.rootUrl} (SGTM_GTM_ROOT_URL) did not answer within 0.1 s (GET accounts/`,
      );
      expect(run.stdout).toBe("");
      expectNoStackTrace(run.stderr);
    } finally {
      deadlineVariables.restore("SGTM_GTM_REQUEST_TIMEOUT");
      deadlineVariables.restore("SGTM_GTM_RUN_TIMEOUT");
    }
  });

  test("SIGINT during apply's writes: it stops at once, lets go of the workspace, exit 1", async () => {
    process.env.SGTM_GTM_REQUEST_TIMEOUT = "0.5";
    fake.faults.push({ match: matching("POST", /\/bulk_update$/), kind: "stall" });
    const before = process.listeners("SIGINT");
    try {
      const running = sgtm("gtm", "apply", "--env", STACK, "--yes");
      while (!fake.requests.some((r) => r.fault === "stall")) await new Promise((r) => setTimeout(r, 5));
      const added = process.listeners("SIGINT").filter((l) => !before.includes(l));
      expect(added).toHaveLength(1);
      // What Ctrl-C does, without signalling the test runner.
      (added[0] as (signal: NodeJS.Signals) => void)("SIGINT");
      const run = await running;
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(
        "SIGINT: stopping, and letting go of the kit's workspace (SIGINT again to quit at once)",
      );
      expect(run.stderr).toContain(
        "error: apply interrupted (SIGINT) during bulkUpdate: nothing more was sent.",
      );
      expect(run.stderr).toMatch(/released workspace ".*" \(.*\) for the next run/);
      expectNoStackTrace(run.stderr);
      expect(process.listeners("SIGINT")).toEqual(before);
      const ws = fake.state.listWorkspaces(containerPathOf(env)).find((w) => w.name === env.gtm.workspace);
      expect(ws?.description).toMatch(/ ended$/);
    } finally {
      deadlineVariables.restore("SGTM_GTM_REQUEST_TIMEOUT");
    }
  });

  test("a deadline that is not a number of seconds exits 1 naming the variable", async () => {
    process.env.SGTM_GTM_REQUEST_TIMEOUT = "1m";
    try {
      const run = await sgtm("gtm", "plan", "--env", STACK);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(
        'error: SGTM_GTM_REQUEST_TIMEOUT is "1m", which is not a number of seconds',
      );
    } finally {
      deadlineVariables.restore("SGTM_GTM_REQUEST_TIMEOUT");
    }
  });

  test("missing credentials print the login command with the Tag Manager scopes, exit 1", async () => {
    const saved = ["GOOGLE_APPLICATION_CREDENTIALS", "CLOUDSDK_CONFIG", "METADATA_SERVER_DETECTION"].map(
      (name) => [name, process.env[name]] as const,
    );
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.CLOUDSDK_CONFIG = mkdtempSync(join(work, "gcloud-")); // no ADC login in it
    process.env.METADATA_SERVER_DETECTION = "none"; // not a Google Cloud machine
    process.env.SGTM_GTM_ROOT_URL = "https://tagmanager.example.invalid/";
    try {
      const run = await sgtm("gtm", "plan", "--env", STACK);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain("error: no Google credentials for the Tag Manager API");
      expect(run.stderr).toMatch(
        /gcloud auth application-default login --scopes[= ]\S*tagmanager\.edit\.containers,\S*tagmanager\.edit\.containerversions,\S*tagmanager\.publish/,
      );
      expectNoStackTrace(run.stderr);
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe("gtm export and plan --from-export", () => {
  test("export prints GTM's export format with UPPER_SNAKE enums and the token redacted", async () => {
    const run = await sgtm("gtm", "export", "--env", STACK);
    expect(run.exitCode).toBe(0);
    const exported = JSON.parse(run.stdout) as {
      exportFormatVersion: number;
      containerVersion: ContainerVersion;
    };
    expect(exported.exportFormatVersion).toBe(2);
    const version = exported.containerVersion;
    expect(version.trigger?.length).toBeGreaterThan(0);
    for (const trigger of version.trigger ?? []) {
      expect(trigger.type).toBe("CUSTOM_EVENT");
      for (const condition of trigger.customEventFilter ?? []) expect(condition.type).toMatch(/^[A-Z_]+$/);
    }
    for (const tag of version.tag ?? []) expect(tag.tagFiringOption).toBe("ONCE_PER_EVENT");
    const token = version.variable?.find((v) => v.name === ACCESS_TOKEN_VARIABLE);
    expect(token?.parameter?.find((p) => p.key === "value")?.value).toBe("(sensitive)");
    expect(run.stdout).not.toContain(TOKEN_VALUE);
    expect(writesSince(fake)).toEqual([]);
  });

  test("plan --from-export reads a container exported from the live version, with no API call", async () => {
    await sgtm("gtm", "apply", "--env", STACK, "--yes");
    const file = tmpFile("container.json");
    writeFileSync(file, JSON.stringify(asUiExport(liveVersion(fake, env)), null, 4));
    const since = fake.requests.length;
    const run = await sgtm("gtm", "plan", "--env", STACK, "--from-export", file, "--detailed-exitcode");
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("No changes");
    expect(run.stdout).toContain("tag type cvt_5TP8W"); // resolved from the template in the file
    expect(run.exitCode).toBe(0);
    expect(fake.requests.length).toBe(since);

    // The same file before the kit's entities existed: the plan creates them.
    const empty = tmpFile("empty.json");
    writeFileSync(
      empty,
      JSON.stringify(asUiExport(fake.state.getVersion(`${containerPathOf(env)}/versions/1`))),
    );
    const fresh = await sgtm("gtm", "plan", "--env", STACK, "--from-export", empty, "--json");
    expect((JSON.parse(fresh.stdout) as Plan).template.action).toBe("import");
    expect((JSON.parse(fresh.stdout) as Plan).summary.create).toBeGreaterThan(0);
  });

  test("a bad export file gives a clear error naming the file, exit 1, no stack trace", async () => {
    const file = tmpFile("not-an-export.json");
    writeFileSync(file, "{ this is not json");
    const run = await sgtm("gtm", "plan", "--env", STACK, "--from-export", file);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toContain("not a GTM container export");
    expectNoStackTrace(run.stderr);
    expect(run.stdout).toBe("");

    const missing = join(work, "does-not-exist.json");
    const absent = await sgtm("gtm", "plan", "--env", STACK, "--from-export", missing);
    expect(absent.exitCode).toBe(1);
    expect(absent.stderr).toContain(`cannot read ${missing}: no such file.`);
    expect(existsSync(missing)).toBe(false);
  });

  test("an export with a byte-order mark is read like any other", async () => {
    const file = tmpFile("bom.json");
    const version = fake.state.getVersion(`${containerPathOf(env)}/versions/1`);
    writeFileSync(file, `\uFEFF${JSON.stringify(asUiExport(version), null, 4)}`);
    const run = await sgtm("gtm", "plan", "--env", STACK, "--from-export", file, "--json");
    // Before: "not valid JSON".
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    expect((JSON.parse(run.stdout) as Plan).summary.create).toBeGreaterThan(0);
  });
});

describe("retiring: gtm destroy, and the plan of a retired environment", () => {
  const stagingFile = () => join(configDir, "shop", "staging.yaml");

  test("gtm destroy removes every entity the kit made, in one version, without --allow-mass-delete", async () => {
    expect((await sgtm("gtm", "apply", "--env", STACK, "--yes")).exitCode).toBe(0);
    const since = fake.requests.length;
    const run = await sgtm("gtm", "destroy", "--env", STACK, "--yes");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/Plan: 0 to add, 0 to change, \d+ to destroy\./);
    expect(run.stdout).toContain("Retiring:");
    expect(run.stdout).toContain("Version ");
    expect(run.stderr).toContain(`note: ${STACK} is not retired in `);
    const live = liveVersion(fake, env);
    expect((live.tag ?? []).filter((t) => t.notes?.includes("managed-by: sgtm-tiktok-kit"))).toEqual([]);
    expect(live.tag?.map((t) => t.name)).toEqual(["GA4 - forward to Google Analytics"]);
    expect(writesSince(fake, since).some((r) => r.path.endsWith(":import_from_gallery"))).toBe(false);
  });

  test("gtm plan of an environment with retired: true shows the deletions; apply makes them", async () => {
    expect((await sgtm("gtm", "apply", "--env", STACK, "--yes")).exitCode).toBe(0);
    const original = readFileSync(stagingFile(), "utf8");
    writeFileSync(stagingFile(), `${original}retired: true\n`);
    try {
      const planned = await sgtm("gtm", "plan", "--env", STACK, "--json");
      const document = JSON.parse(planned.stdout) as Plan;
      // Before: "N to add ... published", as if nothing had changed.
      expect(document.summary.create).toBe(0);
      expect(document.summary.delete).toBeGreaterThan(0);
      expect(document.environment.retiring).toBe(true);
      expect(document.template.action).toBe("none");
      expect((await sgtm("gtm", "apply", "--env", STACK, "--yes")).exitCode).toBe(0);
      const again = JSON.parse((await sgtm("gtm", "plan", "--env", STACK, "--json")).stdout) as Plan;
      expect(again.hasChanges).toBe(false);
    } finally {
      writeFileSync(stagingFile(), original);
    }
  });
});

describe("a container that is not a server container", () => {
  test("plan and apply stop with an error naming gtm.containerId and what the container is; nothing is written", async () => {
    fake.reset();
    fake.state.createContainer({ ...env.gtm, name: "Shop web", usageContext: ["web"] });
    const since = fake.requests.length;
    for (const command of [["plan"], ["apply", "--yes"]]) {
      const run = await sgtm("gtm", ...command, "--env", STACK);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(
        `gtm.containerId ${env.gtm.containerId} (GTM-FAKE${env.gtm.containerId}, "Shop web") is a web container, not a server container`,
      );
      expect(run.stderr).toContain("Set gtm.containerId in ");
      expectNoStackTrace(run.stderr);
    }
    // Before: the web container got the kit's entities and a published version.
    expect(writesSince(fake, since)).toEqual([]);
  });

  test("an export of a web container is refused the same way, naming the file", async () => {
    const file = tmpFile("web.json");
    const exported = asUiExport(fake.state.getVersion(`${containerPathOf(env)}/versions/1`));
    const web = {
      ...exported,
      containerVersion: {
        ...(exported.containerVersion as object),
        container: { publicId: "GTM-WEB1", name: "Shop web", usageContext: ["WEB"] },
      },
    };
    writeFileSync(file, JSON.stringify(web));
    const run = await sgtm("gtm", "plan", "--env", STACK, "--from-export", file);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      `${file}: the exported container (GTM-WEB1, "Shop web") is a web container, not a server container`,
    );
    expect(run.stderr).toContain(`(gtm.containerId ${env.gtm.containerId})`);
    expect(run.stdout).toBe("");
  });
});

describe("validate", () => {
  test("a bad environment file exits 1 with its problems", async () => {
    const bad = writeConfig({ client: VALID_CLIENT, env: VALID_ENV.replace("tier: staging", "tier: nope") });
    const run = await sgtm("validate", bad);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("problem(s) in config");
    // The file is named (relative or absolute), with the line of the bad key.
    expect(run.stderr).toContain(`${bad.split(sep).slice(-3).join("/")}:1:`);
    expect(run.stderr).toContain("tier");
    expectNoStackTrace(run.stderr);
  });

  test("the good files validate", async () => {
    const run = await sgtm("validate");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`ok ${STACK}`);
  });
});

/**
 * A version as GTM's UI exports it: `{exportFormatVersion: 2, containerVersion}` with enums in
 * UPPER_SNAKE and no API-only fields (paths, URLs).
 */
function asUiExport(version: ContainerVersion): { exportFormatVersion: 2; containerVersion: unknown } {
  const parameter = (p: Parameter): Parameter => ({
    ...p,
    type: upperSnakeEnum(p.type ?? ""),
    ...(p.list ? { list: p.list.map(parameter) } : {}),
    ...(p.map ? { map: p.map.map(parameter) } : {}),
  });
  const condition = (c: { type?: string | null; parameter?: Parameter[] }) => ({
    type: upperSnakeEnum(c.type ?? ""),
    parameter: (c.parameter ?? []).map(parameter),
  });
  const strip = <T extends { path?: string | null; tagManagerUrl?: string | null }>(e: T) => {
    const { path: _path, tagManagerUrl: _url, ...rest } = e;
    return rest;
  };
  return {
    exportFormatVersion: 2,
    containerVersion: {
      ...strip(version),
      tag: version.tag?.map((t) => ({
        ...strip(t),
        parameter: t.parameter?.map(parameter),
        tagFiringOption: upperSnakeEnum(t.tagFiringOption ?? "oncePerEvent"),
        ...(t.consentSettings
          ? { consentSettings: { consentStatus: upperSnakeEnum(t.consentSettings.consentStatus ?? "") } }
          : {}),
      })),
      trigger: version.trigger?.map((t) => ({
        ...strip(t),
        type: upperSnakeEnum(t.type ?? ""),
        ...(t.customEventFilter ? { customEventFilter: t.customEventFilter.map(condition) } : {}),
        ...(t.filter ? { filter: t.filter.map(condition) } : {}),
      })),
      variable: version.variable?.map((v) => ({ ...strip(v), parameter: v.parameter?.map(parameter) })),
      builtInVariable: version.builtInVariable?.map((b) => ({
        ...strip(b),
        type: upperSnakeEnum(b.type ?? ""),
      })),
      customTemplate: version.customTemplate?.map(strip),
      client: version.client?.map(strip),
    },
  };
}
