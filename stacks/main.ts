/**
 * The cdktf app (`cdktf.json` runs `node dist/stacks/main.js`): one stack per environment file under
 * `config/` (or `$SGTM_CONFIG_DIR`). A bad config prints every problem and exits 1, synthesizing nothing.
 */
import { App } from "../constructs/cdktf";
import { projectRootFromStackDir } from "../constructs/project-cli";
import { formatProblem } from "../src/config/errors";
import { loadConfigDir } from "../src/config/load";
import type { EnvironmentConfig } from "../src/config/model";
import { reportError } from "../src/errors/report";
import { DEFAULT_OUTDIR, EnvironmentStack } from "./environment-stack";
import { findStrandedState } from "./stranded-state";

export const DEFAULT_CONFIG_DIR = "config";

/** One stack per environment (retired ones included, so `cdktf destroy` can find them). */
export function addEnvironmentStacks(
  app: App,
  environments: readonly EnvironmentConfig[],
  configDir: string,
  projectRoot: string,
): void {
  for (const env of environments) {
    new EnvironmentStack(app, env, {
      configDir: configDir === DEFAULT_CONFIG_DIR ? undefined : configDir,
      // Terraform runs in <outdir>/stacks/<stack>: the CLI steps and local state find the root from there.
      projectRoot: projectRootFromStackDir(app.outdir, env.stackName, projectRoot),
    });
  }
}

/** Runs the app; returns the exit code. Nothing is written unless every environment file is valid. */
export function main(env: NodeJS.ProcessEnv = process.env, projectRoot = process.cwd()): number {
  const configDir = env.SGTM_CONFIG_DIR || DEFAULT_CONFIG_DIR;
  try {
    // Throws ConfigError listing every problem of every file, before anything is synthesized.
    const environments = loadConfigDir(configDir);
    // cdktf's only validation beyond provider presence runs `terraform version` once per stack (for
    // terraform_data): it needs Terraform at synth time and a process per stack. Each stack declares
    // `required_version` instead, which Terraform enforces itself at plan time.
    const app = new App({ outdir: env.CDKTF_OUTDIR || DEFAULT_OUTDIR, skipValidation: true });
    addEnvironmentStacks(app, environments, configDir, projectRoot);
    const warnings = findStrandedState({
      projectRoot,
      outdir: app.outdir,
      configDir,
      stackNames: environments.map((e) => e.stackName),
    });
    for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
    // What validate warns of (an event map key GA4 never sends) is said at every synth and deploy too.
    for (const warning of environments.flatMap((e) => e.warnings)) {
      process.stderr.write(`${formatProblem(warning)}\n`);
    }
    app.synth();
    return 0;
  } catch (error) {
    return reportError(error);
  }
}

if (require.main === module) process.exitCode = main();
