/**
 * `sgtm doctor --env E [--json] [--test-event-code CODE]`: checks a deployed environment end to end and
 * prints one line per check (pass / fail / skip) with the fix of each failure. Exit 0 when no check
 * fails, 1 otherwise. The real remote calls are src/doctor/remote.ts; tests pass their own.
 */
import type { Command } from "commander";
import type { EnvironmentConfig } from "../config/model";
import { realDoctorDeps } from "../doctor/remote";
import { renderJson, renderText } from "../doctor/render";
import { hasFailure, runDoctor } from "../doctor/run";
import type { DoctorDeps } from "../doctor/types";
import { tokenOverride } from "../gtm/client/access-token";
import { loadOne } from "./config-commands";

export interface DoctorCommandDeps {
  readonly vars: NodeJS.ProcessEnv;
  readonly write: (text: string) => void;
  /** The remote interfaces for one environment. */
  readonly remote: (env: EnvironmentConfig, vars: NodeJS.ProcessEnv) => DoctorDeps;
}

interface DoctorFlags {
  env: string;
  json?: boolean;
  testEventCode?: string;
}

const DEFAULT_DEPS: DoctorCommandDeps = {
  vars: process.env,
  write: (text) => process.stdout.write(text),
  remote: realDoctorDeps,
};

export function registerDoctorCommand(program: Command, deps: DoctorCommandDeps = DEFAULT_DEPS): void {
  program
    .command("doctor")
    .description(
      "check a deployed environment: DNS, certificate, HTTPS, secrets, the live GTM container, the web container's deduplication (gtm.web) and a TikTok test event (one line per check, with the fix)",
    )
    .requiredOption("--env <client-env>", "environment, e.g. acme-production")
    .option("--json", 'print {"checks":[{"name","status","detail","fix"}]}')
    .option(
      "--test-event-code <code>",
      "TikTok test event code (Events Manager > Test events); default: the environment's tiktok.testEventCode. Without one the TikTok check is skipped",
    )
    .action(async (opts: DoctorFlags) => {
      const env = loadOne(program, opts.env);
      const results = await runDoctor(
        {
          env,
          testEventCode: opts.testEventCode?.trim() || undefined,
          tokenOverride: tokenOverride(env.stackName, deps.vars),
        },
        deps.remote(env, deps.vars),
      );
      deps.write(opts.json ? renderJson(results) : renderText(env.stackName, results));
      if (hasFailure(results)) process.exitCode = 1;
    });
}
