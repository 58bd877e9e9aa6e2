/**
 * `sgtm doctor --env E [--json] [--test-event-code CODE]`: checks a deployed environment end to end and
 * prints one line per check (pass / fail / skip) with the fix of each failure. Exit 0 when no check
 * fails, 1 otherwise. The remote calls are built here (`realDoctorDeps`); tests pass their own.
 */
import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import type { EnvironmentConfig } from "../config/model";
import { authorizedGet, googleCloudReaders } from "../doctor/google-cloud";
import { connectGtmReads } from "../doctor/gtm-reads";
import { nodeHttps, systemDns } from "../doctor/net";
import { renderJson, renderText } from "../doctor/render";
import { hasFailure, runDoctor } from "../doctor/run";
import { TIKTOK_API_ROOT_URL_ENV_VAR, tiktokEventsApi } from "../doctor/tiktok-api";
import type { DoctorDeps } from "../doctor/types";
import { ROOT_URL_ENV_VAR } from "../gtm/connect";
import { tokenOverride } from "../gtm/token";
import { loadOne } from "./config-commands";
import { googleCredentialSource, secretManagerClientOptions } from "./google-credentials";

const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

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

/**
 * The real calls: this machine's DNS and HTTPS, Google Cloud's REST APIs as the identity Terraform's
 * google provider uses (as `sgtm bootstrap` does), Tag Manager as `sgtm gtm` does, and TikTok's Events
 * API (`SGTM_TIKTOK_API_ROOT_URL` points it elsewhere). Nothing connects before a check asks.
 */
export function realDoctorDeps(env: EnvironmentConfig, vars: NodeJS.ProcessEnv): DoctorDeps {
  const { cloud, secrets } = googleCloudReaders(
    authorizedGet(() => googleCloudClient(vars, env.gcp.project)),
  );
  return {
    dns: systemDns(),
    https: nodeHttps(),
    cloud,
    secrets,
    gtm: () =>
      connectGtmReads({ rootUrl: vars[ROOT_URL_ENV_VAR] || undefined, quotaProject: env.gcp.project }),
    tiktok: tiktokEventsApi({ rootUrl: vars[TIKTOK_API_ROOT_URL_ENV_VAR] || undefined }),
    now: () => Date.now(),
    newEventId: () => `sgtm-doctor-${randomUUID()}`,
  };
}

/** google-auth-library's client for the credentials `vars` select, billing `project`'s quota. */
async function googleCloudClient(vars: NodeJS.ProcessEnv, project: string) {
  const options = await secretManagerClientOptions(googleCredentialSource(vars));
  const { GoogleAuth } = await import("google-auth-library");
  const auth = new GoogleAuth({
    scopes: [CLOUD_PLATFORM_SCOPE],
    ...(options.authClient ? { authClient: options.authClient } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const client = await auth.getClient();
  client.quotaProjectId = project;
  return client;
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
