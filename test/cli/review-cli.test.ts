/**
 * `sgtm plan` end to end against the local fake Tag Manager API (`SGTM_GTM_ROOT_URL`), with the fixture
 * config folder and fixture synths; `sgtm changed` against a temporary git repository. Every output is
 * checked for the TikTok token and the secrets planted in the fixture synths.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { infrastructureSection, type ReviewDeps } from "../../src/cli/review-commands";
import { loadEnvironments } from "../../src/config/load";
import type { EnvironmentConfig } from "../../src/config/model";
import { UserError } from "../../src/errors/report";
import { TAG_MANAGER_LOGIN_COMMAND as LOGIN_COMMAND, TAG_MANAGER_SCOPES } from "../../src/gtm/client/connect";
import type { FakeTagManager } from "../../src/gtm/fake";
import { seedDemoContainer } from "../../src/gtm/fake/seed";
import { seed, startFake, writesSince } from "../gtm/e2e-helpers";
import { BASE_SYNTH, FIXTURE_CONFIG, HEAD_SYNTH, REVIEW_FIXTURES, SYNTH_SECRETS } from "../review/helpers";
import { type CliRun, expectNoStackTrace, keepEnvironment, pointAtFake, runSgtm } from "./run-cli";

const TOKEN_VALUE = "SENTINEL-TOKEN-review-5c2e91";
const STACK = "shop-production";
const environment = keepEnvironment([
  "SGTM_GTM_ROOT_URL",
  "SGTM_TIKTOK_ACCESS_TOKEN",
  "NO_COLOR",
  "HOME",
  "CLOUDSDK_CONFIG",
  "GOOGLE_APPLICATION_CREDENTIALS",
  "METADATA_SERVER_DETECTION",
  "CI",
]);

let fake: FakeTagManager;
let env: EnvironmentConfig;

beforeAll(async () => {
  fake = await startFake();
  [env] = loadEnvironments([join(FIXTURE_CONFIG, "shop", "production.yaml")]);
});
afterAll(() => fake.close());
beforeEach(() => {
  seed(fake, env);
  pointAtFake(fake.rootUrl, TOKEN_VALUE);
});

function sgtm(...args: string[]): Promise<CliRun> {
  return runSgtm(["--config-dir", FIXTURE_CONFIG, ...args], [TOKEN_VALUE, ...SYNTH_SECRETS]);
}

const planArgs = (stack = STACK) => ["plan", "--env", stack, "--synth-dir", HEAD_SYNTH, "--base", BASE_SYNTH];

describe("sgtm plan against the local fake", () => {
  test("--markdown prints the comment: marker, infrastructure change and GTM plan, with no write", async () => {
    const run = await sgtm(...planArgs(), "--markdown");
    expect([run.exitCode, run.stderr]).toEqual([0, ""]);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(`<!-- sgtm-plan:${STACK} -->`);
    expect(run.stdout).toContain("### Infrastructure (Google Cloud)");
    expect(run.stdout).toMatch(
      /- Cloud Run service sgtm-shop-production-tagging: changed \(.*min instances 2 -> 3\)/,
    );
    expect(run.stdout).toContain("- request log exclusion sgtm-shop-production-requests: removed");
    expect(run.stdout).toContain("### GTM container (TikTok tags)");
    // The seeded container has a GA4 client and a hand-made tag, none of the kit's entities.
    expect(run.stdout).toMatch(/\*\*Plan: \d+ to add, 0 to change, 0 to destroy; import the TikTok template/);
    expect(run.stdout).toContain("| create | tag | TikTok Kit \\| CompletePayment (purchase) |");
    expect(writesSince(fake)).toEqual([]);
  });

  test("--detailed-exitcode exits 2 when there are changes", async () => {
    const run = await sgtm(...planArgs(), "--markdown", "--detailed-exitcode");
    expect(run.exitCode).toBe(2);
  });

  test("text by default, JSON with --json: {stack, interruptions, infrastructure, gtm}", async () => {
    const text = await sgtm(...planArgs());
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(
      /^Plan for shop-production\n\nInfrastructure \(Google Cloud\): 2 to add, 2 to change, 2 to remove/,
    );
    expect(text.stdout).toContain(`sgtm-tiktok-kit plan for ${STACK} (production)`);

    const json = await sgtm(...planArgs(), "--json");
    expect(json.exitCode).toBe(0);
    const document = JSON.parse(json.stdout);
    // The document's keys are pinned by the golden JSON (test/review/plan-document.test.ts).
    expect(document).toMatchObject({ stack: STACK, interruptions: [], interruptionsAccepted: false });
    expect(document.infrastructure).toMatchObject({
      source: "synth",
      summary: { add: 2, change: 2, remove: 2 },
    });
    expect(document.gtm).toMatchObject({ formatVersion: 1, hasChanges: true, environment: { stack: STACK } });
  });

  test("a stack missing from the base synth: said, and everything shows as added", async () => {
    const [staging] = loadEnvironments([join(FIXTURE_CONFIG, "shop", "staging.yaml")]);
    seedDemoContainer(fake.state, staging.gtm);
    const run = await sgtm(...planArgs("shop-staging"), "--markdown");
    expect([run.exitCode, run.stderr]).toEqual([0, ""]);
    expect(run.stdout).toContain(
      `> no base synth for shop-staging: everything shows as added (${join(BASE_SYNTH, "stacks", "shop-staging", "cdk.tf.json")} does not exist)`,
    );
    expect(run.stdout).toContain("- Cloud Run service sgtm-shop-staging-tagging: added");
  });

  test("no --base: everything shows as added, and the note says why", async () => {
    const run = await sgtm("plan", "--env", STACK, "--synth-dir", HEAD_SYNTH);
    expect(run.stdout).toContain(
      `note: no base synth for ${STACK}: everything shows as added (no --base given)`,
    );
  });

  test("an environment that does not exist: exit 1, with the valid names", async () => {
    const run = await sgtm(...planArgs("shop-qa"), "--markdown");
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      "no environment shop-qa (known: north-production, shop-production, shop-staging)",
    );
    expectNoStackTrace(run.stderr);
  });

  test("no synth of this branch: exit 1, run the synth first", async () => {
    const run = await sgtm("plan", "--env", STACK, "--synth-dir", join(REVIEW_FIXTURES, "nowhere"));
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("Run `npm run synth` first");
    expect(fake.requests).toEqual([]);
  });

  test("no Google credentials: exit 1 with the login command and the Tag Manager scopes, no stack trace", async () => {
    const home = mkdtempSync(join(tmpdir(), "sgtm-nocreds-"));
    delete process.env.SGTM_GTM_ROOT_URL;
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.HOME = home;
    process.env.CLOUDSDK_CONFIG = home;
    process.env.METADATA_SERVER_DETECTION = "none"; // no probe for a metadata server
    try {
      const run = await sgtm(...planArgs(), "--markdown");
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(LOGIN_COMMAND);
      for (const scope of TAG_MANAGER_SCOPES) expect(run.stderr).toContain(scope);
      expectNoStackTrace(run.stderr);
      // `gtm plan` connects the same way.
      const gtm = await sgtm("gtm", "plan", "--env", STACK);
      expect([gtm.exitCode, gtm.stderr]).toEqual([1, run.stderr]);
    } finally {
      for (const name of ["HOME", "CLOUDSDK_CONFIG", "METADATA_SERVER_DETECTION"]) environment.restore(name);
    }
  });
});

describe("where the infrastructure change comes from", () => {
  const output = "shop-production  Plan: 0 to add, 1 to change, 0 to destroy.\n";
  function deps(terraform: boolean, result = { exitCode: 0, output }) {
    const calls: string[][] = [];
    const fake: Pick<ReviewDeps, "terraformOnPath" | "cdktfDiff"> = {
      terraformOnPath: () => terraform,
      cdktfDiff: (stack, synthDir) => {
        calls.push([stack, synthDir]);
        return result;
      },
    };
    return { deps: fake, calls };
  }
  const flags = { synthDir: HEAD_SYNTH, base: BASE_SYNTH };

  test("synths by default, even with terraform on PATH: cdktf diff is never chosen implicitly", () => {
    const { deps: d, calls } = deps(true);
    expect(infrastructureSection(STACK, flags, d).source).toBe("synth");
    expect(calls).toEqual([]);
  });

  test("--cdktf-diff runs cdktf diff on this branch's synth and reads its summary", () => {
    const { deps: d, calls } = deps(true);
    const section = infrastructureSection(STACK, { ...flags, cdktfDiff: true }, d);
    expect(calls).toEqual([[STACK, HEAD_SYNTH]]);
    expect(section).toMatchObject({ source: "cdktf diff", summary: { hasChanges: true, change: 1 }, output });
  });

  test("--cdktf-diff without terraform on PATH: a UserError saying what to do instead", () => {
    const { deps: d, calls } = deps(false);
    expect(() => infrastructureSection(STACK, { ...flags, cdktfDiff: true }, d)).toThrow(
      new UserError(
        "--cdktf-diff runs `cdktf diff`, which needs terraform on PATH (and the state and credentials); " +
          "without it, compare synths instead: drop --cdktf-diff and pass --base <cdktf.out of the base branch>",
      ),
    );
    expect(calls).toEqual([]);
  });

  test("a failed cdktf diff is an error showing its last lines, secrets replaced", () => {
    const secret = "0123456789abcdef0123456789abcdef01234567";
    const { deps: d } = deps(true, { exitCode: 1, output: `Error: bad token ${secret}\n` });
    const error = captureError(() => infrastructureSection(STACK, { ...flags, cdktfDiff: true }, d));
    expect(error.message).toBe(`cdktf diff ${STACK} failed (exit 1):\nError: bad token (sensitive)`);
  });

  test("a cdktf diff that printed no plan is an error too", () => {
    const { deps: d } = deps(true, { exitCode: 0, output: "Initializing...\n" });
    expect(() => infrastructureSection(STACK, { ...flags, cdktfDiff: true }, d)).toThrow(
      /printed no plan summary/,
    );
  });
});

describe("sgtm changed in a git repository", () => {
  let repo: string;
  let base: string;
  const git = (...args: string[]) =>
    execFileSync(
      "git",
      ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args],
      {
        cwd: repo,
        encoding: "utf8",
      },
    ).trim();
  const changed = (...args: string[]) => runSgtm(["--config-dir", join(repo, "config"), "changed", ...args]);

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), "sgtm-changed-"));
    cpSync(FIXTURE_CONFIG, join(repo, "config"), { recursive: true });
    writeFileSync(join(repo, "README.md"), "docs\n");
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "base");
    base = git("rev-parse", "HEAD");
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  const commit = () => {
    git("add", "-A");
    git("commit", "-q", "-m", "change");
  };

  test("a client's defaults: that client's stacks, one a line", async () => {
    writeFileSync(join(repo, "config", "shop", "client.yaml"), "# changed\n", { flag: "a" });
    commit();
    const run = await changed("--base", base);
    expect([run.exitCode, run.stdout]).toEqual([0, "shop-production\nshop-staging\n"]);
  });

  test("--json: stacks, why, retired ones; a retired environment is listed as such", async () => {
    writeFileSync(join(repo, "config", "shop", "staging.yaml"), "retired: true\n", { flag: "a" });
    commit();
    const run = await changed("--base", base, "--json");
    expect(JSON.parse(run.stdout)).toEqual({
      base,
      // A commit id abbreviated: the whole one is shaped like a token, which stderr would blank.
      compared: expect.stringMatching(new RegExp(`^${base.slice(0, 12)}\\.\\.\\.HEAD`)),
      stacks: ["shop-staging"],
      reasons: { "shop-staging": ["config/shop/staging.yaml"] },
      removed: [],
      retireFirst: [],
      retired: ["shop-staging"],
    });
  });

  describe("uncommitted changes", () => {
    // The base is a branch name here: a bare commit id is shaped like a token, and stderr hides those.
    const edit = () => {
      writeFileSync(join(repo, "config", "shop", "staging.yaml"), "# edited\n", { flag: "a" });
      // A new environment nobody committed yet (untracked).
      cpSync(join(repo, "config", "north", "production.yaml"), join(repo, "config", "north", "staging.yaml"));
    };

    test("count outside CI, and it says what it compared", async () => {
      delete process.env.CI;
      edit();
      const run = await changed("--base", "main");
      expect([run.exitCode, run.stdout]).toEqual([0, "north-staging\nshop-staging\n"]);
      expect(run.stderr).toBe(
        `compared main...HEAD and uncommitted changes (working tree, untracked files)\n`,
      );
      const json = JSON.parse((await changed("--base", "main", "--json")).stdout);
      expect(json.reasons).toEqual({
        "north-staging": ["config/north/staging.yaml"],
        "shop-staging": ["config/shop/staging.yaml"],
      });
      expect(json.compared).toBe(`main...HEAD and uncommitted changes (working tree, untracked files)`);
    });

    test("do not count in CI (CI set), nor with --no-uncommitted; --uncommitted counts them anywhere", async () => {
      edit();
      process.env.CI = "true";
      const ci = await changed("--base", "main");
      expect([ci.exitCode, ci.stdout, ci.stderr]).toEqual([0, "", `compared main...HEAD (commits only)\n`]);
      expect((await changed("--base", "main", "--uncommitted")).stdout).toBe("north-staging\nshop-staging\n");
      delete process.env.CI;
      expect((await changed("--base", "main", "--no-uncommitted")).stdout).toBe("");
    });

    test("an edit undone before committing is no change", async () => {
      delete process.env.CI;
      const file = join(repo, "config", "shop", "staging.yaml");
      const before = readFileSync(file, "utf8");
      writeFileSync(file, "# committed\n", { flag: "a" });
      commit();
      writeFileSync(file, before);
      const undone = await changed("--base", base);
      expect([undone.stdout, undone.stderr]).toEqual([
        "",
        `compared ${base.slice(0, 12)}...HEAD and uncommitted changes (working tree, untracked files)\n`,
      ]);
      expect((await changed("--base", base, "--no-uncommitted")).stdout).toBe("shop-staging\n");
    });
  });

  test("a change to docs only: nothing, and success", async () => {
    writeFileSync(join(repo, "README.md"), "more docs\n");
    commit();
    const run = await changed("--base", base);
    expect([run.exitCode, run.stdout]).toEqual([0, ""]);
  });

  test("an environment file deleted while the lock lists it: exit 1 with the retire steps", async () => {
    rmSync(join(repo, "config", "north", "production.yaml"));
    commit();
    const run = await changed("--base", base);
    expect(run.exitCode).toBe(1);
    // At the stack's own line of the lock.
    expect(run.stderr).toMatch(
      /the environment file of north-production was deleted while \S*config\/stacks\.lock:3 still lists it/,
    );
    expect(run.stderr).toContain("retired: true");
  });

  test("--all lists every stack; a first push (no base commit) too", async () => {
    const all = "north-production\nshop-production\nshop-staging\n";
    expect((await changed("--all")).stdout).toBe(all);
    expect((await changed("--base", "0".repeat(40))).stdout).toBe(all);
  });

  test("neither --base nor --all, or an unknown base: exit 1", async () => {
    expect((await changed()).stderr).toContain("pass either --base <git-ref> or --all");
    const unknown = await changed("--base", "no-such-ref");
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toMatch(
      /git (diff --name-only --no-renames no-such-ref\.\.\.HEAD|merge-base no-such-ref HEAD) failed/,
    );
  });
});

function captureError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}
