/** The run's state file (`run.json`), read and written; what it holds is `RunState` (record.ts). */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { UserError } from "../errors/report";
import type { RunState } from "./record";

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
