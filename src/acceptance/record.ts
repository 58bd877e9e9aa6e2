/**
 * What a run did: the record the report is rendered from (`acceptance-report.md` and `.json`), and the
 * state a second run with the same name picks up from (`run.json`). Pure data and the decision of how a
 * run starts given the state an earlier one left.
 */
import type { CheckResult } from "../doctor/types";
import { type AcceptanceInputs, RECORDED_INPUTS } from "./inputs";
import { type AcceptancePlan, manualCleanup, renderCommand, type StepId } from "./steps";

export type Phase = "prerequisites" | "main" | "cleanup";

/**
 * `passed-earlier`: passed in an earlier run of the same name, not run again. `not-needed`: nothing for
 * it to do (no outcome against the run). `skipped`: a step it needs did not pass, or the run was stopped.
 */
export type StepOutcome = "passed" | "failed" | "skipped" | "interrupted" | "passed-earlier" | "not-needed";

export interface StepRecord {
  readonly id: StepId | "prerequisites";
  readonly title: string;
  readonly phase: Phase;
  readonly outcome: StepOutcome;
  /** ISO time the step started (for `passed-earlier`, in the earlier run). */
  readonly startedAt?: string;
  readonly seconds?: number;
  /** One line: what it saw, or why it failed or was skipped. */
  readonly detail?: string;
  /** The end of the command's output, when it failed or showed a plan that was not empty. */
  readonly output?: string;
}

export interface Versions {
  readonly kit: string;
  /** The kit's git commit (12 characters), when the project is a git checkout. */
  readonly kitCommit?: string;
  readonly cdktf?: string;
  /** `@cdktf/provider-google` and the Terraform provider it was generated from. */
  readonly providerBinding: string;
  readonly terraformProvider: string;
  readonly terraform?: string;
  readonly node: string;
}

export type RunOutcome = "passed" | "failed" | "interrupted";

/** What is left in the project after the run. */
export type Resources = "none-created" | "destroyed" | "kept" | "may-remain";

export interface RunRecord {
  readonly formatVersion: 1;
  readonly name: string;
  readonly stack: string;
  readonly project: string;
  readonly domain: string;
  readonly container: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly outcome: RunOutcome;
  readonly resources: Resources;
  readonly versions: Versions;
  readonly prerequisites: readonly CheckResult[];
  readonly steps: readonly StepRecord[];
  /** The last doctor round (every check, with its fix). */
  readonly doctor: readonly CheckResult[];
  /** The plans that were not empty: the second cdktf plan, the second GTM plan. */
  readonly nonEmptyPlans: readonly {
    readonly step: StepId;
    readonly title: string;
    readonly output: string;
  }[];
  /** Commands that clean up by hand, when something may remain (or was kept). */
  readonly manualCleanup: readonly string[];
  readonly notes: readonly string[];
}

export type RecordedInputs = Partial<Pick<AcceptanceInputs, (typeof RECORDED_INPUTS)[number]>>;

/**
 * `run.json`. `running`: the main steps started and the cleanup did not (interrupted, killed, or
 * failed with --keep); `cleaning`: the cleanup started and did not finish; `kept`: the main steps
 * ended and --keep kept the resources; `clean`: nothing of the run remains (destroyed, or never created).
 */
export interface RunState {
  readonly formatVersion: 1;
  readonly name: string;
  readonly stack: string;
  readonly inputs: RecordedInputs;
  readonly status: "running" | "cleaning" | "kept" | "clean";
  /** A deploy started: resources may exist. */
  readonly created: boolean;
  /** Main steps that passed, with when and how long. */
  readonly passed: Readonly<
    Partial<Record<StepId, { readonly startedAt: string; readonly seconds: number }>>
  >;
  readonly doctor: readonly CheckResult[];
  readonly updatedAt: string;
}

export function recordedInputs(inputs: AcceptanceInputs): RecordedInputs {
  return Object.fromEntries(
    RECORDED_INPUTS.filter((key) => inputs[key] !== undefined).map((key) => [key, inputs[key]]),
  ) as RecordedInputs;
}

export type Start =
  | { readonly kind: "fresh" }
  /** Continue the main steps at the first one that did not pass. */
  | { readonly kind: "pick-up"; readonly state: RunState }
  /** Retire and destroy only (asked with --cleanup, or an earlier cleanup did not finish). */
  | { readonly kind: "cleanup"; readonly state?: RunState; readonly reason: string }
  | { readonly kind: "nothing-to-do"; readonly message: string }
  | { readonly kind: "refused"; readonly message: string };

/** How a run with this name starts, given what an earlier one left (`state`). */
export function decideStart(
  state: RunState | undefined,
  request: { readonly cleanup: boolean; readonly inputs?: RecordedInputs; readonly name: string },
): Start {
  const different = state && request.inputs ? differingInput(state.inputs, request.inputs) : undefined;
  if (different) {
    return {
      kind: "refused",
      message:
        `run ${request.name} was started with ${different.flag} ${different.before ?? "(none)"}, not ${different.now ?? "(none)"}: ` +
        `a second run with the same name picks up the first one. Use another --name, or clean the first one up: ` +
        `sgtm acceptance --name ${request.name} --cleanup`,
    };
  }
  if (request.cleanup) {
    if (state?.status === "clean" || state?.created === false) {
      return {
        kind: "nothing-to-do",
        message: `run ${request.name} left nothing behind: nothing to clean up`,
      };
    }
    return { kind: "cleanup", ...(state ? { state } : {}), reason: "asked with --cleanup" };
  }
  if (!state || state.status === "clean") return { kind: "fresh" };
  if (state.status === "cleaning") {
    return {
      kind: "cleanup",
      state,
      reason: `the cleanup of the earlier run ${request.name} did not finish`,
    };
  }
  return { kind: "pick-up", state };
}

const FLAG_OF_INPUT: Record<(typeof RECORDED_INPUTS)[number], string> = {
  project: "--project",
  region: "--region",
  domain: "--domain",
  gtmAccount: "--gtm-account",
  gtmContainer: "--gtm-container",
  pixel: "--pixel",
  testEventCode: "--test-event-code",
  dnsZone: "--dns-zone",
  stateBucket: "--state-bucket",
};

function differingInput(
  before: RecordedInputs,
  now: RecordedInputs,
): { flag: string; before?: string; now?: string } | undefined {
  const key = RECORDED_INPUTS.find((k) => before[k] !== now[k]);
  return key === undefined ? undefined : { flag: FLAG_OF_INPUT[key], before: before[key], now: now[key] };
}

export interface RunFacts {
  readonly plan: AcceptancePlan;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** What the state file says now (this run's last write, else the earlier run's). */
  readonly status: RunState["status"] | undefined;
  readonly created: boolean;
  /** The cleanup ran (a cleanup from the flags alone does not know whether anything was created). */
  readonly cleanupRan: boolean;
  readonly keep: boolean;
  readonly interrupted: boolean;
  readonly versions: Versions;
  readonly prerequisites: RunRecord["prerequisites"];
  readonly steps: RunRecord["steps"];
  readonly doctor: RunRecord["doctor"];
  readonly nonEmptyPlans: RunRecord["nonEmptyPlans"];
  readonly notes: readonly string[];
}

/** The report's record: the outcome, what is left in the project, and how to clean it up by hand. */
export function runRecord(facts: RunFacts): RunRecord {
  const { inputs, layout } = facts.plan;
  const resources: Resources =
    !facts.created && !facts.cleanupRan
      ? "none-created"
      : facts.status === "clean"
        ? "destroyed"
        : facts.status === "kept" || facts.keep
          ? "kept"
          : "may-remain";
  const failed = facts.steps.some((s) => s.outcome === "failed" || s.outcome === "skipped");
  const doctor = facts.plan.main.find((step) => step.kind === "doctor");
  const notes = [
    ...facts.notes,
    ...(resources === "kept" && doctor?.kind === "doctor"
      ? [`the environment is kept: check it again with \`${renderCommand(doctor.equivalent)}\``]
      : []),
    ...(inputs.pixel
      ? []
      : ["no --pixel: TikTok was not part of this run (placeholder pixel and token; no test event)"]),
    ...(facts.created
      ? [
          `bootstrap added https://${inputs.domain} to the container's server container URLs; the run leaves it there (GTM > Admin > Container Settings)`,
        ]
      : []),
  ];
  return {
    formatVersion: 1,
    name: inputs.name,
    stack: layout.stack,
    project: inputs.project,
    domain: inputs.domain,
    container: `accounts/${inputs.gtmAccount}/containers/${inputs.gtmContainer}`,
    startedAt: facts.startedAt,
    finishedAt: facts.finishedAt,
    outcome: facts.interrupted ? "interrupted" : failed ? "failed" : "passed",
    resources,
    versions: facts.versions,
    prerequisites: facts.prerequisites,
    steps: facts.steps,
    doctor: facts.doctor,
    nonEmptyPlans: facts.nonEmptyPlans,
    manualCleanup: resources === "kept" || resources === "may-remain" ? manualCleanup(facts.plan) : [],
    notes,
  };
}
