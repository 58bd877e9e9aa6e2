/**
 * `sgtm`: a thin shell. Parses arguments, calls the library, prints, sets the exit code.
 * Expected failures (bad config, refused plans) print their message and exit 1, never a stack trace.
 */
import { buildProgram } from "./program";
import { reportCliError, runCli } from "./run";

// Client libraries can reject a promise nobody awaits (e.g. credential lookups): report it the same way.
process.on("unhandledRejection", (error) => {
  process.exitCode = reportCliError(error);
});

// gcp-metadata warns when it probes for a metadata server off Google Cloud; the CLI already explains
// missing credentials itself, so that line is noise. Every other warning is still printed.
process.removeAllListeners("warning");
process.on("warning", (warning) => {
  if (warning.name !== "MetadataLookupWarning") process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

void runCli(buildProgram(), process.argv);
