/**
 * The only module that reads config files. Layout: `config/<client>/client.yaml` (client defaults,
 * optional) and `config/<client>/<env>.yaml` (one per environment, stack `<client>-<env>`).
 * Every file is checked and every problem reported at once; nothing is returned unless all are valid.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve as resolvePath } from "node:path";
import { ConfigError, type ConfigProblem } from "./errors";
import type { EnvironmentConfig } from "./model";
import { resolveEnvironment } from "./resolve";
import { parseSource, type SourceFile } from "./source";
import { validateFile } from "./validate-file";

export const CLIENT_DEFAULTS_FILE = "client.yaml";
const YAML_FILE = /\.ya?ml$/;

/** Environment files under `configDir`, sorted (deterministic stack order). */
export function findEnvironmentFiles(configDir: string): string[] {
  if (!existsSync(configDir)) return [];
  const files: string[] = [];
  for (const client of readdirSync(configDir).sort()) {
    const dir = join(configDir, client);
    if (!statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir).sort()) {
      if (YAML_FILE.test(name) && name !== CLIENT_DEFAULTS_FILE) files.push(join(dir, name));
    }
  }
  return files;
}

/** Loads and validates environment files; throws ConfigError with every problem of every file. */
export function loadEnvironments(envFiles: readonly string[], cwd = process.cwd()): EnvironmentConfig[] {
  const problems: ConfigProblem[] = [];
  const configs: EnvironmentConfig[] = [];
  const clientFiles = new Map<string, { file?: SourceFile; problems: ConfigProblem[] }>();
  const stackFiles = new Map<string, string>();

  for (const envPath of envFiles) {
    const shown = relative(cwd, resolvePath(envPath)) || envPath;
    const clientDir = dirname(resolvePath(envPath));
    const client = basename(clientDir);
    const environment = basename(envPath).replace(YAML_FILE, "");
    const stackName = `${client}-${environment}`;
    const previous = stackFiles.get(stackName);
    if (previous !== undefined) {
      problems.push({
        file: shown,
        line: 1,
        col: 1,
        path: "",
        message: `this file produces stack ${stackName}, like ${previous}`,
        got: stackName,
        allowed: "one file per stack name",
        fix: "rename or remove one of the two files",
      });
      continue;
    }
    stackFiles.set(stackName, shown);

    const clientPath = join(clientDir, CLIENT_DEFAULTS_FILE);
    if (!clientFiles.has(clientPath)) {
      clientFiles.set(clientPath, existsSync(clientPath) ? readSource(clientPath, cwd) : { problems: [] });
    }
    const clientSource = clientFiles.get(clientPath) as { file?: SourceFile; problems: ConfigProblem[] };
    const envSource = existsSync(envPath)
      ? readSource(envPath, cwd)
      : {
          problems: [
            { file: shown, line: 1, col: 1, path: "", message: "file not found", fix: "check the path" },
          ],
        };
    if (!envSource.file || clientSource.problems.length > 0) {
      problems.push(...envSource.problems);
      continue;
    }
    const result = resolveEnvironment({
      client,
      environment,
      clientFile: clientSource.file,
      environmentFile: envSource.file,
    });
    problems.push(...result.problems);
    if (result.config) configs.push(result.config);
  }
  // Client-file problems once per client, not once per environment.
  for (const { problems: clientProblems } of clientFiles.values()) problems.push(...clientProblems);
  if (problems.length > 0) throw new ConfigError(problems);
  return configs;
}

function readSource(path: string, cwd: string): { file?: SourceFile; problems: ConfigProblem[] } {
  const shown = relative(cwd, resolvePath(path)) || path;
  const parsed = parseSource(shown, readFileSync(path, "utf8"));
  if (!parsed.file) return parsed;
  const problems = validateFile(parsed.file);
  return problems.length > 0 ? { problems } : parsed;
}
