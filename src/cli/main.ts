/**
 * `sgtm`: a thin shell. Parses arguments, calls the library, prints, sets the exit code.
 * Expected failures (bad config, refused plans) print their message and exit 1, never a stack trace.
 */
import { Command } from "commander";
import { registerConfigCommands } from "./config-commands";
import { registerInfraCommands } from "./infra-commands";
import { runCli } from "./run";

const program = new Command()
  .name("sgtm")
  .description("Server-side GTM + TikTok Events API per client environment")
  .option("--config-dir <dir>", "folder holding <client>/<env>.yaml files", "config")
  .showHelpAfterError();

registerConfigCommands(program);
registerInfraCommands(program);

void runCli(program, process.argv);
