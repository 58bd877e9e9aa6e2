/**
 * How an expected failure reaches the user: its message on stderr and an exit code, never a stack trace.
 * Shared by the CLI and the synth app (stacks/main.ts), so it must not load commander or anything else
 * the synth app does not need; the CLI adds commander's own failures in src/cli/run.ts.
 */
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

/**
 * Prints `error` for the user and returns the exit code, Terraform's way: 1 for any error, expected or
 * not (2 is `plan --detailed-exitcode`'s "changes pending", which a crash must never look like).
 */
export function reportError(error: unknown): number {
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
  else process.stderr.write("(set SGTM_DEBUG=1 to print where it happened)\n");
  return 1;
}
