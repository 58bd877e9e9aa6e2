/**
 * Merges a client's defaults file with one environment file, then: required keys -> the cross-field rules
 * (rules/, one file each, the event map among them) -> assemble (assemble.ts, defaults applied).
 * Each problem names the file that supplied the value (or, for a missing key, both candidate files).
 */
import { assembleEnvironment } from "./assemble";
import { REQUIRED_KEYS } from "./defaults";
import { type ConfigProblem, looksSecret, redacted } from "./errors";
import type { EnvironmentConfig } from "./model";
import { CONFIG_RULES, STACK_NAME_RULES } from "./rules";
import type { RuleContext, RuleFinding } from "./rules/rule";
import type { ConfigFile } from "./schema";
import type { KeyPath, SourceFile } from "./source";
import { dotted, valueAt } from "./validate-file";

export interface ResolveInput {
  readonly client: string;
  readonly environment: string;
  readonly clientFile?: SourceFile;
  readonly environmentFile: SourceFile;
  /**
   * Key paths whose values the schema already rejected (and `sanitized` removed): problems at or under
   * them are not reported twice, so a file's schema and cross-field problems come out together.
   */
  readonly reportedPaths?: ReadonlySet<string>;
}

/** Secret-looking values anywhere in a file (known keys or not): they belong in Secret Manager. */
export function secretProblems(file: SourceFile): ConfigProblem[] {
  return file
    .strings()
    .filter(({ value }) => looksSecret(value))
    .map(({ path, value }) => ({
      file: file.path,
      ...file.locate(path),
      path: dotted(path),
      message: "this looks like a pasted access token or container config; secret values never go in config",
      got: redacted(value),
      fix: "delete it and add the value to Secret Manager (`npx sgtm secrets --env <client>-<env>` prints the commands)",
    }));
}

export function resolveEnvironment(input: ResolveInput): {
  config?: EnvironmentConfig;
  problems: ConfigProblem[];
} {
  const { clientFile, environmentFile: envFile } = input;
  const files = clientFile ? [clientFile, envFile] : [envFile];
  const merged = mergeFiles(clientFile?.data as ConfigFile | undefined, envFile.data as ConfigFile);
  const ctx: RuleContext = {
    client: input.client,
    environment: input.environment,
    stackName: `${input.client}-${input.environment}`,
    merged,
  };
  const place = placer(input, files);

  // A required value the schema rejected is missing too: stop before the value rules, but it was reported
  // already. The name rules need no value, so their problems come out with the missing keys.
  const missing = REQUIRED_KEYS.filter((key) => valueAt(merged, key.split(".")) === undefined);
  const problems = [
    ...missing.flatMap(place.missingKey),
    ...place.findings(STACK_NAME_RULES.flatMap((rule) => rule(ctx))),
  ];
  if (problems.length > 0 || missing.length > 0) return { problems };

  const findings = CONFIG_RULES.flatMap((rule) => rule(ctx));
  const ruleProblems = place.findings(findings.filter((f) => f.severity !== "warning"));
  const warnings = place.findings(findings.filter((f) => f.severity === "warning"));
  // Warnings come out with the errors (labelled), so one run shows everything there is to fix.
  if (ruleProblems.length > 0) return { problems: [...ruleProblems, ...warnings] };
  return {
    config: assembleEnvironment(
      ctx,
      files.map((f) => f.path),
      warnings,
    ),
    problems: [],
  };
}

/**
 * Places problems in the file that supplied the value (most specific first), and drops those at or under
 * a path the schema rejected already. A missing key, or one about the whole environment, goes on the
 * environment file.
 */
function placer(input: ResolveInput, files: readonly SourceFile[]) {
  const { clientFile, environmentFile: envFile } = input;
  const rejected = [...(input.reportedPaths ?? [])];
  const alreadyReported = (path: string) =>
    rejected.some((r) => path === r || path.startsWith(`${r}.`) || r.startsWith(`${path}.`));
  const origin = (path: KeyPath): SourceFile => [...files].reverse().find((f) => f.has(path)) ?? envFile;
  return {
    missingKey: (key: string): ConfigProblem[] =>
      alreadyReported(key)
        ? []
        : [
            {
              file: envFile.path,
              ...envFile.locate(key.split(".")),
              path: key,
              message: "required key is missing",
              fix: `set \`${key}\` in ${envFile.path}${clientFile ? ` or in ${clientFile.path}` : ""}`,
            },
          ],
    findings: (findings: readonly RuleFinding[]): ConfigProblem[] =>
      findings.flatMap(({ path, ...details }) => {
        if (path.length === 0) return [{ file: envFile.path, line: 1, col: 1, path: "", ...details }];
        if (alreadyReported(dotted(path))) return [];
        const file = origin(path);
        return [{ file: file.path, ...file.locate(path), path: dotted(path), ...details }];
      }),
  };
}

/** Keys whose value the most specific file replaces whole (a map of events, a union of backends). */
export const REPLACED_WHOLE = new Set(["tiktok.events", "backend", "domain.dnsZone"]);

/** Deep merge, most specific last (documented precedence). */
export function mergeFiles(client: ConfigFile | undefined, env: ConfigFile): ConfigFile {
  return deepMerge(client ?? {}, env, "") as ConfigFile;
}

function deepMerge(base: unknown, override: unknown, path: string): unknown {
  if (override === undefined) return base;
  if (REPLACED_WHOLE.has(path) || !isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    out[key] = deepMerge(base[key], value, path ? `${path}.${key}` : key);
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
