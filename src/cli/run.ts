import { type Command, CommanderError } from "commander";
import { reportError } from "../errors/report";
import { scrubOutput } from "../errors/scrub";

/** Runs the command with every line it prints scrubbed of secrets (src/errors/scrub.ts). */
export async function runCli(program: Command, argv: readonly string[]): Promise<void> {
  const restore = scrubOutput();
  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    process.exitCode = reportCliError(error);
  } finally {
    restore();
  }
}

/** `reportError`, plus commander's own failures: it has already printed help or the usage problem. */
export function reportCliError(error: unknown): number {
  return error instanceof CommanderError ? error.exitCode : reportError(error);
}
