/**
 * `sgtm`: a thin shell. Parses arguments, calls the library, prints, sets the exit code.
 * Expected failures (bad config, refused plans) print their message and exit 1, never a stack trace.
 */
import { buildProgram } from "./program";
import { runCli } from "./run";

void runCli(buildProgram(), process.argv);
