/**
 * The runner over an in-memory process runner (no process is started): what it does when a step throws,
 * when a command fails, and what it passes to each command.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ProcessRunner, ProcessSpec } from "../../src/acceptance/process";
import { runAcceptance } from "../../src/acceptance/runner";
import { scratchProject, testInputs, testRunDeps } from "./helpers";

const EMPTY_DIFF = readFileSync(
  join("test", "fixtures", "review", "cdktf-diff", "gtm-step-only.txt"),
  "utf8",
);

/** Answers as healthy tools would, except the subcommands in `failing`; records every call. */
function fakeProcesses(failing: Record<string, number> = {}): ProcessRunner & { calls: ProcessSpec[] } {
  const calls: ProcessSpec[] = [];
  return {
    calls,
    async run(spec) {
      calls.push(spec);
      const [tool, sub] =
        spec.argv[0] === "node" ? ["sgtm", spec.argv[spec.argv.indexOf("gtm") + 1]] : spec.argv;
      const exitCode = failing[`${tool} ${sub}`] ?? 0;
      const output =
        sub === "--version"
          ? "0.21.0\n"
          : tool === "terraform"
            ? '{"terraform_version": "1.9.8"}'
            : sub === "diff"
              ? EMPTY_DIFF
              : "ok\n";
      return { exitCode, output, interrupted: false };
    },
  };
}

async function runWith(
  processes: ProcessRunner,
  doctor = (): never => {
    throw new Error("no doctor here");
  },
) {
  const root = scratchProject();
  const t = testRunDeps(
    root,
    { SGTM_TIKTOK_ACCESS_TOKEN_ACCEPTANCE_T1: "token-value-for-the-run" },
    { processes, doctor },
  );
  const result = await runAcceptance(
    { name: "t1", inputs: testInputs(), keep: false, cleanup: false, waitMinutes: 90 },
    t.deps,
  );
  return { ...result, record: result.record as NonNullable<typeof result.record>, t };
}

describe("the runner", () => {
  it("fails a step that throws, skips what needs it, and still runs the rest, the cleanup and the report", async () => {
    const processes = fakeProcesses();
    const { record, exitCode } = await runWith(processes);
    const outcome = (id: string) => record.steps.find((s) => s.id === id);
    expect(outcome("dns")).toMatchObject({
      outcome: "failed",
      detail: "the step itself failed: no doctor here",
    });
    expect(outcome("doctor")).toMatchObject({
      outcome: "skipped",
      detail: "not run: needs dns, which did not pass",
    });
    expect(outcome("cdktf-plan")?.outcome).toBe("passed");
    expect(outcome("destroy")?.outcome).toBe("passed");
    expect(exitCode).toBe(1);
  });

  it("stops what builds on a failed deploy, and destroys what the deploy may have created", async () => {
    const processes = fakeProcesses({ "cdktf deploy": 1 });
    const { record } = await runWith(processes);
    const main = Object.fromEntries(
      record.steps.filter((s) => s.phase === "main").map((s) => [s.id, s.outcome]),
    );
    expect(main).toMatchObject({
      deploy: "failed",
      dns: "skipped",
      "cdktf-plan": "skipped",
      "gtm-plan": "skipped",
    });
    // The retired deploy fails too (the same fake answer): the destroy runs anyway, and says what is left.
    expect(record.steps.find((s) => s.id === "destroy")?.outcome).toBe("passed");
    expect(record.resources).toBe("may-remain");
  });

  it("gives each command the run's variables and token, and the project's tools last on PATH", async () => {
    const processes = fakeProcesses();
    const { t } = await runWith(processes);
    const deploy = processes.calls.find((c) => c.argv[0] === "cdktf" && c.argv[1] === "deploy");
    expect(deploy?.cwd).toBe(t.deps.root);
    expect(deploy?.env).toMatchObject({
      SGTM_CONFIG_DIR: ".sgtm-acceptance/t1/config",
      CHECKPOINT_DISABLE: "1",
      FORCE_COLOR: "0",
      SGTM_TIKTOK_ACCESS_TOKEN_ACCEPTANCE_T1: "token-value-for-the-run",
    });
    expect(String(deploy?.env.PATH).endsWith(join(t.deps.root, "node_modules", ".bin"))).toBe(true);
    const version = processes.calls.find((c) => c.argv[1] === "--version");
    expect(String(version?.env.PATH).endsWith(join(t.deps.root, "node_modules", ".bin"))).toBe(true);
  });
});
