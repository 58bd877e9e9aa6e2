/**
 * `sgtm validate` and `sgtm stacks` in-process, on a temp config folder: adding an environment file
 * is not an error before the lock records it (a warning says how to record it), deleting one that the
 * lock still records is.
 */
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { renderStackLock, STACK_LOCK_FILE } from "../../src/config/load";
import { VALID_CLIENT, VALID_ENV, writeConfig } from "../config/helpers";
import { runSgtm } from "./run-cli";

const DEV_ENV = VALID_ENV.replace("tier: staging", "tier: dev")
  .replace('containerId: "123456"', 'containerId: "654321"')
  .replace("shop-sgtm-staging", "shop-sgtm-dev")
  .replace("sgtm.shop.com", "sgtm.dev.shop.com");

/** A config folder with shop/staging.yaml recorded in its lock. */
function recordedConfig(): { dir: string; clientDir: string } {
  const clientDir = dirname(writeConfig({ client: VALID_CLIENT, env: VALID_ENV }));
  const dir = dirname(clientDir);
  writeFileSync(join(dir, STACK_LOCK_FILE), renderStackLock(["shop-staging"]));
  return { dir, clientDir };
}

describe("adding an environment: files, validate, stacks --write", () => {
  it("validates a new file before the lock records it, with a warning naming the command", async () => {
    const { dir, clientDir } = recordedConfig();
    writeFileSync(join(clientDir, "dev.yaml"), DEV_ENV);
    const run = await runSgtm(["--config-dir", dir, "validate"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^ok shop-dev \(dev\) .*dev\.yaml\nok shop-staging \(staging\) /);
    expect(run.stderr).toBe(
      `warning: ${relative(process.cwd(), join(clientDir, "dev.yaml"))}:1:1 new stack shop-dev is not recorded in ${relative(process.cwd(), join(dir, STACK_LOCK_FILE))} yet: synth and deploy refuse it until it is (got shop-dev). Fix: run \`npx sgtm stacks --write\` and commit the lock with the new environment file\n`,
    );
  });

  it("is silent once `stacks --write` recorded it", async () => {
    const { dir, clientDir } = recordedConfig();
    writeFileSync(join(clientDir, "dev.yaml"), DEV_ENV);
    const write = await runSgtm(["--config-dir", dir, "stacks", "--write"]);
    expect(write).toEqual({ stdout: "shop-dev\nshop-staging\n", stderr: "", exitCode: 0 });
    expect(readFileSync(join(dir, STACK_LOCK_FILE), "utf8")).toBe(
      renderStackLock(["shop-dev", "shop-staging"]),
    );
    const run = await runSgtm(["--config-dir", dir, "validate"]);
    expect([run.exitCode, run.stderr]).toEqual([0, ""]);
    expect(run.stdout.split("\n").filter(Boolean)).toHaveLength(2);
  });

  it("still reports a new file's own problems as errors", async () => {
    const { dir, clientDir } = recordedConfig();
    writeFileSync(join(clientDir, "dev.yaml"), `${DEV_ENV}bogus: 1\n`);
    const run = await runSgtm(["--config-dir", dir, "validate"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("dev.yaml");
    expect(run.stderr).toContain("bogus");
    expect(run.stdout).toBe("");
  });
});

describe("an event map key GA4 does not send", () => {
  const withEvents = (events: string) => `${VALID_ENV}tiktok:\n  events:\n${events}`;

  it("validates with a warning at the line of the key, naming the event it is near", async () => {
    const { dir, clientDir } = recordedConfig();
    writeFileSync(join(clientDir, "staging.yaml"), withEvents("    purchse: { event: Purchase }\n"));
    const run = await runSgtm(["--config-dir", dir, "validate"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^ok shop-staging /);
    const file = relative(process.cwd(), join(clientDir, "staging.yaml"));
    expect(run.stderr).toBe(
      `warning: ${file}:10:14 tiktok.events.purchse: not a GA4 event the kit knows (recommended, enhanced measurement or collected automatically): its trigger fires only if the site sends exactly this event name (got "purchse"; allowed: GA4's event names, or the site's own events marked customGa4Event: true). Fix: did you mean purchase? If purchse is the site's own event, add \`customGa4Event: true\`\n`,
    );
  });

  it("is silent for an event marked as the site's own", async () => {
    const { dir, clientDir } = recordedConfig();
    const events = "    newsletter_signup: { event: Subscribe, customGa4Event: true }\n";
    writeFileSync(join(clientDir, "staging.yaml"), withEvents(events));
    const run = await runSgtm(["--config-dir", dir, "validate"]);
    expect([run.exitCode, run.stderr]).toEqual([0, ""]);
  });

  it("comes out with the file's errors, labelled, so one run shows everything", async () => {
    const { dir, clientDir } = recordedConfig();
    const events = "    purchse: { event: Purchase }\n    view_item: { event: ViewContnet }\n";
    writeFileSync(join(clientDir, "staging.yaml"), withEvents(events));
    const run = await runSgtm(["--config-dir", dir, "validate"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/\nwarning: .*staging\.yaml:10:14 tiktok\.events\.purchse: not a GA4 event/);
    expect(run.stderr).toContain("unknown TikTok event name");
  });
});

describe("removing an environment file the lock still records", () => {
  it("fails validate, naming the stack and how to destroy it first", async () => {
    const { dir, clientDir } = recordedConfig();
    writeFileSync(join(clientDir, "dev.yaml"), DEV_ENV);
    await runSgtm(["--config-dir", dir, "stacks", "--write"]);
    unlinkSync(join(clientDir, "dev.yaml"));
    const run = await runSgtm(["--config-dir", dir, "validate"]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      "stacks.lock:3:1 stack shop-dev is recorded here but has no environment file: its cloud resources would be orphaned",
    );
    expect(run.stderr).toContain("npx cdktf destroy shop-dev");
    expect(run.stderr).not.toContain("warning:");
  });
});

describe("a file that cannot be parsed", () => {
  /** Aliases of aliases: 9^6 copies of "x" once expanded (the classic "billion laughs"). */
  const ALIAS_BOMB = [
    'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]',
    ...["b", "c", "d", "e", "f"].map((name, i) => {
      const previous = "abcde"[i];
      return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`;
    }),
    "",
  ].join("\n");

  it("an alias bomb is one problem of its file, with its path; the other files are still reported", async () => {
    const { dir, clientDir } = recordedConfig();
    const bomb = join(clientDir, "dev.yaml");
    const other = join(clientDir, "qa.yaml");
    writeFileSync(bomb, ALIAS_BOMB);
    writeFileSync(other, `${VALID_ENV}bogus: 1\n`);
    const run = await runSgtm(["--config-dir", dir, "validate", bomb, other]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).not.toContain("unexpected error");
    const lines = run.stderr.split("\n");
    const bombProblems = lines.filter((l) => l.startsWith(`${relative(process.cwd(), bomb)}:`));
    expect(bombProblems).toEqual([
      expect.stringMatching(
        /:2:\d+ the file's YAML aliases expand to more than 100 copies .*Fix: write the values out/,
      ),
    ]);
    expect(lines.some((l) => l.startsWith(`${relative(process.cwd(), other)}:`) && l.includes("bogus"))).toBe(
      true,
    );
  });

  it("under the config folder, it fails every command that loads the config with the file named", async () => {
    const { dir, clientDir } = recordedConfig();
    writeFileSync(join(clientDir, "client.yaml"), ALIAS_BOMB);
    const run = await runSgtm(["--config-dir", dir, "validate"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/client\.yaml:2:\d+ the file's YAML aliases expand/);
    expect(run.stderr).not.toContain("unexpected error");
  });

  it("an alias before its anchor is invalid YAML at the alias", async () => {
    const { dir, clientDir } = recordedConfig();
    const file = join(clientDir, "dev.yaml");
    writeFileSync(file, `${DEV_ENV}tagging:\n  minInstances: *later\n`);
    const run = await runSgtm(["--config-dir", dir, "validate", file]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/dev\.yaml:\d+:\d+ invalid YAML: Unresolved alias.*Fix: define the anchor/);
  });
});

describe("sgtm --version", () => {
  it("prints the kit's version from its package.json, exit 0", async () => {
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(await runSgtm(["--version"])).toEqual({ stdout: `${version}\n`, stderr: "", exitCode: 0 });
  });
});
