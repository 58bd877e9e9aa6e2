import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import pc from "picocolors";
import { formatProblem } from "../config/errors";
import { configJsonSchema } from "../config/json-schema";
import {
  checkConfigDir,
  findEnvironmentFiles,
  isClientDefaultsFile,
  loadConfigDir,
  loadEnvironments,
  readStackLock,
  renderStackLock,
  STACK_LOCK_FILE,
  stackNameOf,
} from "../config/load";
import type { EnvironmentConfig } from "../config/model";
import { UserError } from "../errors/report";

export function configDirOf(program: Command): string {
  return (program.opts() as { configDir: string }).configDir;
}

/** Loads every environment (or the given files); throws ConfigError listing all problems. */
export function loadAll(program: Command, files?: readonly string[]): EnvironmentConfig[] {
  if (files && files.length > 0) return loadEnvironments(files);
  return loadConfigDir(configDirOf(program));
}

/** `acme-staging (staging, retired) config/acme/client.yaml + config/acme/staging.yaml`. */
export function describeEnvironment(env: EnvironmentConfig): string {
  return `${env.stackName} (${env.tier}${env.retired ? ", retired" : ""}) ${env.sourceFiles.join(" + ")}`;
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
      // A file being added is not an error yet: its stack missing from the lock is a warning here
      // (synth and deploy still refuse it), a recorded stack whose file is gone is an error.
      const { environments: envs, unrecorded } =
        files.length > 0
          ? { environments: loadEnvironments(files), unrecorded: [] }
          : checkConfigDir(configDirOf(program));
      for (const file of files.filter(isClientDefaultsFile)) {
        process.stdout.write(
          `${pc.green("ok")} ${file} (client defaults; each environment is checked with them)\n`,
        );
      }
      for (const env of envs) {
        process.stdout.write(`${pc.green("ok")} ${describeEnvironment(env)}\n`);
      }
      const warnings = [...envs.flatMap((env) => env.warnings), ...unrecorded];
      for (const problem of warnings) {
        process.stderr.write(`${pc.yellow(formatProblem({ ...problem, severity: "warning" }))}\n`);
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

  program
    .command("stacks")
    .description(`list the stacks; --write records them in <config-dir>/${STACK_LOCK_FILE}`)
    .option("--write", `write <config-dir>/${STACK_LOCK_FILE} from the environment files`)
    .action((opts: { write?: boolean }) => {
      const dir = configDirOf(program);
      const names = findEnvironmentFiles(dir).map(stackNameOf);
      if (opts.write) {
        const before = readStackLock(dir) ?? [];
        writeFileSync(join(dir, STACK_LOCK_FILE), renderStackLock(names));
        const removed = before.filter((s) => !names.includes(s));
        for (const stack of removed)
          process.stderr.write(`removed ${stack}: make sure \`npx cdktf destroy ${stack}\` ran first\n`);
      }
      for (const name of [...names].sort()) process.stdout.write(`${name}\n`);
    });
}
