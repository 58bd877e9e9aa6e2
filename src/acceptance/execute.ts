/**
 * One step, executed: files written, a command run through the injected process runner (its output
 * shown as it comes and judged by the step's check), or one of the two waits. Returns what the record
 * needs; never throws for an expected failure (a command's non-zero exit is the step's outcome).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import type { EnvironmentConfig } from "../config/model";
import type { CheckResult, DoctorDeps } from "../doctor/types";
import type { SecretValue } from "../gtm/client/access-token";
import { readTerraformPlan } from "../review/cdktf-diff";
import { redactText } from "../review/redact";
import type { ProcessRunner } from "./process";
import type { StepOutcome } from "./record";
import type { CommandSpec, Step } from "./steps";
import { dnsRecordsOf, type RunClock, waitForDns, waitForDoctor } from "./waits";

/** Lines of a failed command's output kept in the report. */
export const OUTPUT_TAIL_LINES = 60;

export interface StepEnvironment {
  readonly root: string;
  readonly vars: NodeJS.ProcessEnv;
  readonly processes: ProcessRunner;
  readonly clock: RunClock;
  readonly print: (line: string) => void;
  /** The token and the variable it goes into, for the commands that need it (undefined in a cleanup). */
  readonly token?: { readonly variable: string; readonly value: SecretValue };
  /** The run's environment, for the waits (loaded once the files are written). */
  readonly environment: () => EnvironmentConfig;
  readonly doctor: (env: EnvironmentConfig) => DoctorDeps;
  readonly waitMs: number;
  readonly pollMs: { readonly dns: number; readonly doctor: number };
}

export interface StepResult {
  readonly outcome: StepOutcome;
  readonly detail: string;
  /** The end of the output (a failure, or a plan that was not empty). */
  readonly output?: string;
  /** Set when the step's plan was not empty. */
  readonly nonEmptyPlan?: boolean;
  readonly doctor?: readonly CheckResult[];
}

export async function executeStep(
  step: Step,
  run: StepEnvironment,
  signal: AbortSignal,
): Promise<StepResult> {
  switch (step.kind) {
    case "write":
      for (const file of step.files) {
        const path = join(run.root, file.path);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, file.text);
      }
      return { outcome: "passed", detail: step.files.map((f) => f.path).join(", ") };
    case "command":
      return runCommand(step, run, signal);
    case "dns":
      return dnsStep(step, run, signal);
    case "doctor":
      return doctorStep(run, signal);
  }
}

/** The caller's variables with the project's own tools (node_modules/.bin) last on PATH, as `npx` finds them. */
export function toolEnvironment(run: Pick<StepEnvironment, "root" | "vars">): NodeJS.ProcessEnv {
  return {
    ...run.vars,
    PATH: [run.vars.PATH, join(run.root, "node_modules", ".bin")].filter(Boolean).join(delimiter),
  };
}

/** A command's whole environment: the tools' (above), the step's variables, the token when the run has one. */
export function commandEnvironment(spec: CommandSpec, run: Pick<StepEnvironment, "root" | "vars" | "token">) {
  return {
    ...toolEnvironment(run),
    ...spec.env,
    ...(run.token ? { [run.token.variable]: run.token.value.reveal() } : {}),
  };
}

async function runCommand(
  step: Extract<Step, { kind: "command" }>,
  run: StepEnvironment,
  signal: AbortSignal,
): Promise<StepResult> {
  const result = await run.processes.run(
    { argv: step.command.argv, env: commandEnvironment(step.command, run), cwd: run.root },
    { onLine: (line) => run.print(`  │ ${line}`), signal },
  );
  const tail = () => redactText(result.output).trimEnd().split("\n").slice(-OUTPUT_TAIL_LINES).join("\n");
  if (result.interrupted)
    return { outcome: "interrupted", detail: `stopped (exit ${result.exitCode})`, output: tail() };
  if (step.check === "empty-infrastructure-plan" && result.exitCode === 0) {
    const plan = readTerraformPlan(result.output);
    if (!plan) return { outcome: "failed", detail: "cdktf diff printed no plan summary", output: tail() };
    if (plan.hasChanges) {
      return {
        outcome: "failed",
        detail: `not empty: ${plan.import} to import, ${plan.add} to add, ${plan.change} to change, ${plan.destroy} to destroy (besides the GTM step)`,
        output: tail(),
        nonEmptyPlan: true,
      };
    }
    return {
      outcome: "passed",
      detail: "no changes (the GTM step is replaced on every deploy, docs/adr/0006)",
    };
  }
  if (step.check === "no-gtm-changes" && result.exitCode === 2) {
    return { outcome: "failed", detail: "the GTM plan has changes", output: tail(), nonEmptyPlan: true };
  }
  if (result.exitCode !== 0) return { outcome: "failed", detail: `exit ${result.exitCode}`, output: tail() };
  return { outcome: "passed", detail: step.check === "no-gtm-changes" ? "no changes" : "exit 0" };
}

function waitContext(run: StepEnvironment, signal: AbortSignal, pollMs: number) {
  const env = run.environment();
  return {
    options: {
      env,
      ...(run.token ? { tokenOverride: { token: run.token.value, variable: run.token.variable } } : {}),
    },
    deps: run.doctor(env),
    clock: run.clock,
    signal,
    print: run.print,
    waitMs: run.waitMs,
    pollMs,
  };
}

async function dnsStep(
  step: Extract<Step, { kind: "dns" }>,
  run: StepEnvironment,
  signal: AbortSignal,
): Promise<StepResult> {
  const records = readRecords(join(run.root, step.outputsFile));
  if (step.dnsZone) run.print(`  the stack created the records in Cloud DNS zone ${step.dnsZone}:`);
  else
    run.print(
      "  create these records at the domain's DNS host (or run with --dns-zone to have the stack create them):",
    );
  for (const record of records) run.print(`    ${record}`);
  if (records.length === 0) run.print("    (the deploy's outputs hold none: see `npx cdktf output`)");
  const minutes = Math.round(run.waitMs / 60_000);
  run.print(
    `  waiting until both hosts resolve to the load balancer (a check every ${run.pollMs.dns / 1000} s, up to ${minutes} min)`,
  );
  const result = await waitForDns(waitContext(run, signal, run.pollMs.dns));
  return { outcome: result.outcome, detail: result.detail };
}

async function doctorStep(run: StepEnvironment, signal: AbortSignal): Promise<StepResult> {
  run.print(
    "  the managed certificate is issued only once DNS points at the load balancer: that often takes 15 to 60 minutes; progress below",
  );
  const result = await waitForDoctor(waitContext(run, signal, run.pollMs.doctor));
  return { outcome: result.outcome, detail: result.detail, doctor: result.results };
}

/** The records in the deploy's outputs file; none when it is missing or not JSON (the wait still runs). */
function readRecords(outputsFile: string): string[] {
  if (!existsSync(outputsFile)) return [];
  try {
    return dnsRecordsOf(JSON.parse(readFileSync(outputsFile, "utf8")));
  } catch {
    return [];
  }
}
