import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import pc from "picocolors";
import { configJsonSchema } from "../config/json-schema";
import { findEnvironmentFiles, loadEnvironments } from "../config/load";
import type { EnvironmentConfig } from "../config/model";
import { UserError } from "./run";

export function configDirOf(program: Command): string {
  return (program.opts() as { configDir: string }).configDir;
}

/** Loads every environment (or the given files); throws ConfigError listing all problems. */
export function loadAll(program: Command, files?: readonly string[]): EnvironmentConfig[] {
  const paths = files && files.length > 0 ? files : findEnvironmentFiles(configDirOf(program));
  if (paths.length === 0)
    throw new UserError(`no environment files found under ${configDirOf(program)}/<client>/<env>.yaml`);
  return loadEnvironments(paths);
}

/** The environment named `<client>-<env>`, with the list of known names when it does not exist. */
export function loadOne(program: Command, stackName: string): EnvironmentConfig {
  const all = loadAll(program);
  const found = all.find((e) => e.stackName === stackName);
  if (!found) {
    throw new UserError(`no environment ${stackName} (known: ${all.map((e) => e.stackName).join(", ")})`);
  }
  return found;
}

export function registerConfigCommands(program: Command): void {
  program
    .command("validate")
    .description("validate environment files (default: all under --config-dir)")
    .argument("[files...]", "environment files")
    .action((files: string[]) => {
      const envs = loadAll(program, files);
      for (const env of envs) {
        process.stdout.write(
          `${pc.green("ok")} ${env.stackName} (${env.tier}) ${env.sourceFiles.join(" + ")}\n`,
        );
      }
    });

  program
    .command("schema")
    .description("print the JSON Schema of config files (--write updates <config-dir>/schema.json)")
    .option("--write", "write <config-dir>/schema.json")
    .option("--check", "fail when <config-dir>/schema.json is out of date")
    .action((opts: { write?: boolean; check?: boolean }) => {
      const path = join(configDirOf(program), "schema.json");
      const text = configJsonSchema();
      if (opts.write) writeFileSync(path, text);
      else if (opts.check) {
        if (readFileSync(path, "utf8") !== text)
          throw new UserError(`${path} is out of date: run npm run schema`);
      } else process.stdout.write(text);
    });
}
