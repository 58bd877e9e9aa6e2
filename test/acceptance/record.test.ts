/**
 * How a run starts given what an earlier one of the same name left, and the report rendered from a
 * run's record: what is left in the project, the hand cleanup, and no secret in either file.
 */
import {
  decideStart,
  type RunState,
  recordedInputs,
  runRecord,
  type StepRecord,
} from "../../src/acceptance/record";
import { renderReportJson, renderReportMarkdown } from "../../src/acceptance/report";
import { acceptancePlan } from "../../src/acceptance/steps";
import { registerSecret } from "../../src/errors/scrub";
import { testInputs } from "./helpers";

function state(overrides: Partial<RunState> = {}): RunState {
  return {
    formatVersion: 1,
    name: "t1",
    stack: "acceptance-t1",
    inputs: recordedInputs(testInputs()),
    status: "running",
    created: true,
    passed: {},
    doctor: [],
    updatedAt: "2026-12-01T09:00:00.000Z",
    ...overrides,
  };
}

describe("decideStart", () => {
  const inputs = recordedInputs(testInputs());
  const ask = (s: RunState | undefined, cleanup = false, given: typeof inputs | undefined = inputs) =>
    decideStart(s, { cleanup, name: "t1", ...(given ? { inputs: given } : {}) });

  it("starts fresh when nothing, or nothing left behind, is recorded", () => {
    expect(ask(undefined)).toEqual({ kind: "fresh" });
    expect(ask(state({ status: "clean" }))).toEqual({ kind: "fresh" });
  });

  it("picks up a run that was interrupted, killed or kept", () => {
    for (const status of ["running", "kept"] as const) expect(ask(state({ status })).kind).toBe("pick-up");
  });

  it("finishes a cleanup that did not finish before anything else", () => {
    expect(ask(state({ status: "cleaning" }))).toMatchObject({
      kind: "cleanup",
      reason: expect.stringContaining("did not finish"),
    });
  });

  it("cleans up on --cleanup, with or without the flags, and says when nothing is left", () => {
    expect(ask(state(), true)).toMatchObject({ kind: "cleanup", reason: "asked with --cleanup" });
    expect(ask(state(), true, undefined).kind).toBe("cleanup");
    expect(ask(undefined, true).kind).toBe("cleanup");
    expect(ask(state({ status: "clean" }), true)).toMatchObject({ kind: "nothing-to-do" });
    expect(ask(state({ status: "running", created: false }), true)).toMatchObject({ kind: "nothing-to-do" });
  });

  it("refuses other flags under the same name, naming the flag and both values", () => {
    const other = recordedInputs(testInputs({ domain: "sgtm-2.acme-shop.com" }));
    expect(ask(state(), false, other)).toEqual({
      kind: "refused",
      message: expect.stringMatching(
        /^run t1 was started with --domain sgtm-test\.acme-shop\.com, not sgtm-2\.acme-shop\.com: .* sgtm acceptance --name t1 --cleanup$/,
      ),
    });
    const withoutPixel = recordedInputs(testInputs({ pixel: undefined }));
    expect(ask(state(), false, withoutPixel)).toMatchObject({
      message: expect.stringContaining("--pixel C4A1B2C3D4E5F6G7H8I9, not (none)"),
    });
  });
});

describe("the report", () => {
  const plan = acceptancePlan(testInputs());
  const step = (overrides: Partial<StepRecord>): StepRecord => ({
    id: "deploy",
    title: "cdktf deploy",
    phase: "main",
    outcome: "passed",
    seconds: 412,
    ...overrides,
  });
  const facts = {
    plan,
    startedAt: "2026-12-01T09:00:00.000Z",
    finishedAt: "2026-12-01T10:10:00.000Z",
    status: "clean" as const,
    created: true,
    cleanupRan: true,
    keep: false,
    interrupted: false,
    versions: {
      kit: "0.1.0",
      kitCommit: "0123456789ab",
      cdktf: "0.21.0",
      providerBinding: "@cdktf/provider-google 16.12.1",
      terraformProvider: "hashicorp/google 6.50.0",
      terraform: "1.9.8",
      node: "v20.19.0",
    },
    prerequisites: [],
    steps: [step({})],
    doctor: [],
    nonEmptyPlans: [],
    notes: [],
  };

  it("says what is left: nothing, destroyed, kept (with the cleanup), or resources that may remain", () => {
    expect(runRecord({ ...facts, created: false, cleanupRan: false, status: undefined }).resources).toBe(
      "none-created",
    );
    // A cleanup from the flags alone knows of nothing created, and still destroyed what the state held.
    expect(runRecord({ ...facts, created: false }).resources).toBe("destroyed");
    expect(runRecord(facts)).toMatchObject({ resources: "destroyed", manualCleanup: [], outcome: "passed" });
    const kept = runRecord({ ...facts, status: "kept", keep: true });
    expect(kept.resources).toBe("kept");
    expect(kept.manualCleanup[0]).toContain("acceptance --name t1 --cleanup");
    const stuck = runRecord({
      ...facts,
      status: "cleaning",
      steps: [step({ id: "destroy", phase: "cleanup", outcome: "failed" })],
    });
    expect(stuck).toMatchObject({ resources: "may-remain", outcome: "failed" });
    expect(renderReportMarkdown(stuck)).toContain("**resources may remain**");
    expect(renderReportMarkdown(stuck)).toContain("## Clean up by hand");
    expect(runRecord({ ...facts, interrupted: true }).outcome).toBe("interrupted");
  });

  it("renders versions, steps with their time, and the failed step's output", () => {
    const record = runRecord({
      ...facts,
      steps: [
        step({}),
        step({
          id: "gtm-plan",
          title: "second GTM plan",
          outcome: "failed",
          seconds: 3,
          detail: "exit 1",
          output: "error: no access",
        }),
      ],
    });
    const markdown = renderReportMarkdown(record);
    expect(markdown).toContain(
      "| 0.1.0 (0123456789ab) | 0.21.0 | @cdktf/provider-google 16.12.1 (hashicorp/google 6.50.0) | 1.9.8 | v20.19.0 |",
    );
    expect(markdown).toContain("| cdktf deploy | passed | 6 min 52 s |  |");
    expect(markdown).toContain("| second GTM plan | failed | 3 s | exit 1 |");
    expect(markdown).toContain(
      "## Output of the failed step: second GTM plan\n\n```text\nerror: no access\n```",
    );
    expect(JSON.parse(renderReportJson(record))).toEqual(JSON.parse(JSON.stringify(record)));
  });

  it("holds no secret: registered values and anything shaped like a token are blanked in both files", () => {
    const token = "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12"; // 40 hex, as TikTok's tokens
    const known = "sandbox-known-secret-value";
    registerSecret(known);
    const record = runRecord({
      ...facts,
      steps: [
        step({
          outcome: "failed",
          detail: `refused ${known}`,
          output: `Access-Token: ${token}\nBearer ya29.a0AfB_byC-something-long`,
        }),
      ],
      notes: [`token=${token}`],
    });
    for (const text of [renderReportMarkdown(record), renderReportJson(record)]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(known);
      expect(text).not.toContain("ya29.a0AfB_byC-something-long");
      expect(text).toContain("(sensitive)");
    }
  });
});
