import { Command } from "commander";
import { registerAcceptanceCommand } from "./acceptance-command";
import { registerConfigCommands } from "./config-commands";
import { registerDemoCommand } from "./demo";
import { registerDoctorCommand } from "./doctor-command";
import { registerFakeCommand } from "./fake-command";
import { registerGtmCommands } from "./gtm-commands";
import { registerInfraCommands } from "./infra-commands";
import { registerReviewCommands } from "./review-commands";

/** The whole `sgtm` command tree (built fresh per call so tests can run commands in-process). */
export function buildProgram(): Command {
  const program = new Command()
    .name("sgtm")
    .description("Server-side GTM + TikTok Events API per client environment")
    .option("--config-dir <dir>", "folder holding <client>/<env>.yaml files", "config")
    .showHelpAfterError()
    .exitOverride();
  registerConfigCommands(program);
  registerInfraCommands(program);
  registerGtmCommands(program);
  registerReviewCommands(program);
  registerDoctorCommand(program);
  registerAcceptanceCommand(program);
  registerDemoCommand(program);
  registerFakeCommand(program);
  return program;
}
