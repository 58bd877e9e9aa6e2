/**
 * `sgtm acceptance`: a throwaway environment in a sandbox project, from nothing to "TikTok accepted a
 * test event" and back to nothing, with a report (src/acceptance; guide: docs/acceptance.md). This file
 * only parses the flags, calls the run and prints; exit 0 when every step passed, 1 otherwise.
 */
import type { Command } from "commander";
import { renderDryRun } from "../acceptance/dry-run";
import { environmentFiles } from "../acceptance/environment";
import { checkEnvironment, inputsFromRunFolder } from "../acceptance/environment-load";
import { realPrerequisiteReads, tokenFromSecret } from "../acceptance/google-reads";
import {
  type AcceptanceInputs,
  DEFAULT_REGION,
  DEFAULT_WAIT_MINUTES,
  defaultRunName,
  runLayout,
  runNameProblem,
} from "../acceptance/inputs";
import { processInterrupts } from "../acceptance/interrupts";
import { spawnProcessRunner } from "../acceptance/process";
import { type AcceptanceDeps, type AcceptanceRequest, DEFAULT_POLL_MS } from "../acceptance/run-deps";
import { runAcceptance } from "../acceptance/runner";
import { acceptancePlan } from "../acceptance/steps";
import { systemClock } from "../acceptance/waits";
import { realDoctorDeps } from "../doctor/remote";
import { UserError } from "../errors/report";

export interface AcceptanceFlags {
  project?: string;
  domain?: string;
  gtmAccount?: string;
  gtmContainer?: string;
  pixel?: string;
  testEventCode?: string;
  tokenSecret?: string;
  dnsZone?: string;
  stateBucket?: string;
  region: string;
  name?: string;
  waitMinutes: string;
  keep?: boolean;
  cleanup?: boolean;
  dryRun?: boolean;
}

export interface AcceptanceCommandDeps {
  /** stdout: the dry run. */
  readonly write: (text: string) => void;
  /** The run's dependencies for a project root and a progress printer (tests pass stand-ins). */
  readonly run: (print: (line: string) => void) => AcceptanceDeps;
  /** Progress lines (stderr). */
  readonly progress: (line: string) => void;
}

const DEFAULT_DEPS: AcceptanceCommandDeps = {
  write: (text) => process.stdout.write(text),
  progress: (line) => process.stderr.write(`${line}\n`),
  run: (print) => ({
    root: process.cwd(),
    vars: process.env,
    processes: spawnProcessRunner,
    reads: (env) => realPrerequisiteReads(env, process.env),
    doctor: (env) => realDoctorDeps(env, process.env),
    tokenFromSecret: (env, secretId) => tokenFromSecret(env, process.env, secretId),
    clock: systemClock,
    interrupts: processInterrupts,
    print,
  }),
};

const REQUIRED: readonly [keyof AcceptanceFlags, string][] = [
  ["project", "--project"],
  ["domain", "--domain"],
  ["gtmAccount", "--gtm-account"],
  ["gtmContainer", "--gtm-container"],
];

export function registerAcceptanceCommand(
  program: Command,
  deps: AcceptanceCommandDeps = DEFAULT_DEPS,
): void {
  program
    .command("acceptance")
    .description(
      "prove the kit on a sandbox project: deploy a throwaway environment, wait for DNS and doctor, check that a second plan is empty, destroy it; writes acceptance-report.md and .json (docs/acceptance.md)",
    )
    .option("--project <id>", "the sandbox GCP project (billing on)")
    .option(
      "--domain <host>",
      "tagging host of the throwaway environment, e.g. sgtm-test.shop.com (and preview.<host>)",
    )
    .option("--gtm-account <id>", "GTM account id (from the GTM URL)")
    .option("--gtm-container <id>", "a server container the run may add its tags to (removed at the end)")
    .option("--pixel <code>", "TikTok pixel code; without one the run proves the infrastructure and GTM only")
    .option(
      "--test-event-code <code>",
      "TikTok test event code (Events Manager > pixel > Test events): doctor sends one test event",
    )
    .option(
      "--token-secret <secret-id>",
      "a Secret Manager secret in --project holding the TikTok token (default: $SGTM_TIKTOK_ACCESS_TOKEN_<STACK>)",
    )
    .option(
      "--dns-zone <zone>",
      "a Cloud DNS zone in --project: the stack creates the records (default: you create them)",
    )
    .option(
      "--state-bucket <bucket>",
      "GCS bucket for the Terraform state (default: local state in the run's folder)",
    )
    .option("--region <region>", "Cloud Run region", DEFAULT_REGION)
    .option(
      "--name <name>",
      "run name (default: from --project and --domain, so the same command picks up the same run)",
    )
    .option("--wait-minutes <n>", "how long to wait for DNS, then for doctor", String(DEFAULT_WAIT_MINUTES))
    .option(
      "--keep",
      "leave the environment running at the end and on Ctrl-C (clean it up later with --cleanup)",
    )
    .option("--cleanup", "only retire and destroy the run's environment (a kept or interrupted run)")
    .option("--dry-run", "print every file and command of the run, and do nothing")
    .action(async (flags: AcceptanceFlags) => {
      const request = acceptanceRequest(flags);
      const runDeps = deps.run(deps.progress);
      if (flags.dryRun) {
        const layout = runLayout(request.name);
        const inputs = request.inputs ?? inputsFromRunFolder(runDeps.root, layout);
        if (!inputs) throw new UserError(`no run named ${request.name} here: pass the run's flags`);
        checkEnvironment(environmentFiles(inputs, layout), layout);
        deps.write(
          renderDryRun(acceptancePlan(inputs, runDeps.kitCli), {
            keep: request.keep,
            cleanupOnly: request.cleanup,
            waitMinutes: request.waitMinutes,
            pollSeconds: { dns: DEFAULT_POLL_MS.dns / 1000, doctor: DEFAULT_POLL_MS.doctor / 1000 },
          }),
        );
        return;
      }
      const result = await runAcceptance(request, runDeps);
      process.exitCode = result.exitCode;
    });
}

/** The flags as a run request; a `UserError` naming the flags for a combination that cannot work. */
export function acceptanceRequest(given: AcceptanceFlags): AcceptanceRequest {
  // An empty value (a CI input left blank) is no value.
  const flags = Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== "" && value !== undefined),
  ) as AcceptanceFlags;
  const waitMinutes = Number(flags.waitMinutes);
  if (!Number.isInteger(waitMinutes) || waitMinutes < 1) {
    throw new UserError(
      `--wait-minutes must be a whole number of minutes, at least 1 (got ${flags.waitMinutes})`,
    );
  }
  if (flags.keep && flags.cleanup)
    throw new UserError("--keep and --cleanup contradict each other: pass one");
  for (const [flag, needs] of [
    [flags.testEventCode, "--test-event-code"],
    [flags.tokenSecret, "--token-secret"],
  ] as const) {
    if (flag !== undefined && flags.pixel === undefined)
      throw new UserError(`${needs} needs --pixel (it is about TikTok)`);
  }
  const nameProblem = flags.name === undefined ? undefined : runNameProblem(flags.name);
  if (nameProblem) throw new UserError(nameProblem);
  const missing = REQUIRED.filter(([key]) => !flags[key]).map(([, flag]) => flag);
  const common = { keep: Boolean(flags.keep), cleanup: Boolean(flags.cleanup), waitMinutes };
  if (missing.length === REQUIRED.length && flags.cleanup) {
    if (!flags.name)
      throw new UserError("--cleanup needs --name (the run's name), or the flags the run was started with");
    return { ...common, name: flags.name };
  }
  if (missing.length > 0) {
    throw new UserError(
      `missing ${missing.join(", ")} (a run needs --project, --domain, --gtm-account and --gtm-container; see npx sgtm acceptance --help)`,
    );
  }
  const project = flags.project as string;
  const domain = flags.domain as string;
  const inputs: AcceptanceInputs = {
    name: flags.name ?? defaultRunName(project, domain),
    project,
    region: flags.region,
    domain,
    gtmAccount: flags.gtmAccount as string,
    gtmContainer: flags.gtmContainer as string,
    ...optional("pixel", flags.pixel),
    ...optional("testEventCode", flags.testEventCode),
    ...optional("tokenSecret", flags.tokenSecret),
    ...optional("dnsZone", flags.dnsZone),
    ...optional("stateBucket", flags.stateBucket),
  };
  return { ...common, name: inputs.name, inputs };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined || value === "" ? {} : ({ [key]: value } as Record<K, string>);
}
