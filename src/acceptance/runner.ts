/**
 * Runs an acceptance run: prerequisites, the main steps, then (unless --keep) the cleanup, each step
 * timed and printed as it goes, its outcome saved in the run's state file after every step so a second
 * run with the same name picks up (or cleans up) where this one stopped. Every effect goes through the
 * injected deps: commands through the process runner, doctor's and the prerequisites' remote calls
 * through their interfaces, time through the clock, Ctrl-C through the interrupt source.
 *
 * Interrupts: the first stops the current command (one SIGINT to it) and, unless --keep, destroys what
 * the run created; a second one stops that cleanup too, leaving the state for `--cleanup`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { EnvironmentConfig } from "../config/model";
import { firstLine } from "../doctor/errors";
import { UserError } from "../errors/report";
import { SecretValue } from "../gtm/client/access-token";
import { environmentFiles, placeholderToken } from "./environment";
import { checkEnvironment, inputsFromRunFolder, loadRunEnvironment } from "./environment-load";
import { executeStep, type StepEnvironment, type StepResult, toolEnvironment } from "./execute";
import { runLayout, runNameProblem } from "./inputs";
import { checkPrerequisites } from "./prerequisites";
import {
  decideStart,
  type RunRecord,
  type RunState,
  recordedInputs,
  runRecord,
  type StepRecord,
} from "./record";
import { formatSeconds, renderReportJson, renderReportMarkdown } from "./report";
import {
  type AcceptanceDeps,
  type AcceptanceRequest,
  type AcceptanceResult,
  DEFAULT_POLL_MS,
} from "./run-deps";
import { readState, runState, writeAtomically } from "./state-file";
import { type AcceptancePlan, acceptancePlan, type Step, type StepId } from "./steps";
import { kitCommit, pinnedCdktfVersion, readVersions } from "./versions";

const RESOURCES_IN_SHORT: Record<RunRecord["resources"], string> = {
  "none-created": "nothing was created",
  destroyed: "everything it created is destroyed",
  kept: "the environment is kept (--keep)",
  "may-remain": "resources may remain (the report says how to clean them up)",
};

export async function runAcceptance(
  request: AcceptanceRequest,
  deps: AcceptanceDeps,
): Promise<AcceptanceResult> {
  const nameProblem = runNameProblem(request.name);
  if (nameProblem) throw new UserError(nameProblem);
  const layout = runLayout(request.name);
  const state = readState(deps.root, layout.stateFile, { lenient: request.cleanup });
  const start = decideStart(state, {
    cleanup: request.cleanup,
    name: request.name,
    ...(request.inputs ? { inputs: recordedInputs(request.inputs) } : {}),
  });
  if (start.kind === "refused") throw new UserError(start.message);
  if (start.kind === "nothing-to-do") {
    deps.print(start.message);
    return { exitCode: 0 };
  }
  const inputs = request.inputs ?? inputsFromRunFolder(deps.root, layout);
  if (!inputs) {
    throw new UserError(
      `no run named ${request.name} here (${layout.dir} holds no environment): pass the flags of the run (--project, --domain, --gtm-account, --gtm-container, ...) to clean it up from its Terraform state`,
    );
  }
  const plan = acceptancePlan(inputs, deps.kitCli);
  // Checked before anything runs: a bad flag is reported as that flag.
  const checkedEnv = checkEnvironment(environmentFiles(inputs, layout), layout);
  return new AcceptanceRun(plan, request, deps, state, checkedEnv).run(
    start.kind === "cleanup" ? start.reason : undefined,
  );
}

class AcceptanceRun {
  private readonly steps: StepRecord[] = [];
  private readonly passed = new Set<StepId>();
  private readonly nonEmptyPlans: RunRecord["nonEmptyPlans"][number][] = [];
  private readonly notes: string[] = [];
  private prerequisites: RunRecord["prerequisites"] = [];
  private doctor: RunRecord["doctor"];
  private created: boolean;
  private interrupted = false;
  private phase: "prerequisites" | "main" | "cleanup" = "prerequisites";
  private readonly mainAbort = new AbortController();
  private readonly cleanupAbort = new AbortController();
  private readonly startedAt: string;
  private versions: { terraform?: string; cdktf?: string; kitCommit?: string } = {};
  /** What this run last wrote to the state file. */
  private savedStatus: RunState["status"] | undefined;

  constructor(
    private readonly plan: AcceptancePlan,
    private readonly request: AcceptanceRequest,
    private readonly deps: AcceptanceDeps,
    private readonly earlier: RunState | undefined,
    private readonly env: EnvironmentConfig,
  ) {
    this.created = earlier?.created ?? false;
    this.doctor = earlier?.doctor ?? [];
    this.startedAt = new Date(deps.clock.now()).toISOString();
  }

  async run(cleanupReason: string | undefined): Promise<AcceptanceResult> {
    const { layout, inputs } = this.plan;
    const print = this.deps.print;
    print(
      `sgtm acceptance ${inputs.name}: stack ${layout.stack} in project ${inputs.project}, tagging host ${inputs.domain}`,
    );
    print(`  the run's files and its report: ${layout.dir}/`);
    const stop = this.deps.interrupts.onInterrupt((signal) => this.onInterrupt(signal));
    try {
      if (!(await this.checkPrerequisites(cleanupReason !== undefined))) return this.finish();
      if (cleanupReason === undefined) {
        if (this.earlier)
          print(`  picking up run ${inputs.name}: steps that passed in the earlier run are not run again`);
        await this.main();
        if (!this.created) this.save("clean");
        else if (this.request.keep) this.save(this.interrupted ? "running" : "kept");
        else await this.cleanup();
      } else {
        print(`  cleanup only: ${cleanupReason}`);
        await this.cleanup();
      }
      return this.finish();
    } finally {
      stop();
    }
  }

  private onInterrupt(signal: string): void {
    this.interrupted = true;
    if (this.phase !== "cleanup" && !this.mainAbort.signal.aborted) {
      this.mainAbort.abort();
      this.deps.print(
        this.request.keep || !this.created
          ? `${signal}: stopping the current step; nothing is destroyed (${this.request.keep ? "--keep" : "nothing was created"})`
          : `${signal}: stopping the current step, then destroying what the run created (${signal} again stops that too)`,
      );
    } else if (!this.cleanupAbort.signal.aborted) {
      this.cleanupAbort.abort();
      this.deps.print(
        `${signal} again: stopping the cleanup; run \`sgtm acceptance --name ${this.plan.inputs.name} --cleanup\` to finish it`,
      );
    }
  }

  private async checkPrerequisites(cleanupOnly: boolean): Promise<boolean> {
    const started = this.deps.clock.now();
    this.deps.print(
      `[prerequisites] ${cleanupOnly ? "the tools and the identity the cleanup needs" : "tools, identity, billing, APIs, roles, GTM, token"}`,
    );
    const report = await checkPrerequisites(
      {
        plan: this.plan,
        env: this.env,
        reads: this.deps.reads(this.env),
        // The tools as the steps find them (the project's node_modules/.bin last on PATH).
        tool: (argv) =>
          this.deps.processes.run({ argv, env: toolEnvironment(this.deps), cwd: this.deps.root }),
        exists: (path) => existsSync(join(this.deps.root, path)),
        vars: this.deps.vars,
        pinnedCdktf: this.deps.pinnedCdktf ?? pinnedCdktfVersion(),
      },
      { cleanupOnly },
    );
    this.prerequisites = report.results;
    this.versions = {
      ...report.versions,
      kitCommit: await kitCommit(this.deps.processes, this.deps.root, this.deps.vars),
    };
    for (const result of report.results) {
      this.deps.print(`  ${result.status.padEnd(4)}  ${result.name}  ${result.detail}`);
      if (result.status === "fail")
        for (const line of result.fix.split("\n")) this.deps.print(`        fix: ${line}`);
    }
    const failed = report.results.filter((r) => r.status === "fail").map((r) => r.name);
    this.steps.push({
      id: "prerequisites",
      title: "prerequisites",
      phase: "prerequisites",
      outcome: failed.length > 0 ? "failed" : "passed",
      startedAt: new Date(started).toISOString(),
      seconds: (this.deps.clock.now() - started) / 1000,
      detail:
        failed.length > 0
          ? `failing: ${failed.join(", ")} (the run stopped before its steps)`
          : `${report.results.length} checked`,
    });
    return failed.length === 0 && !this.mainAbort.signal.aborted;
  }

  private async main(): Promise<void> {
    this.phase = "main";
    const run = this.stepEnvironment(await this.token());
    const total = this.plan.main.length;
    for (const [index, step] of this.plan.main.entries()) {
      const earlier = this.earlier?.passed[step.id];
      if (this.mainAbort.signal.aborted) this.skip(step, "main", "not run: the run was interrupted");
      else if (
        earlier &&
        step.kind !== "write" &&
        (step.kind !== "command" || !step.produces || existsSync(join(this.deps.root, step.produces)))
      ) {
        this.passed.add(step.id);
        this.steps.push({
          id: step.id,
          title: step.title,
          phase: "main",
          outcome: "passed-earlier",
          ...earlier,
        });
        this.deps.print(`[${index + 1}/${total}] ${step.title}: passed in the earlier run`);
      } else if (this.blocked(step)) this.skip(step, "main", this.blocked(step) as string);
      else {
        if (step.id === "deploy") {
          this.created = true;
          this.save("running");
        }
        await this.execute(step, run, this.mainAbort.signal, `[${index + 1}/${total}]`, "main");
        this.save("running");
      }
    }
  }

  private async cleanup(): Promise<void> {
    this.phase = "cleanup";
    this.passed.clear();
    this.save("cleaning");
    this.deps.print("[cleanup] retiring and destroying the run's environment");
    const run = this.stepEnvironment(undefined);
    const total = this.plan.cleanup.length;
    for (const [index, step] of this.plan.cleanup.entries()) {
      if (this.cleanupAbort.signal.aborted)
        this.skip(step, "cleanup", "not run: the cleanup was interrupted");
      else if (this.blocked(step)) this.skip(step, "cleanup", this.blocked(step) as string);
      else if (step.onlyIfCreated && !this.created)
        this.skip(
          step,
          "cleanup",
          "no record of this run here: cdktf destroy removes what its state holds",
          "not-needed",
        );
      else
        await this.execute(step, run, this.cleanupAbort.signal, `[cleanup ${index + 1}/${total}]`, "cleanup");
    }
    const all = this.plan.cleanup.every((step) => this.passed.has(step.id));
    if (!this.passed.has("gtm-destroy")) {
      this.notes.push(
        `the kit's tags, triggers and variables may remain in GTM container accounts/${this.env.gtm.accountId}/containers/${this.env.gtm.containerId}: \`sgtm gtm destroy\` did not pass (its output is above; a kit without that command cannot remove them: delete them in GTM, they are named after ${this.plan.layout.stack})`,
      );
    }
    this.save(all ? "clean" : "cleaning");
  }

  /** Why `step` cannot run: a step it needs did not pass in this phase. */
  private blocked(step: Step): string | undefined {
    const missing = step.needs.filter((id) => !this.passed.has(id));
    return missing.length > 0 ? `not run: needs ${missing.join(", ")}, which did not pass` : undefined;
  }

  /**
   * Recorded without running: `skipped` (a step it needs did not pass, or the run was stopped), or
   * `not-needed` (a cleanup from the flags alone: nothing here says what exists, and a staging stack
   * has no deletion protection to lift, so the retired deploy, which would create what does not
   * exist, is left out).
   */
  private skip(
    step: Step,
    phase: "main" | "cleanup",
    detail: string,
    outcome: "skipped" | "not-needed" = "skipped",
  ): void {
    if (outcome === "not-needed") this.passed.add(step.id);
    this.steps.push({ id: step.id, title: step.title, phase, outcome, detail });
  }

  private async execute(
    step: Step,
    run: StepEnvironment,
    signal: AbortSignal,
    label: string,
    phase: "main" | "cleanup",
  ) {
    const started = this.deps.clock.now();
    this.deps.print(`${label} ${step.title}`);
    // A step that throws (an unreadable outputs file, a config that no longer loads) fails, and the
    // run goes on to its cleanup and report instead of stopping with resources and no report.
    const result = await executeStep(step, run, signal).catch(
      (error: unknown): StepResult => ({
        outcome: "failed",
        detail: `the step itself failed: ${firstLine(error)}`,
      }),
    );
    const seconds = (this.deps.clock.now() - started) / 1000;
    const startedAt = new Date(started).toISOString();
    this.steps.push({
      id: step.id,
      title: step.title,
      phase,
      outcome: result.outcome,
      startedAt,
      seconds,
      detail: result.detail,
      ...(result.output && result.outcome !== "passed" ? { output: result.output } : {}),
    });
    this.deps.print(`  ${result.outcome} in ${formatSeconds(seconds)}: ${result.detail}`);
    if (result.outcome === "passed") this.passed.add(step.id);
    if (result.doctor) this.doctor = result.doctor;
    if (result.nonEmptyPlan && result.output)
      this.nonEmptyPlans.push({ step: step.id, title: step.title, output: result.output });
    if (result.outcome === "interrupted") this.interrupted = true;
  }

  private stepEnvironment(token: StepEnvironment["token"]): StepEnvironment {
    let loaded: EnvironmentConfig | undefined;
    return {
      root: this.deps.root,
      vars: this.deps.vars,
      processes: this.deps.processes,
      clock: this.deps.clock,
      print: this.deps.print,
      ...(token ? { token } : {}),
      environment: () => {
        loaded ??= loadRunEnvironment(this.deps.root, this.plan.layout);
        return loaded;
      },
      doctor: this.deps.doctor,
      waitMs: this.request.waitMinutes * 60_000,
      pollMs: this.deps.pollMs ?? DEFAULT_POLL_MS,
    };
  }

  private async token(): Promise<StepEnvironment["token"]> {
    const { inputs, tokenVariable } = this.plan;
    const value = !inputs.pixel
      ? new SecretValue(placeholderToken(inputs.name))
      : inputs.tokenSecret
        ? await this.deps.tokenFromSecret(this.env, inputs.tokenSecret).catch((error: unknown) => {
            throw new UserError(
              `the TikTok token could not be read from secret ${inputs.tokenSecret}: ${firstLine(error)}`,
            );
          })
        : this.deps.vars[tokenVariable]
          ? new SecretValue(this.deps.vars[tokenVariable] as string)
          : undefined;
    return value ? { variable: tokenVariable, value } : undefined;
  }

  private save(status: RunState["status"]): void {
    this.savedStatus = status;
    const state = runState({
      plan: this.plan,
      status,
      created: this.created,
      // A cleanup starts the next run from scratch: what passed before it no longer stands.
      passedEarlier: this.phase === "cleanup" ? {} : (this.earlier?.passed ?? {}),
      steps: this.steps,
      doctor: this.doctor,
      now: this.deps.clock.now(),
    });
    writeAtomically(join(this.deps.root, this.plan.layout.stateFile), `${JSON.stringify(state, null, 2)}\n`);
  }

  private finish(): AcceptanceResult {
    const { layout } = this.plan;
    const record = runRecord({
      plan: this.plan,
      startedAt: this.startedAt,
      finishedAt: new Date(this.deps.clock.now()).toISOString(),
      status: this.savedStatus ?? this.earlier?.status,
      created: this.created,
      cleanupRan: this.phase === "cleanup",
      keep: this.request.keep,
      interrupted: this.interrupted,
      versions: readVersions(this.versions),
      prerequisites: this.prerequisites,
      steps: this.steps,
      doctor: this.doctor,
      nonEmptyPlans: this.nonEmptyPlans,
      notes: this.notes,
    });
    writeAtomically(join(this.deps.root, layout.reportMarkdown), renderReportMarkdown(record));
    writeAtomically(join(this.deps.root, layout.reportJson), renderReportJson(record));
    this.deps.print(
      `${record.outcome}: ${RESOURCES_IN_SHORT[record.resources]}; the report: ${layout.reportMarkdown} (and .json)`,
    );
    return { exitCode: record.outcome === "passed" ? 0 : 1, record };
  }
}
