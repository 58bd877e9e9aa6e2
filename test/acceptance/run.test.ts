/**
 * Whole acceptance runs against stand-ins: `cdktf` and `terraform` on PATH (recording their calls), the
 * kit's own CLI for the second GTM plan and `gtm destroy` (from the sources, against the local Tag
 * Manager fake), doctor in-process against doctor's stand-ins (DNS, load balancer, Google APIs,
 * TikTok), a clock that never waits and an interrupt the test fires. Nothing here reaches Google Cloud.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runLayout } from "../../src/acceptance/inputs";
import type { RunRecord, RunState } from "../../src/acceptance/record";
import type { AcceptanceRequest } from "../../src/acceptance/run-deps";
import { runAcceptance } from "../../src/acceptance/runner";
import { SecretValue, stackTokenVariable } from "../../src/gtm/client/access-token";
import { managedCertificateName } from "../../src/naming/stack-resources";
import { CHECK_NAMES, LB_IP, TOKEN, tiktokCode, useWorld, type World } from "../doctor/stand-ins";
import {
  cdktfCommands,
  environmentOf,
  passingReads,
  scratchProject,
  standInCalls,
  type TestRunDeps,
  testInputs,
  testRunDeps,
} from "./helpers";

jest.setTimeout(60_000);

const inputs = testInputs();
const env = environmentOf(inputs);
const layout = runLayout(inputs.name);
const TOKEN_VARIABLE = stackTokenVariable(env.stackName);
const running = useWorld(env);
let world: World;
beforeEach(() => {
  world = running();
});

/** What `cdktf deploy --outputs-file` writes for the stack: outputs nested by construct path. */
const OUTPUTS = JSON.stringify({
  [env.stackName]: {
    "https-frontend": {
      "dns-records": [`${env.domain.tagging}. 300 IN A ${LB_IP}`, `${env.domain.preview}. 300 IN A ${LB_IP}`],
      "ip-address": LB_IP,
    },
  },
});

interface Run extends TestRunDeps {
  readonly exitCode: number;
  readonly record: RunRecord;
  readonly markdown: string;
  readonly json: string;
  readonly state?: RunState;
}

interface RunOptions {
  readonly request?: Partial<AcceptanceRequest>;
  /** The token the run reads from `--token-secret` (then no token variable is set in the shell). */
  readonly tokenSecret?: string;
  readonly vars?: NodeJS.ProcessEnv;
  /** Each progress line, with the run's deps (to fire an interrupt). */
  readonly onPrint?: (line: string, t: TestRunDeps) => void;
  /** At each sleep of the waits (1, 2, ...). */
  readonly onSleep?: (count: number, t: TestRunDeps) => void;
}

async function run(root: string, options: RunOptions = {}): Promise<Run> {
  const holder: { t?: TestRunDeps } = {};
  const t = testRunDeps(
    root,
    {
      STANDIN_OUTPUTS: OUTPUTS,
      SGTM_GTM_ROOT_URL: world.gtm.fake.rootUrl,
      ...(options.tokenSecret ? {} : { [TOKEN_VARIABLE]: TOKEN }),
      ...options.vars,
    },
    {
      doctor: () => world.deps(),
      onPrint: (line) => options.onPrint?.(line, holder.t as TestRunDeps),
      tokenFromSecret: async (_env, secretId) =>
        secretId === options.tokenSecret ? new SecretValue(TOKEN) : undefined,
    },
  );
  holder.t = t;
  t.clock.onSleep = (count) => options.onSleep?.(count, t);
  const request: AcceptanceRequest = {
    name: inputs.name,
    inputs: options.tokenSecret ? { ...inputs, tokenSecret: options.tokenSecret } : inputs,
    keep: false,
    cleanup: false,
    waitMinutes: 90,
    ...options.request,
  };
  const result = await runAcceptance(request, t.deps);
  const file = (path: string) => readFileSync(join(root, path), "utf8");
  return {
    ...t,
    exitCode: result.exitCode,
    record: result.record as RunRecord,
    markdown: file(layout.reportMarkdown),
    json: file(layout.reportJson),
    ...(existsSync(join(root, layout.stateFile))
      ? { state: JSON.parse(file(layout.stateFile)) as RunState }
      : {}),
  };
}

const outcomes = (record: RunRecord, phase: string) =>
  Object.fromEntries(record.steps.filter((s) => s.phase === phase).map((s) => [s.id, s.outcome]));

/** The cleanup as it ends: every step passes, `sgtm gtm destroy` included. */
const CLEANED_UP = {
  "retire-environment": "passed",
  "retire-synth": "passed",
  "retire-deploy": "passed",
  "gtm-destroy": "passed",
  destroy: "passed",
};

function expectNoToken(r: Run): void {
  for (const text of [r.printed.join("\n"), r.markdown, r.json]) expect(text).not.toContain(TOKEN);
}

function certificateProvisioning(): void {
  const certificate = world.google.sslCertificates.get(managedCertificateName(env.stackName, env.domain));
  (certificate as { managed: { status: string } }).managed.status = "PROVISIONING";
}

function certificateActive(): void {
  const certificate = world.google.sslCertificates.get(managedCertificateName(env.stackName, env.domain));
  (certificate as { managed: { status: string } }).managed.status = "ACTIVE";
}

describe("a whole acceptance run", () => {
  it("checks, deploys, waits for DNS and doctor, finds both second plans empty, retires and destroys, and reports it", async () => {
    const root = scratchProject();
    // The records resolve after the first DNS wait; the certificate is issued after two doctor rounds.
    const records = new Map(world.dnsRecords);
    world.dnsRecords.clear();
    certificateProvisioning();
    // The token from a secret (as in CI): the shell has no token variable, the run sets it for its commands.
    const r = await run(root, {
      tokenSecret: "sandbox-tiktok-token",
      onSleep: (count) => {
        if (count === 1) for (const [host, ips] of records) world.dnsRecords.set(host, ips);
        if (count === 3) certificateActive();
      },
    });

    expect(outcomes(r.record, "prerequisites")).toEqual({ prerequisites: "passed" });
    expect(outcomes(r.record, "main")).toEqual({
      "write-environment": "passed",
      synth: "passed",
      deploy: "passed",
      dns: "passed",
      doctor: "passed",
      "cdktf-plan": "passed",
      "gtm-plan": "passed",
    });
    expect(outcomes(r.record, "cleanup")).toEqual(CLEANED_UP);
    expect(r.exitCode).toBe(0);
    expect(r.record.outcome).toBe("passed");

    // The tools ran in this order, the retire synth on the retired file, the token only where needed.
    expect(cdktfCommands(r.log)).toEqual([
      "--version",
      "synth --output",
      `deploy ${env.stackName}`,
      `diff ${env.stackName}`,
      "synth --output",
      `deploy ${env.stackName}`,
      `destroy ${env.stackName}`,
    ]);
    const cdktf = standInCalls(r.log).filter((c) => c.tool === "cdktf" && c.args?.[0] !== "--version");
    expect(cdktf.map((c) => c.retired)).toEqual([false, false, false, true, true, true]);
    expect(cdktf.map((c) => c.tokenVariable)).toEqual([
      TOKEN_VARIABLE,
      TOKEN_VARIABLE,
      TOKEN_VARIABLE,
      null,
      null,
      null,
    ]);
    expect(cdktf[1].args).toEqual([
      "deploy",
      env.stackName,
      "--skip-synth",
      "--output",
      layout.synthDir,
      "--auto-approve",
      "--outputs-file",
      layout.outputsFile,
    ]);
    expect(standInCalls(r.log).filter((c) => c.tool === "terraform")).toEqual([
      { tool: "terraform", args: ["version", "-json"] },
    ]);

    // Progress: the records to create, each wait's rounds, what doctor waited on.
    expect(r.printed).toContain(`    ${env.domain.tagging}. 300 IN A ${LB_IP}`);
    expect(r.printed.some((l) => /DNS, round 2 at 0 min .*: 2 passed/.test(l))).toBe(true);
    expect(r.printed.some((l) => /doctor, round 1 .*waiting on certificate \(/.test(l))).toBe(true);
    // One test event to TikTok, once everything else passed.
    expect(world.tiktok.requests).toHaveLength(1);
    // The throwaway environment names no web container: the deduplication check has nothing to read.
    expect(r.record.doctor.map((c) => [c.name, c.status])).toEqual(
      CHECK_NAMES.map((name) => [name, name === "gtm-web-dedup" ? "skip" : "pass"]),
    );

    // The report: versions, every step, every doctor check; JSON with the same record.
    expect(r.markdown).toMatch(/^# Acceptance run t1: passed$/m);
    expect(r.markdown).toContain("| 0.21.0 |");
    expect(r.markdown).toContain("| 1.9.8 |");
    expect(r.markdown).toMatch(/\| second GTM plan: no changes \| passed \|/);
    expect(r.markdown).toContain("| `tiktok-test-event` | pass |");
    expect(JSON.parse(r.json)).toMatchObject({
      formatVersion: 1,
      stack: env.stackName,
      outcome: r.record.outcome,
    });
    expect(r.record.versions).toMatchObject({
      cdktf: "0.21.0",
      terraform: "1.9.8",
      terraformProvider: "hashicorp/google 6.50.0",
    });
    expect(r.state?.status).toBe("clean");
    expectNoToken(r);
  });

  it("fails on a doctor check and on a second plan that is not empty, names both in the report, and still cleans up", async () => {
    world.tiktok.answer = tiktokCode(40105, "Access token is incorrect or has been revoked.");
    const r = await run(scratchProject(), {
      vars: { STANDIN_CDKTF: JSON.stringify({ diff: { fixture: "changes" } }) },
    });

    expect(r.exitCode).toBe(1);
    expect(r.record.outcome).toBe("failed");
    // The failed check, with its fix, in the step and in the report's doctor table.
    expect(r.record.steps.find((s) => s.id === "doctor")).toMatchObject({
      outcome: "failed",
      detail: "failing: tiktok-test-event",
    });
    const failed = r.record.doctor.find((c) => c.name === "tiktok-test-event");
    expect(failed).toMatchObject({ status: "fail", detail: expect.stringContaining("40105") });
    expect(failed?.fix).not.toBe("");
    expect(r.markdown).toContain(`| \`tiktok-test-event\` | fail | ${failed?.detail}`);
    expect(r.markdown).toContain(failed?.fix.split("\n")[0]);
    // The plan that was not empty, counted and shown.
    expect(r.record.steps.find((s) => s.id === "cdktf-plan")).toMatchObject({
      outcome: "failed",
      detail: expect.stringMatching(/^not empty: 0 to import, \d+ to add, \d+ to change, \d+ to destroy/),
    });
    expect(r.record.nonEmptyPlans.map((p) => p.step)).toEqual(["cdktf-plan"]);
    expect(r.markdown).toContain("## Not empty: second cdktf plan: nothing to change but the GTM step");
    expect(r.markdown).toMatch(/Plan: \d+ to add/);
    // The GTM plan does not depend on either; the cleanup runs whatever the checks found.
    expect(outcomes(r.record, "main")).toMatchObject({ "gtm-plan": "passed" });
    expect(outcomes(r.record, "cleanup")).toEqual(CLEANED_UP);
    expectNoToken(r);
  });

  it("stops before creating anything when prerequisites fail, with one message and fix each", async () => {
    const root = scratchProject();
    const t = testRunDeps(
      root,
      { STANDIN_TERRAFORM_VERSION: "1.3.9" },
      {
        reads: () =>
          passingReads({
            billingEnabled: async () => false,
            grantedPermissions: async (_p, permissions) =>
              permissions.filter((p) => !p.startsWith("compute.")),
          }),
      },
    );
    const result = await runAcceptance(
      { name: inputs.name, inputs, keep: false, cleanup: false, waitMinutes: 90 },
      t.deps,
    );

    expect(result.exitCode).toBe(1);
    const failing = (result.record as RunRecord).prerequisites.filter((c) => c.status === "fail");
    expect(failing.map((c) => c.name)).toEqual([
      "terraform",
      "billing",
      "deployer-permissions",
      "tiktok-token",
    ]);
    for (const check of failing) expect(check.fix).not.toBe("");
    expect(failing.find((c) => c.name === "deployer-permissions")?.fix).toContain(
      `gcloud projects add-iam-policy-binding ${inputs.project} --member <user:YOU or serviceAccount:EMAIL> --role roles/compute.loadBalancerAdmin`,
    );
    expect(failing.find((c) => c.name === "tiktok-token")?.fix).toContain(`read -rs ${TOKEN_VARIABLE}`);
    // Nothing ran past the version checks, nothing was written but the report.
    expect(cdktfCommands(t.log)).toEqual(["--version"]);
    expect(existsSync(join(root, layout.stateFile))).toBe(false);
    expect(existsSync(join(root, layout.environmentFile))).toBe(false);
    expect((result.record as RunRecord).resources).toBe("none-created");
    expect(readFileSync(join(root, layout.reportMarkdown), "utf8")).toContain("| `billing` | fail |");
  });
});

describe("an interrupted run", () => {
  it("on Ctrl-C during the deploy: one SIGINT reaches the deploy, then the run destroys what it created", async () => {
    const r = await run(scratchProject(), {
      vars: { STANDIN_CDKTF: JSON.stringify({ deploy: { hang: true } }) },
      onPrint: (line, t) => {
        if (line.endsWith("deploy: waiting for an interrupt")) t.interrupts.fire("SIGINT");
      },
    });

    expect(standInCalls(r.log).filter((c) => c.signal)).toEqual([
      { tool: "cdktf", signal: "SIGINT", command: "deploy" },
    ]);
    expect(outcomes(r.record, "main")).toEqual({
      "write-environment": "passed",
      synth: "passed",
      deploy: "interrupted",
      dns: "skipped",
      doctor: "skipped",
      "cdktf-plan": "skipped",
      "gtm-plan": "skipped",
    });
    expect(outcomes(r.record, "cleanup")).toEqual(CLEANED_UP);
    expect(r.record.outcome).toBe("interrupted");
    expect(r.exitCode).toBe(1);
    expect(r.printed).toContain(
      "SIGINT: stopping the current step, then destroying what the run created (SIGINT again stops that too)",
    );
  });

  it("with --keep: stops, keeps the environment with the commands to clean it up, and a second run cleans up", async () => {
    const root = scratchProject();
    certificateProvisioning();
    const first = await run(root, {
      request: { keep: true },
      onSleep: (count, t) => {
        if (count === 1) t.interrupts.fire("SIGINT");
      },
    });
    expect(outcomes(first.record, "main")).toMatchObject({
      deploy: "passed",
      doctor: "interrupted",
      "gtm-plan": "skipped",
    });
    expect(outcomes(first.record, "cleanup")).toEqual({});
    expect(first.record.resources).toBe("kept");
    expect(first.state).toMatchObject({ status: "running", created: true });
    expect(first.record.manualCleanup[0]).toMatch(/^node bin\/sgtm\.js acceptance --name t1 --cleanup/);
    const before = cdktfCommands(first.log).length;
    expect(first.markdown).toContain(
      `npx cdktf destroy ${env.stackName} --skip-synth --output ${layout.synthDir} --auto-approve`,
    );

    // Only --name: the run's folder says the rest.
    const second = await run(root, { request: { cleanup: true, inputs: undefined } });
    expect(cdktfCommands(second.log).slice(before)).toEqual([
      "--version",
      "synth --output",
      `deploy ${env.stackName}`,
      `destroy ${env.stackName}`,
    ]);
    expect(outcomes(second.record, "main")).toEqual({});
    expect(outcomes(second.record, "cleanup")).toEqual(CLEANED_UP);
    expect(second.record.resources).toBe("destroyed");
  });

  it("picks up where an interrupted run stopped: the steps that passed are not run again", async () => {
    const root = scratchProject();
    certificateProvisioning();
    await run(root, {
      request: { keep: true },
      onSleep: (count, t) => {
        if (count === 1) t.interrupts.fire("SIGINT");
      },
    });
    certificateActive();
    const second = await run(root);

    expect(outcomes(second.record, "main")).toEqual({
      "write-environment": "passed",
      synth: "passed-earlier",
      deploy: "passed-earlier",
      dns: "passed-earlier",
      doctor: "passed",
      "cdktf-plan": "passed",
      "gtm-plan": "passed",
    });
    // One deploy of the live environment in both runs together; the second one's is the retire deploy.
    const deploys = standInCalls(second.log).filter((c) => c.args?.[0] === "deploy");
    expect(deploys.map((c) => c.retired)).toEqual([false, true]);
    expect(second.printed).toContain(
      "  picking up run t1: steps that passed in the earlier run are not run again",
    );
  });

  it("--cleanup from the flags alone (another machine, state in the bucket): no retired deploy, which would create it all", async () => {
    const root = scratchProject();
    const r = await run(root, {
      request: { cleanup: true, inputs: { ...inputs, stateBucket: "sandbox-tfstate" } },
    });
    expect(cdktfCommands(r.log)).toEqual(["--version", "synth --output", `destroy ${env.stackName}`]);
    expect(outcomes(r.record, "cleanup")).toEqual({ ...CLEANED_UP, "retire-deploy": "not-needed" });
    expect(r.record.resources).toBe("destroyed");
    expect(r.record.steps.find((s) => s.id === "retire-deploy")?.detail).toBe(
      "no record of this run here: cdktf destroy removes what its state holds",
    );
  });

  it("refuses a second run of the same name with other flags", async () => {
    const root = scratchProject();
    await run(root, {
      request: { keep: true },
      vars: { STANDIN_CDKTF: JSON.stringify({ deploy: { hang: true } }) },
      onPrint: (line, t) => {
        if (line.endsWith("deploy: waiting for an interrupt")) t.interrupts.fire();
      },
    });
    await expect(
      run(root, { request: { inputs: { ...inputs, project: "sgtm-sandbox-2" } } }),
    ).rejects.toThrow("run t1 was started with --project sgtm-sandbox-1, not sgtm-sandbox-2");
  });
});
