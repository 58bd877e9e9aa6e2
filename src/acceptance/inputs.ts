/**
 * What an acceptance run is asked to prove, and where it keeps its files. Pure: the command line parses
 * flags into `AcceptanceInputs`; everything else (the environment file, the steps, the report) is
 * derived from them.
 */
import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { ConfigProblem } from "../config/errors";

/** Folder (under the project root) holding one sub-folder per run; git-ignored. */
export const ACCEPTANCE_DIR = ".sgtm-acceptance";
/** The client folder of every acceptance environment: stacks are `acceptance-<run name>`. */
export const ACCEPTANCE_CLIENT = "acceptance";
/** Cloud Run region when `--region` is not given (the examples' region). */
export const DEFAULT_REGION = "europe-west1";
/** How long each wait (DNS, then doctor) may take: a managed certificate alone can take an hour. */
export const DEFAULT_WAIT_MINUTES = 90;

export interface AcceptanceInputs {
  /** Run name: the environment file's name, so the stack is `acceptance-<name>`. */
  readonly name: string;
  readonly project: string;
  readonly region: string;
  /** The tagging host; the preview host is `preview.<domain>`. */
  readonly domain: string;
  readonly gtmAccount: string;
  readonly gtmContainer: string;
  /** Without one the run proves the infrastructure and GTM only (a placeholder pixel; no TikTok event). */
  readonly pixel?: string;
  readonly testEventCode?: string;
  /** A Cloud DNS zone in `project`: the stack creates the records there. */
  readonly dnsZone?: string;
  /** GCS bucket for Terraform state (prefix `sgtm-acceptance/<name>`); default: local state in the run folder. */
  readonly stateBucket?: string;
  /** A Secret Manager secret in `project` holding the TikTok token (CI); default: the stack's variable. */
  readonly tokenSecret?: string;
}

/** Input fields recorded in the run's state: a second run with the same name must ask for the same. */
export const RECORDED_INPUTS = [
  "project",
  "region",
  "domain",
  "gtmAccount",
  "gtmContainer",
  "pixel",
  "testEventCode",
  "dnsZone",
  "stateBucket",
] as const satisfies readonly (keyof AcceptanceInputs)[];

/**
 * A run name that is the same for the same project and tagging host, so running the same command again
 * picks up (or cleans up) the earlier run instead of starting a second environment beside it.
 */
export function defaultRunName(project: string, domain: string): string {
  const digest = createHash("sha256").update(`${project}\n${domain}`).digest("hex");
  return `run-${digest.slice(0, 6)}`;
}

/** Lowercase letters, digits and single hyphens: the environment file's name rule, and a safe folder name. */
const RUN_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** `acceptance-<name>` must stay within the kit's 40 characters of stack name. */
export const RUN_NAME_MAX = 40 - ACCEPTANCE_CLIENT.length - 1;

/** What is wrong with a run name (it becomes a folder, a file and the stack name), or undefined. */
export function runNameProblem(name: string): string | undefined {
  if (RUN_NAME.test(name) && name.length <= RUN_NAME_MAX) return undefined;
  return `--name ${JSON.stringify(name)} is not a run name: use at most ${RUN_NAME_MAX} lowercase letters, digits and single hyphens, starting with a letter (e.g. sandbox-1)`;
}

/** Every file of one run, relative to the project root (the commands run there). */
export interface RunLayout {
  readonly name: string;
  readonly stack: string;
  readonly dir: string;
  /** The config root the run's commands read (`SGTM_CONFIG_DIR`, `--config-dir`): this environment only. */
  readonly configDir: string;
  readonly environmentFile: string;
  readonly lockFile: string;
  readonly synthDir: string;
  /** `cdktf deploy --outputs-file`: the load balancer's address and the DNS records. */
  readonly outputsFile: string;
  /** What the run did so far: a second run with the same name reads it. */
  readonly stateFile: string;
  readonly localTerraformState: string;
  readonly reportMarkdown: string;
  readonly reportJson: string;
}

export function runLayout(name: string): RunLayout {
  const dir = posix.join(ACCEPTANCE_DIR, name);
  const configDir = posix.join(dir, "config");
  return {
    name,
    stack: `${ACCEPTANCE_CLIENT}-${name}`,
    dir,
    configDir,
    environmentFile: posix.join(configDir, ACCEPTANCE_CLIENT, `${name}.yaml`),
    lockFile: posix.join(configDir, "stacks.lock"),
    synthDir: posix.join(dir, "cdktf.out"),
    outputsFile: posix.join(dir, "outputs.json"),
    stateFile: posix.join(dir, "run.json"),
    localTerraformState: posix.join(dir, "terraform.tfstate"),
    reportMarkdown: posix.join(dir, "acceptance-report.md"),
    reportJson: posix.join(dir, "acceptance-report.json"),
  };
}

/** The flag each generated config key comes from, so a bad value is reported as the flag the user typed. */
const FLAG_OF_KEY: readonly [RegExp, string][] = [
  [/^gcp\.project/, "--project"],
  [/^gcp\.region/, "--region"],
  [/^domain\.dnsZone/, "--dns-zone"],
  [/^domain\./, "--domain"],
  [/^gtm\.accountId/, "--gtm-account"],
  [/^gtm\.containerId/, "--gtm-container"],
  [/^tiktok\.pixelId/, "--pixel"],
  [/^tiktok\.testEventCode/, "--test-event-code"],
  [/^backend\./, "--state-bucket"],
  [/^(labels\.|$)/, "--name"],
];

/**
 * A config problem of the generated environment, told as a problem of the flag that supplied the value:
 * `--project: not a GCP project id (got "X"; allowed: ...). Fix: ...`.
 */
export function flagProblem(problem: ConfigProblem): string {
  const flag = FLAG_OF_KEY.find(([key]) => key.test(problem.path))?.[1];
  const details = [
    problem.got === undefined ? "" : `got ${problem.got}`,
    problem.allowed ? `allowed: ${problem.allowed}` : "",
  ]
    .filter(Boolean)
    .join("; ");
  const subject = flag ?? problem.path;
  const fix = problem.fix
    ? ` Fix: ${flag && problem.path ? problem.fix.replace(problem.path, flag) : problem.fix}`
    : "";
  return `${subject}: ${problem.message}${details ? ` (${details})` : ""}.${fix}`;
}
