/**
 * `sgtm`: a thin shell. Parses arguments, calls the library, prints, sets the exit code.
 * Expected failures (bad config, refused plans) print their message and exit 1, never a stack trace.
 */
import { buildProgram } from "./program";
import { reportError, runCli } from "./run";

// Client libraries can reject a promise nobody awaits (e.g. credential lookups): report it the same way.
process.on("unhandledRejection", (error) => {
  process.exitCode = reportError(error);
});

void runCli(buildProgram(), process.argv);
