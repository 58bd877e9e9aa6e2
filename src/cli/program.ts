import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Command } from "commander";
import { registerAcceptanceCommand } from "./acceptance-command";
import { registerConfigCommands } from "./config-commands";
import { registerDedupCommand } from "./dedup-command";
import { registerDemoCommand } from "./demo";
import { registerDoctorCommand } from "./doctor-command";
import { registerFakeCommand } from "./fake-command";
import { registerGtmCommands } from "./gtm-commands";
import { registerInfraCommands } from "./infra-commands";
import { registerReviewCommands } from "./review-commands";

/** The kit's version from its package.json, the nearest one above this file (src/cli/ or dist/src/cli/). */
export function kitVersion(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "sgtm-tiktok-kit" && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) return "unknown";
  }
}

/** The whole `sgtm` command tree (built fresh per call so tests can run commands in-process). */
export function buildProgram(): Command {
  const program = new Command()
    .name("sgtm")
    .description("Server-side GTM + TikTok Events API per client environment")
    .version(kitVersion(), "--version", "print the kit's version")
    .option("--config-dir <dir>", "folder holding <client>/<env>.yaml files", "config")
    .showHelpAfterError()
    .exitOverride();
  registerConfigCommands(program);
  registerInfraCommands(program);
  registerGtmCommands(program);
  registerReviewCommands(program);
  registerDedupCommand(program);
  registerDoctorCommand(program);
  registerAcceptanceCommand(program);
  registerDemoCommand(program);
  registerFakeCommand(program);
  return program;
}
