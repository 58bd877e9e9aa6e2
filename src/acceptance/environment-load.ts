/**
 * The run's environment through the kit's own config loader, so the acceptance environment is checked
 * by exactly the rules every environment is. Before anything runs, the generated files are loaded from
 * a scratch folder: a bad flag is then reported as that flag, with its fix, and nothing is written in
 * the run's folder. A cleanup with only `--name` reads the inputs back from the run's folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ConfigError } from "../config/errors";
import { findEnvironmentFiles, loadConfigDir } from "../config/load";
import type { EnvironmentConfig } from "../config/model";
import { UserError } from "../errors/report";
import { PLACEHOLDER_PIXEL, type PlannedFile } from "./environment";
import { type AcceptanceInputs, flagProblem, type RunLayout } from "./inputs";

/** The environment the files describe; a `UserError` naming the flags when the config rules refuse it. */
export function checkEnvironment(files: readonly PlannedFile[], layout: RunLayout): EnvironmentConfig {
  const scratch = mkdtempSync(join(tmpdir(), "sgtm-acceptance-"));
  try {
    for (const file of files) {
      const path = join(scratch, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.text);
    }
    return loadOnly(join(scratch, layout.configDir), scratch);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new UserError(
        `the acceptance environment cannot be built from these flags:\n${error.problems.map(flagProblem).join("\n")}`,
      );
    }
    throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The environment in the run's folder (written by the run), paths shown relative to the project root. */
export function loadRunEnvironment(root: string, layout: RunLayout): EnvironmentConfig {
  return loadOnly(join(root, layout.configDir), root);
}

/** What an earlier run was asked, read back from its environment file; undefined when there is none. */
export function inputsFromRunFolder(root: string, layout: RunLayout): AcceptanceInputs | undefined {
  if (findEnvironmentFiles(join(root, layout.configDir)).length === 0) return undefined;
  const env = loadRunEnvironment(root, layout);
  const pixel = env.tiktok.pixelId === PLACEHOLDER_PIXEL ? undefined : env.tiktok.pixelId;
  return {
    name: layout.name,
    project: env.gcp.project,
    region: env.gcp.region,
    domain: env.domain.tagging,
    gtmAccount: env.gtm.accountId,
    gtmContainer: env.gtm.containerId,
    ...(pixel ? { pixel } : {}),
    ...(env.tiktok.testEventCode ? { testEventCode: env.tiktok.testEventCode } : {}),
    ...(env.domain.dnsZone ? { dnsZone: env.domain.dnsZone.name } : {}),
    ...(env.backend.type === "gcs" ? { stateBucket: env.backend.bucket } : {}),
  };
}

function loadOnly(configDir: string, cwd: string): EnvironmentConfig {
  const [env] = loadConfigDir(configDir, cwd);
  return env;
}
