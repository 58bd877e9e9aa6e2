/**
 * `sgtm`: a thin shell. Parses arguments, calls the library, prints, sets the exit code.
 * Expected failures (bad config, refused plans) print their message and exit 1, never a stack trace.
 */
import { scrubOutput } from "../errors/scrub";
import { buildProgram } from "./program";
import { reportCliError, runCli } from "./run";

// For the whole process, not only while the command runs: late rejections and warnings are output too.
scrubOutput();

// Client libraries can reject a promise nobody awaits (e.g. credential lookups): report it the same way.
process.on("unhandledRejection", (error) => {
  process.exitCode = reportCliError(error);
});
// Node would print an uncaught exception (its message, maybe quoting a request) past the scrubber;
// the process is in an unknown state after one, so it ends here.
process.on("uncaughtException", (error) => {
  process.exit(reportCliError(error));
});

// gcp-metadata warns when it probes for a metadata server off Google Cloud; the CLI already explains
// missing credentials itself, so that line is noise. Every other warning is still printed.
process.removeAllListeners("warning");
process.on("warning", (warning) => {
  if (warning.name !== "MetadataLookupWarning") process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

void runCli(buildProgram(), process.argv);
