/**
 * The only module that reads config files. Layout: `config/<client>/client.yaml` (client defaults,
 * optional) and `config/<client>/<env>.yaml` (one per environment, stack `<client>-<env>`).
 * Every file is checked and every problem reported at once; nothing is returned unless all are valid.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve as resolvePath } from "node:path";
import { ConfigError, type ConfigProblem } from "./errors";
import type { EnvironmentConfig } from "./model";
import { resolveEnvironment, secretProblems } from "./resolve";
import { type KeyPath, parseSource, type SourceFile } from "./source";
import { validateFile } from "./validate-file";

export const CLIENT_DEFAULTS_FILE = "client.yaml";
export const STACK_LOCK_FILE = "stacks.lock";
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

/** `config/acme/staging.yaml` -> `acme-staging`. */
export function stackNameOf(envFile: string): string {
  return `${basename(dirname(resolvePath(envFile)))}-${basename(envFile).replace(YAML_FILE, "")}`;
}

export function isClientDefaultsFile(path: string): boolean {
  return basename(path) === CLIENT_DEFAULTS_FILE;
}

/** A file checked on its own: schema problems, secret-looking values, and its data minus what was rejected. */
interface CheckedFile {
  readonly file?: SourceFile;
  readonly problems: readonly ConfigProblem[];
  readonly rejectedPaths: ReadonlySet<string>;
}

/** Loads and validates environment files; throws ConfigError with every problem of every file. */
export function loadEnvironments(envFiles: readonly string[], cwd = process.cwd()): EnvironmentConfig[] {
  const problems: ConfigProblem[] = [];
  const loaded: { config: EnvironmentConfig; files: SourceFile[] }[] = [];
  const clientFiles = new Map<string, CheckedFile>();
  const stackFiles = new Map<string, string>();

  for (const envPath of envFiles) {
    const shown = shownPath(envPath, cwd);
    if (isClientDefaultsFile(envPath)) {
      // `sgtm validate config/acme/client.yaml`: the client defaults alone (no stack).
      const checked = checkFile(envPath, cwd);
      problems.push(...checked.problems);
      continue;
    }
    const clientDir = dirname(resolvePath(envPath));
    const client = basename(clientDir);
    const environment = basename(envPath).replace(YAML_FILE, "");
    const stackName = stackNameOf(envPath);
    const previous = stackFiles.get(stackName);
    if (previous !== undefined) {
      problems.push({
        ...at(shown),
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
      clientFiles.set(
        clientPath,
        existsSync(clientPath) ? checkFile(clientPath, cwd) : { problems: [], rejectedPaths: new Set() },
      );
    }
    const clientCheck = clientFiles.get(clientPath) as CheckedFile;
    const envCheck: CheckedFile = existsSync(envPath)
      ? checkFile(envPath, cwd)
      : {
          problems: [{ ...at(shown), message: "file not found", fix: "check the path" }],
          rejectedPaths: new Set(),
        };
    problems.push(...envCheck.problems);
    if (!envCheck.file || (existsSync(clientPath) && !clientCheck.file)) continue;

    const result = resolveEnvironment({
      client,
      environment,
      clientFile: clientCheck.file,
      environmentFile: envCheck.file,
      reportedPaths: new Set([...clientCheck.rejectedPaths, ...envCheck.rejectedPaths]),
    });
    problems.push(...result.problems);
    if (result.config && envCheck.problems.length === 0 && clientCheck.problems.length === 0) {
      loaded.push({
        config: result.config,
        files: clientCheck.file ? [clientCheck.file, envCheck.file] : [envCheck.file],
      });
    }
  }
  // Client-file problems once per client, not once per environment.
  for (const { problems: clientProblems } of clientFiles.values()) problems.push(...clientProblems);
  problems.push(...sharedResourceProblems(loaded));
  if (problems.length > 0) throw new ConfigError(sortProblems(problems));
  return loaded.map((l) => l.config);
}

/**
 * Every environment under `configDir`, checked against `configDir/stacks.lock` when that file exists:
 * deleting an environment file must not orphan its resources silently, and a new one is recorded on
 * purpose (`sgtm stacks --write`), so the lock's diff shows both in review. Synth and deploy use this:
 * a stack not in the lock yet is refused too, so nothing is deployed before it is recorded.
 */
export function loadConfigDir(configDir: string, cwd = process.cwd()): EnvironmentConfig[] {
  const { environments, configError, removed, unrecorded } = readConfigDir(configDir, cwd);
  if (configError || removed.length > 0 || unrecorded.length > 0) {
    throw new ConfigError(sortProblems([...(configError?.problems ?? []), ...removed, ...unrecorded]));
  }
  return environments;
}

/**
 * `loadConfigDir` for `sgtm validate`: an environment file being added is not an error yet, so a stack
 * missing from the lock comes back in `unrecorded` (to show as a warning) instead of failing. A stack
 * still recorded whose file is gone fails as in `loadConfigDir`.
 */
export function checkConfigDir(
  configDir: string,
  cwd = process.cwd(),
): { environments: EnvironmentConfig[]; unrecorded: ConfigProblem[] } {
  const { environments, configError, removed, unrecorded } = readConfigDir(configDir, cwd);
  if (configError || removed.length > 0) {
    throw new ConfigError(sortProblems([...(configError?.problems ?? []), ...removed]));
  }
  return { environments, unrecorded };
}

function readConfigDir(configDir: string, cwd: string) {
  const files = findEnvironmentFiles(configDir);
  if (files.length === 0) {
    throw new ConfigError([
      {
        ...at(shownPath(configDir, cwd)),
        message: "no environment files found",
        fix: `add ${join(configDir, "<client>", "<env>.yaml")} (see config/acme/ for an example)`,
      },
    ]);
  }
  let environments: EnvironmentConfig[] = [];
  let configError: ConfigError | undefined;
  try {
    environments = loadEnvironments(files, cwd);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    configError = error;
  }
  const stacks = files.map((file) => ({ stack: stackNameOf(file), file }));
  return { environments, configError, ...stackLockProblems(configDir, stacks, cwd) };
}

export function readStackLock(configDir: string): string[] | undefined {
  const path = join(configDir, STACK_LOCK_FILE);
  if (!existsSync(path)) return undefined;
  return parseStackLock(readFileSync(path, "utf8"));
}

/** The stack names of a lock file's text (one a line; `#` starts a comment line). */
export function parseStackLock(text: string): string[] {
  return [...stackLockLines(text).keys()];
}

/** `config/stacks.lock:3`: where the lock under `configDir` records `stack`, for messages (the file alone if it does not). */
export function stackLockLocation(configDir: string, stack: string, cwd = process.cwd()): string {
  const path = join(configDir, STACK_LOCK_FILE);
  const line = existsSync(path) ? stackLockLines(readFileSync(path, "utf8")).get(stack) : undefined;
  return `${shownPath(path, cwd)}${line === undefined ? "" : `:${line}`}`;
}

/** Each stack of a lock file's text with its 1-based line, in file order (the first line when repeated). */
function stackLockLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line.length > 0 && !line.startsWith("#") && !lines.has(line)) lines.set(line, index + 1);
  });
  return lines;
}

export function renderStackLock(stackNames: readonly string[]): string {
  return [
    "# Stacks (<client>-<env>) that own resources. Written by `npx sgtm stacks --write`; review its diff:",
    "# a stack removed here must have been destroyed first (retired: true, cdktf deploy, cdktf destroy).",
    ...[...stackNames].sort(),
    "",
  ].join("\n");
}

/** Stacks the lock records without a file (`removed`), and files whose stack it does not record yet. */
function stackLockProblems(
  configDir: string,
  stacks: readonly { readonly stack: string; readonly file: string }[],
  cwd: string,
): { removed: ConfigProblem[]; unrecorded: ConfigProblem[] } {
  const lockPath = join(configDir, STACK_LOCK_FILE);
  if (!existsSync(lockPath)) return { removed: [], unrecorded: [] };
  const lockLines = stackLockLines(readFileSync(lockPath, "utf8"));
  const locked = [...lockLines.keys()];
  const lockFile = shownPath(lockPath, cwd);
  const present = new Set(stacks.map((s) => s.stack));
  // Each problem points at the stack's own line: its entry in the lock, or its new environment file.
  const removed: ConfigProblem[] = locked
    .filter((stack) => !present.has(stack))
    .map((stack) => ({
      ...at(lockFile),
      line: lockLines.get(stack) ?? 1,
      message: `stack ${stack} is recorded here but has no environment file: its cloud resources would be orphaned`,
      got: stack,
      fix: `restore its file with \`retired: true\`, run \`npx cdktf deploy ${stack}\` then \`npx cdktf destroy ${stack}\`, delete the file and run \`npx sgtm stacks --write\``,
    }));
  const known = new Set(locked);
  const unrecorded: ConfigProblem[] = stacks
    .filter(({ stack }) => !known.has(stack))
    .map(({ stack, file }) => ({
      ...at(shownPath(file, cwd)),
      message: `new stack ${stack} is not recorded in ${lockFile} yet: synth and deploy refuse it until it is`,
      got: stack,
      fix: "run `npx sgtm stacks --write` and commit the lock with the new environment file",
    }));
  return { removed, unrecorded };
}

/**
 * Resources environments must not share: Terraform state (one state for two stacks makes each deploy
 * destroy the other's resources), secrets in one project, hosts (one load balancer per host), and GTM
 * containers (the kit's entity names carry no stack: the second environment's plan would clash with
 * every entity of the first, and each apply would fight the other's).
 */
function sharedResourceProblems(
  loaded: readonly { config: EnvironmentConfig; files: SourceFile[] }[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const claims = new Map<string, { stack: string; file: string }>();
  const claim = (
    key: string,
    what: string,
    keyPath: KeyPath,
    entry: (typeof loaded)[number],
    fix: string,
  ) => {
    const file =
      [...entry.files].reverse().find((f) => f.has(keyPath)) ?? entry.files[entry.files.length - 1];
    const previous = claims.get(key);
    if (!previous) {
      claims.set(key, { stack: entry.config.stackName, file: file.path });
      return;
    }
    problems.push({
      file: file.path,
      ...file.locate(keyPath),
      path: keyPath.join("."),
      message: `${entry.config.stackName} uses the same ${what} as ${previous.stack} (${previous.file})`,
      got: key.slice(key.indexOf(":") + 1),
      allowed: `a ${what} of its own`,
      fix,
    });
  };
  for (const entry of loaded) {
    const { config } = entry;
    const backend = config.backend;
    claim(
      backend.type === "gcs" ? `state:gs://${backend.bucket}/${backend.prefix}` : `state:${backend.path}`,
      "Terraform state",
      backend.type === "gcs" ? ["backend", "prefix"] : ["backend", "path"],
      entry,
      "remove backend.prefix/path from client.yaml (the default carries the stack name) or give each environment its own",
    );
    for (const key of ["tiktokAccessToken", "containerConfig"] as const) {
      claim(
        `secret:${config.gcp.project}/${config.secrets[key]}`,
        "secret",
        ["secrets", key],
        entry,
        "remove the secret id from client.yaml (the default carries the stack name)",
      );
    }
    claim(
      `container:${config.gtm.accountId}/${config.gtm.containerId}`,
      "GTM container",
      ["gtm", "containerId"],
      entry,
      "give each environment a GTM container of its own (gtm.containerId)",
    );
    for (const key of ["tagging", "preview"] as const) {
      claim(
        `host:${config.domain[key]}`,
        "host",
        ["domain", key],
        entry,
        "give each environment its own hosts",
      );
    }
  }
  return problems;
}

function checkFile(path: string, cwd: string): CheckedFile {
  const shown = shownPath(path, cwd);
  const parsed = parseSource(shown, readFileSync(path, "utf8"));
  if (!parsed.file) return { problems: parsed.problems, rejectedPaths: new Set() };
  const checked = validateFile(parsed.file);
  const file: SourceFile = { ...parsed.file, data: checked.sanitized };
  return {
    file,
    problems: [...secretProblems(parsed.file), ...checked.problems],
    rejectedPaths: checked.rejectedPaths,
  };
}

function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}

function shownPath(path: string, cwd: string): string {
  return relative(cwd, resolvePath(path)) || path;
}

function at(file: string) {
  return { file, line: 1, col: 1, path: "" };
}
