import { type Command, CommanderError } from "commander";
import { reportError } from "../errors/report";

/** Re-exported for the commands that still import it from here; new code imports src/errors/report. */

export async function runCli(program: Command, argv: readonly string[]): Promise<void> {
  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    process.exitCode = reportCliError(error);
  }
}

/** `reportError`, plus commander's own failures: it has already printed help or the usage problem. */
export function reportCliError(error: unknown): number {
  return error instanceof CommanderError ? error.exitCode : reportError(error);
}
