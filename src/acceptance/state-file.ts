/** The run's state file (`run.json`), read and written; what it holds is `RunState` (record.ts). */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { UserError } from "../errors/report";
import { type RunState, recordedInputs, type StepRecord } from "./record";
import type { AcceptancePlan } from "./steps";

/**
 * The state an earlier run left (undefined: none). One that cannot be read is not taken for "nothing
 * was created": the run stops, and `--cleanup` (which does not need it) is the way on.
 */
export function readState(
  root: string,
  stateFile: string,
  options: { readonly lenient?: boolean } = {},
): RunState | undefined {
  const path = join(root, stateFile);
  if (!existsSync(path)) return undefined;
  let state: RunState | undefined;
  try {
    state = JSON.parse(readFileSync(path, "utf8")) as RunState;
  } catch (error) {
    state = undefined;
    if (!options.lenient) {
      throw new UserError(
        `${stateFile} cannot be read (${(error as Error).message}): the earlier run may have left resources. Clean it up with \`sgtm acceptance --name <name> --cleanup\` (it reads the environment from the run's folder)`,
      );
    }
  }
  return state?.formatVersion === 1 ? state : undefined;
}

/** Written beside and renamed: an interrupted write never leaves half a file. */
export function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** The state after the steps so far: the main steps that passed now, or in the run it picked up. */
export function runState(facts: {
  readonly plan: AcceptancePlan;
  readonly status: RunState["status"];
  readonly created: boolean;
  readonly passedEarlier: RunState["passed"];
  readonly steps: readonly StepRecord[];
  readonly doctor: RunState["doctor"];
  readonly now: number;
}): RunState {
  const passedNow = facts.steps
    .filter((s) => s.phase === "main" && s.outcome === "passed" && s.id !== "prerequisites")
    .map((s) => [s.id, { startedAt: s.startedAt ?? "", seconds: s.seconds ?? 0 }]);
  return {
    formatVersion: 1,
    name: facts.plan.inputs.name,
    stack: facts.plan.layout.stack,
    inputs: recordedInputs(facts.plan.inputs),
    status: facts.status,
    created: facts.created,
    passed: { ...facts.passedEarlier, ...Object.fromEntries(passedNow) },
    doctor: facts.doctor,
    updatedAt: new Date(facts.now).toISOString(),
  };
}
