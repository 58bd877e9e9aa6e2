/**
 * `sgtm acceptance` as a user types it: flags checked (each wrong combination named, no stack trace),
 * `--dry-run` printing every file and command without writing or running anything, and a run reaching
 * the runner with the stand-ins (a prerequisite failing, so it stops before creating anything).
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { defaultRunName } from "../../src/acceptance/inputs";
import { type AcceptanceCommandDeps, registerAcceptanceCommand } from "../../src/cli/acceptance-command";
import { passingReads, scratchProject, testRunDeps } from "../acceptance/helpers";
import { type CliRun, expectNoStackTrace, runProgram, runSgtm } from "./run-cli";

const FLAGS = [
  "--project",
  "sgtm-sandbox-1",
  "--domain",
  "sgtm-test.acme-shop.com",
  "--gtm-account",
  "6012345678",
  "--gtm-container",
  "198765432",
];

async function acceptance(
  args: string[],
  root = scratchProject(),
  vars: NodeJS.ProcessEnv = {},
): Promise<CliRun & { root: string }> {
  const progress: string[] = [];
  const deps: AcceptanceCommandDeps = {
    write: (text) => process.stdout.write(text),
    progress: (line) => progress.push(line),
    run: (print) =>
      testRunDeps(root, vars, {
        print,
        reads: () => passingReads({ billingEnabled: async () => false }),
      }).deps,
  };
  const program = new Command().exitOverride();
  registerAcceptanceCommand(program, deps);
  const run = await runProgram(program, ["acceptance", ...args]);
  expectNoStackTrace(run.stdout + run.stderr);
  return { ...run, stderr: `${run.stderr}${progress.join("\n")}`, root };
}

describe("sgtm acceptance", () => {
  it("is listed in the help with its flags", async () => {
    const help = await runSgtm(["acceptance", "--help"]);
    for (const flag of [
      "--project",
      "--domain",
      "--gtm-account",
      "--gtm-container",
      "--pixel",
      "--test-event-code",
      "--keep",
      "--dry-run",
      "--cleanup",
      "--dns-zone",
      "--name",
    ]) {
      expect(help.stdout).toContain(flag);
    }
  });

  it.each([
    [
      "a run without its four flags",
      ["--project", "p-123456"],
      "missing --domain, --gtm-account, --gtm-container",
    ],
    [
      "a test event code without a pixel",
      [...FLAGS, "--test-event-code", "TEST1"],
      "--test-event-code needs --pixel",
    ],
    [
      "--keep with --cleanup",
      [...FLAGS, "--keep", "--cleanup"],
      "--keep and --cleanup contradict each other",
    ],
    [
      "a wait that is no number",
      [...FLAGS, "--wait-minutes", "soon"],
      "--wait-minutes must be a whole number of minutes, at least 1 (got soon)",
    ],
    ["--cleanup of no run", ["--cleanup"], "--cleanup needs --name"],
    ["a name that is a path", [...FLAGS, "--name", "../up"], '--name "../up" is not a run name'],
    ["a value the config rules refuse", [...FLAGS, "--project", "Bad_Project"], "--project: wrong format"],
  ])("refuses %s, naming the flags", async (_what, args, message) => {
    const run = await acceptance([...args, "--dry-run"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(message);
  });

  it("--dry-run prints every file and command and writes nothing", async () => {
    const run = await acceptance([
      ...FLAGS,
      "--pixel",
      "C4A1B2C3D4E5F6G7H8I9",
      "--test-event-code",
      "TEST1",
      "--dry-run",
    ]);
    const name = defaultRunName("sgtm-sandbox-1", "sgtm-test.acme-shop.com");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`write .sgtm-acceptance/${name}/config/acceptance/${name}.yaml:`);
    expect(run.stdout).toContain(`  $ npx cdktf deploy acceptance-${name} --skip-synth`);
    expect(run.stdout).toContain(`  $ npx cdktf destroy acceptance-${name} --skip-synth`);
    expect(run.stdout).toContain("    |   testEventCode: TEST1");
    expect(existsSync(join(run.root, ".sgtm-acceptance"))).toBe(false);
  });

  it("an empty flag (a CI input left blank) counts as not given", async () => {
    const run = await acceptance([
      ...FLAGS,
      "--pixel",
      "",
      "--test-event-code",
      "",
      "--token-secret",
      "",
      "--dry-run",
    ]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("a placeholder (no --pixel: TikTok is not part of this run)");
  });

  it("runs: the prerequisites first, and a failing one stops the run with its fix and exit 1", async () => {
    const run = await acceptance([...FLAGS, "--name", "cli-1"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("  fail  billing  billing is not enabled on sgtm-sandbox-1");
    expect(run.stderr).toContain(
      "        fix: gcloud billing projects link sgtm-sandbox-1 --billing-account <ACCOUNT_ID>",
    );
    expect(readdirSync(join(run.root, ".sgtm-acceptance", "cli-1")).sort()).toEqual([
      "acceptance-report.json",
      "acceptance-report.md",
    ]);
  });
});
