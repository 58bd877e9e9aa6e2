import { type Command, CommanderError } from "commander";
import pc from "picocolors";
import { ConfigError } from "../config/errors";

/** An expected failure with a message for the user (exit 1, no stack trace). */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "UserError";
  }
}

export async function runCli(program: Command, argv: readonly string[]): Promise<void> {
  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

export function reportError(error: unknown): number {
  // Commander has already printed help or the usage problem.
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof ConfigError) {
    process.stderr.write(`${pc.red(`${error.problems.length} problem(s) in config:`)}\n${error.message}\n`);
    return 1;
  }
  if (error instanceof UserError) {
    process.stderr.write(`${pc.red("error:")} ${error.message}\n`);
    return error.exitCode;
  }
  process.stderr.write(
    `${pc.red("unexpected error:")} ${error instanceof Error ? error.message : String(error)}\n`,
  );
  if (process.env.SGTM_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
  return 2;
}
