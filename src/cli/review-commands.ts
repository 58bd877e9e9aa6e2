/**
 * `sgtm plan`: one environment's infrastructure change and GTM plan in one document (the pull-request
 * comment with --markdown). `sgtm changed`: the stacks a change touches, for CI to plan and deploy.
 * Exit codes as Terraform's: 0 ok, 1 error, 2 (only with --detailed-exitcode) changes pending.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { delimiter, join, relative, resolve, sep } from "node:path";
import type { Command } from "commander";
import { configDigest } from "../config/digest";
import {
  findEnvironmentFiles,
  loadEnvironments,
  parseStackLock,
  readStackLock,
  STACK_LOCK_FILE,
  stackLockLocation,
  stackNameOf,
} from "../config/load";
import type { EnvironmentConfig } from "../config/model";
import { reportError, UserError } from "../errors/report";
import { planEnvironment } from "../gtm/apply/plan-run";
import { tokenFromEnvironment } from "../gtm/client/access-token";
import { ROOT_URL_ENV_VAR } from "../gtm/client/connect";
import { explainGtmFailure } from "../gtm/client/explain";
import { readTerraformPlan } from "../review/cdktf-diff";
import { changedStacks } from "../review/changed";
import { infraDiff } from "../review/infra-diff";
import { interruptions } from "../review/interruptions";
import {
  ACCEPT_LABEL,
  type InfraSection,
  type ReviewPlan,
  renderReviewJson,
  renderReviewMarkdown,
  renderReviewText,
  reviewExitCode,
  reviewInterruptions,
} from "../review/plan-document";
import { redactText } from "../review/redact";
import { kitMetadata, parseSynthJson, type SynthJson } from "../review/synth-json";
import { configDirOf, loadOne } from "./config-commands";
import { dedupSection } from "./dedup-command";
import { connectForEnvironment } from "./gtm-connect";

export const DEFAULT_SYNTH_DIR = "cdktf.out";
/** `github.event.before` on a branch's first push: no base to compare with, so every stack. */
const NO_COMMIT = /^0{40}$/;

/** What `sgtm plan` and `sgtm changed` need from outside the process (replaced in tests). */
export interface ReviewDeps {
  /** Whether `terraform` is an executable on PATH. */
  readonly terraformOnPath: () => boolean;
  /** Runs `cdktf diff <stack>` on an existing synth; its exit code and output (stdout and stderr). */
  readonly cdktfDiff: (
    stack: string,
    synthDir: string,
  ) => { readonly exitCode: number; readonly output: string };
  readonly git: GitReader;
}

export interface GitReader {
  /** The repository's top folder, found from `dir`. */
  root(dir: string): string;
  /**
   * Files changed since `base` forked: its commits (`git diff --name-only --no-renames base...HEAD`),
   * and with `uncommitted`, the working tree's changes (staged or not) and untracked files too.
   */
  changedFiles(root: string, base: string, uncommitted: boolean): string[];
  /** A file's text at `ref`, or undefined when it does not exist there. */
  fileAt(root: string, ref: string, path: string): string | undefined;
}

interface PlanFlags {
  env: string;
  synthDir: string;
  base?: string;
  cdktfDiff?: boolean;
  markdown?: boolean;
  json?: boolean;
  detailedExitcode?: boolean;
  acceptInterruptions?: boolean;
}

export function registerReviewCommands(program: Command, deps: ReviewDeps = systemDeps()): void {
  program
    .command("plan")
    .description(
      "one environment's infrastructure change and GTM plan (the pull-request comment with --markdown)",
    )
    .requiredOption("--env <client-env>", "environment, e.g. acme-production")
    .option("--synth-dir <dir>", "the synth of this branch (`npm run synth` writes it)", DEFAULT_SYNTH_DIR)
    .option("--base <dir>", "the synth of the base branch (a cdktf.out folder), to compare with")
    .option(
      "--cdktf-diff",
      "infrastructure from `cdktf diff` (Terraform, state and credentials) instead of synths",
    )
    .option("--markdown", "print Markdown (the pull-request comment, with its marker)")
    .option("--json", 'print JSON: {"stack", "infrastructure", "gtm"}')
    .option("--detailed-exitcode", "exit 2 when there is something to deploy, apply or publish")
    .option(
      "--accept-interruptions",
      "a reviewer accepts what the change interrupts (listed first): they no longer make the plan exit 1",
    )
    .action(async (opts: PlanFlags) => {
      // Terraform's contract: 1 is any error (reportError would say 2 for an unexpected one).
      try {
        process.exitCode = await plan(program, opts, deps);
      } catch (error) {
        reportError(error);
        process.exitCode = 1;
      }
    });

  program
    .command("changed")
    .description("the stacks a change touches (to plan and deploy), one a line")
    .option("--base <git-ref>", "compare HEAD with this commit (`git diff base...HEAD`)")
    .option("--all", "every stack, whatever changed (scheduled drift checks, manual deploys)")
    .option(
      "--uncommitted",
      "with --base, also the working tree's uncommitted and untracked files (the default outside CI)",
    )
    .option("--no-uncommitted", "with --base, commits only (the default when CI is set)")
    .option("--json", "print JSON: stacks, why each, retired ones, removed ones")
    .action((opts: { base?: string; all?: boolean; json?: boolean; uncommitted?: boolean }) => {
      if (!opts.base === !opts.all) throw new UserError("pass either --base <git-ref> or --all");
      const configDir = configDirOf(program);
      // Locally the question is "what does my change touch", edits not yet committed included; CI
      // checks out commits, and compares exactly those.
      const uncommitted = opts.uncommitted ?? !runsInCi(process.env);
      const result = changed(configDir, opts.all ? undefined : opts.base, deps.git, uncommitted);
      if (result.compared) process.stderr.write(`compared ${result.compared}\n`);
      for (const stack of result.removed) {
        process.stderr.write(
          `note: ${stack} is gone (environment file and lock entry deleted): nothing to deploy\n`,
        );
      }
      process.stdout.write(
        opts.json ? `${JSON.stringify(result, null, 2)}\n` : result.stacks.map((s) => `${s}\n`).join(""),
      );
      if (result.retireFirst.length > 0) {
        throw new UserError(
          result.retireFirst
            .map(
              (stack) =>
                `the environment file of ${stack} was deleted while ${stackLockLocation(configDir, stack)} still lists it: its resources may still exist. ` +
                `Restore the file with \`retired: true\`, deploy and destroy ${stack}, then delete the file and run \`npx sgtm stacks --write\` (docs/deploy.md, "Retiring an environment").`,
            )
            .join("\n"),
        );
      }
    });
}

// ---- plan -----------------------------------------------------------------------------------------

async function plan(program: Command, opts: PlanFlags, deps: ReviewDeps): Promise<number> {
  const env = loadOne(program, opts.env);
  const infrastructure = infrastructureSection(env.stackName, opts, deps, {
    tier: env.tier,
    inputs: configDigest(env),
    configFiles: env.sourceFiles,
  });
  const { run, api } = await planLive(env);
  const review: ReviewPlan = {
    stack: env.stackName,
    infrastructure,
    gtm: run.plan,
    refusals: run.refusals,
    ...(env.gtm.web ? { dedup: await dedupSection(env, api) } : {}),
    interruptionsAccepted: opts.acceptInterruptions === true,
  };
  if (opts.json) {
    process.stdout.write(renderReviewJson(review));
    for (const refusal of run.refusals) process.stderr.write(`apply would refuse: ${refusal}\n`);
  } else if (opts.markdown) {
    process.stdout.write(renderReviewMarkdown(review));
  } else {
    process.stdout.write(
      renderReviewText(review, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }),
    );
  }
  if (infrastructure.source === "cdktf diff" && (opts.json || opts.markdown)) {
    process.stderr.write(`cdktf diff ${env.stackName}:\n${redactText(infrastructure.output)}\n`);
  }
  const interrupted = reviewInterruptions(review);
  if (interrupted.length > 0 && !review.interruptionsAccepted) {
    process.stderr.write(
      `error: this change interrupts what ${env.stackName} serves (${interrupted.length}, listed first in the plan); once a reviewer accepts them: --accept-interruptions (pull request label ${ACCEPT_LABEL})\n`,
    );
  }
  return reviewExitCode(review, { detailedExitcode: opts.detailedExitcode === true });
}

/** As `sgtm gtm plan`: an unknown container, a missing permission or an unreachable API is explained. */
async function planLive(env: EnvironmentConfig) {
  try {
    const token = tokenFromEnvironment(env.stackName);
    const api = await connectForEnvironment(env);
    return { api, run: await planEnvironment({ env, api, token }) };
  } catch (error) {
    throw explainGtmFailure(error, { env, action: "plan", rootUrl: process.env[ROOT_URL_ENV_VAR] });
  }
}

/**
 * Where the infrastructure change comes from: `cdktf diff` when asked for (it needs Terraform, the
 * state and credentials, so it is never chosen implicitly), else the synth of this branch compared with
 * the base branch's (`--base`); without a base synth everything shows as added.
 */
export function infrastructureSection(
  stack: string,
  opts: Pick<PlanFlags, "synthDir" | "base" | "cdktfDiff">,
  deps: Pick<ReviewDeps, "terraformOnPath" | "cdktfDiff">,
  context: InfraContext = {},
): InfraSection {
  const current = readSynth(opts.synthDir, stack);
  refuseOutdated(current, synthFile(opts.synthDir, stack), context);
  if (opts.cdktfDiff) {
    if (!deps.terraformOnPath()) {
      throw new UserError(
        "--cdktf-diff runs `cdktf diff`, which needs terraform on PATH (and the state and credentials); " +
          "without it, compare synths instead: drop --cdktf-diff and pass --base <cdktf.out of the base branch>",
      );
    }
    const { exitCode, output } = deps.cdktfDiff(stack, opts.synthDir);
    const summary = readTerraformPlan(output);
    if (exitCode !== 0 || !summary) {
      const tail = redactText(output).trimEnd().split("\n").slice(-20).join("\n");
      throw new UserError(
        `cdktf diff ${stack} ${exitCode !== 0 ? `failed (exit ${exitCode})` : "printed no plan summary"}:\n${tail}`,
      );
    }
    return { source: "cdktf diff", summary, output };
  }
  const base = opts.base === undefined ? undefined : readSynth(opts.base, stack, { optional: true });
  const note =
    base !== undefined
      ? undefined
      : `no base synth for ${stack}: everything shows as added (${
          opts.base === undefined ? "no --base given" : `${synthFile(opts.base, stack)} does not exist`
        })`;
  const diff = infraDiff(base, current);
  return {
    source: "synth",
    diff,
    ...(note ? { note } : {}),
    interruptions:
      base === undefined ? [] : interruptions({ stack, base, current, diff, tier: context.tier }),
  };
}

/** What the plan knows of the environment from its config, to judge the synths with. */
export interface InfraContext {
  readonly tier?: string;
  /** Digest of the environment's config now (src/config/digest.ts). */
  readonly inputs?: string;
  /** The files it was read from, for the message. */
  readonly configFiles?: readonly string[];
}

/**
 * A synth records the digest of the config it was made from: one made from another config would show a
 * change that is not the branch's. Synths of kit versions that recorded nothing are not judged.
 */
function refuseOutdated(synth: SynthJson, file: string, context: InfraContext): void {
  const recorded = kitMetadata(synth).inputs;
  if (recorded === undefined || context.inputs === undefined || recorded === context.inputs) return;
  const files = context.configFiles?.length ? context.configFiles.join(", ") : "the config";
  throw new UserError(
    `${file} is not the synth of ${files} as they are now (it was made from another config, or by another version of the kit): run \`npm run synth\`, then plan again`,
  );
}

function synthFile(dir: string, stack: string): string {
  return join(dir, "stacks", stack, "cdk.tf.json");
}

function readSynth(dir: string, stack: string): SynthJson;
function readSynth(dir: string, stack: string, options: { optional: true }): SynthJson | undefined;
function readSynth(dir: string, stack: string, options?: { optional: true }): SynthJson | undefined {
  const file = synthFile(dir, stack);
  if (!existsSync(file)) {
    if (options?.optional) return undefined;
    throw new UserError(
      `no synth of ${stack}: ${file} does not exist. Run \`npm run synth\` first (or pass --synth-dir)`,
    );
  }
  try {
    return parseSynthJson(readFileSync(file, "utf8"), file);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}

// ---- changed --------------------------------------------------------------------------------------

/** Whether this runs in CI: `CI` set, as GitHub Actions and most CI systems do (not "false" or "0"). */
export function runsInCi(vars: NodeJS.ProcessEnv): boolean {
  const value = vars.CI?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "false" && value !== "0";
}

/**
 * `sgtm changed --json`: the core's answer plus the base, what was compared (`origin/main...HEAD`, with
 * ` and uncommitted changes` when they count; null for every stack) and which selected stacks are retired.
 */
export function changed(configDir: string, base: string | undefined, git: GitReader, uncommitted = false) {
  const root = git.root(configDir);
  const fromRoot = (path: string) => relative(root, resolve(path)).split(sep).join("/");
  const environmentFiles = findEnvironmentFiles(configDir);
  const configInRepo = fromRoot(configDir) || ".";
  let result: ReturnType<typeof changedStacks>;
  let compared: string | null = null;
  if (base === undefined || NO_COMMIT.test(base)) {
    const stacks = environmentFiles.map(stackNameOf).sort();
    result = { stacks, reasons: {}, removed: [], retireFirst: [] };
  } else {
    // A full commit id is shaped like a TikTok token, which stderr blanks: say it as git abbreviates it.
    const shown = /^[0-9a-f]{40}$/i.test(base) ? base.slice(0, 12) : base;
    compared = `${shown}...HEAD${uncommitted ? " and uncommitted changes (working tree, untracked files)" : " (commits only)"}`;
    const baseLock = git.fileAt(
      root,
      base,
      `${configInRepo === "." ? "" : `${configInRepo}/`}${STACK_LOCK_FILE}`,
    );
    result = changedStacks({
      changedFiles: git.changedFiles(root, base, uncommitted),
      configDir: configInRepo,
      environmentFiles: environmentFiles.map(fromRoot),
      headLock: readStackLock(configDir),
      baseLock: baseLock === undefined ? undefined : parseStackLock(baseLock),
    });
  }
  // Retired environments are deployed (that lifts deletion protection) but their GTM container is left alone.
  const selected = new Set(result.stacks);
  const retired = loadEnvironments(environmentFiles.filter((file) => selected.has(stackNameOf(file))))
    .filter((env) => env.retired)
    .map((env) => env.stackName);
  return { base: base ?? null, compared, ...result, retired };
}

// ---- the real outside world -----------------------------------------------------------------------

export function systemDeps(): ReviewDeps {
  return {
    terraformOnPath: () => onPath("terraform"),
    cdktfDiff: (stack, synthDir) => {
      const result = spawnSync(
        "npx",
        ["cdktf", "diff", stack, "--skip-synth", "--output", synthDir, "--no-color"],
        {
          encoding: "utf8",
          env: { ...process.env, CHECKPOINT_DISABLE: "1", FORCE_COLOR: "0" },
          maxBuffer: 256 * 1024 * 1024,
        },
      );
      return { exitCode: result.status ?? 1, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
    },
    git: gitReader,
  };
}

function onPath(program: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export const gitReader: GitReader = {
  root: (dir) => git(dir, ["rev-parse", "--show-toplevel"]).trim(),
  changedFiles: (root, base, uncommitted) => {
    const lines = (text: string) => text.split("\n").filter((line) => line.length > 0);
    if (!uncommitted) return lines(git(root, ["diff", "--name-only", "--no-renames", `${base}...HEAD`]));
    // The working tree against the fork point: commits and uncommitted edits in one diff (an edit
    // undone before committing is no change), plus the files git does not track yet.
    const forkPoint = git(root, ["merge-base", base, "HEAD"]).trim();
    const files = [
      ...lines(git(root, ["diff", "--name-only", "--no-renames", forkPoint])),
      ...lines(git(root, ["ls-files", "--others", "--exclude-standard"])),
    ];
    return [...new Set(files)].sort();
  },
  fileAt: (root, ref, path) => {
    const result = spawnSync("git", ["show", `${ref}:${path}`], { cwd: root, encoding: "utf8" });
    return result.status === 0 ? result.stdout : undefined;
  },
};

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    throw new UserError(`git ${args.join(" ")} failed in ${cwd}: ${stderr || (error as Error).message}`);
  }
}
