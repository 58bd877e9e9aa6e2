/**
 * `sgtm gtm plan | apply | destroy | export`: parse options, call the reconciler, print. The plan is shown before
 * every apply; a non-interactive apply without a reviewed plan file needs --yes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { type Command, Option } from "commander";
import type { EnvironmentConfig } from "../config/model";
import { UserError } from "../errors/report";
import { type ApplyResult, applyEnvironment } from "../gtm/apply";
import { type PlanRun, planEnvironment } from "../gtm/apply/plan-run";
import { ApplyRefused, busyMessage } from "../gtm/apply/refusals";
import { newSession } from "../gtm/apply/workspace-lock";
import {
  type SecretValue,
  tokenFromEnvironment,
  tokenFromSecretManager,
  tokenOverride,
} from "../gtm/client/access-token";
import { isLoopback, ROOT_URL_ENV_VAR } from "../gtm/client/connect";
import { explainGtmFailure, type GtmFailureContext } from "../gtm/client/explain";
import { fromGtmExport, GtmExportError, renderGtmExport } from "../gtm/export";
import { desiredContainer } from "../gtm/model/desired";
import { plan as planChanges } from "../gtm/plan";
import { PLAN_FORMAT_VERSION, type Plan, type ReviewedPlan } from "../gtm/plan/types";
import { renderJson, renderMarkdown, renderText } from "../gtm/render";
import { loadOne } from "./config-commands";
import { connectForEnvironment } from "./gtm-connect";
import { whileInterruptible } from "./interrupt";
import { terminalProgress } from "./progress";

type Format = "text" | "markdown" | "json";

/** `gtm plan`'s command-line flags (the core's options are `PlanOptions`). */
interface PlanFlags {
  env: string;
  out?: string;
  fromExport?: string;
  json?: boolean;
  markdown?: boolean;
  detailedExitcode?: boolean;
  allowMassDelete?: boolean;
}

/** `gtm apply`'s command-line flags (the core's options are `ApplyOptions`). */
interface ApplyFlags {
  env: string;
  plan?: string;
  yes?: boolean;
  publish?: boolean;
  json?: boolean;
  takeOver?: string;
  allowMassDelete?: boolean;
}

export function registerGtmCommands(program: Command): void {
  const gtm = program
    .command("gtm")
    .description("reconcile the server container's TikTok setup (plan, apply, destroy, export)");

  gtm
    .command("plan")
    .description("show what apply would change (no writes)")
    .requiredOption("--env <client-env>", "environment, e.g. acme-production")
    .option("--out <file>", "write the plan (JSON) for `apply --plan`")
    .option("--from-export <file>", "plan against a container exported from GTM's UI (no credentials)")
    .option("--json", "print the plan as JSON")
    .option("--markdown", "print the plan as Markdown (pull-request comment)")
    .option(
      "--detailed-exitcode",
      "exit 2 when there are changes (like terraform plan); 1 still wins when apply would refuse",
    )
    .option(
      "--allow-mass-delete",
      "a plan deleting more than half of the kit's entities is meant (apply needs the flag too)",
    )
    .action(async (opts: PlanFlags) => {
      const env = loadOne(program, opts.env);
      const token = tokenFromEnvironment(env.stackName);
      const allowMassDelete = opts.allowMassDelete === true;
      const run = opts.fromExport
        ? { plan: planFromExport(env, opts.fromExport, token), refusals: [] as readonly string[] }
        : await explainingFailures({ env, action: "plan" }, () => planLive(env, token, allowMassDelete));
      const { plan } = run;
      if (opts.out) writeFileSync(opts.out, renderJson(plan));
      process.stdout.write(render(plan, formatOf(opts)));
      for (const note of "notes" in run ? run.notes : []) process.stderr.write(`note: ${note}\n`);
      for (const refusal of run.refusals) process.stderr.write(`apply would refuse: ${refusal}\n`);
      if (opts.out)
        process.stderr.write(
          `plan written to ${opts.out}: apply it with \`sgtm gtm apply --env ${env.stackName} --plan ${opts.out}\`\n`,
        );
      // 1 whenever apply would not go ahead, with or without --detailed-exitcode: 2 means "apply this".
      if (plan.errors.length > 0 || run.refusals.length > 0) process.exitCode = 1;
      else if (opts.detailedExitcode && (plan.hasChanges || plan.publish.liveDiffers)) process.exitCode = 2;
    });

  gtm
    .command("apply")
    .description("apply the plan, create a version and publish it (per-environment default)")
    .requiredOption("--env <client-env>", "environment, e.g. acme-production")
    .option("--plan <file>", "apply exactly this reviewed plan; refuse if the container changed since")
    .option("--yes", "apply without asking (required when not interactive and no --plan)")
    .addOption(new Option("--publish", "publish the new version"))
    .addOption(new Option("--no-publish", "create the version but do not publish it"))
    .option("--json", "print the plan and the result as JSON")
    .option(
      "--allow-mass-delete",
      "apply a plan that deletes more than half of the kit's entities in the container",
    )
    .option(
      "--take-over <run-id>",
      "take over the workspace of an interrupted apply now, instead of after its lock goes stale",
    )
    .action(async (opts: ApplyFlags) => {
      const env = loadOne(program, opts.env);
      const publish = opts.publish ?? env.gtm.publish;
      await explainingFailures({ env, action: "apply", publish }, () => apply(env, opts, publish));
    });

  gtm
    .command("destroy")
    .description(
      "remove every tag, trigger and variable the kit made for the environment, in one version (retiring it)",
    )
    .requiredOption("--env <client-env>", "environment, e.g. acme-production")
    .option("--yes", "remove without asking (required when not interactive)")
    .addOption(new Option("--publish", "publish the new version"))
    .addOption(new Option("--no-publish", "create the version but do not publish it"))
    .option("--json", "print the plan and the result as JSON")
    .option(
      "--take-over <run-id>",
      "take over the workspace of an interrupted apply now, instead of after its lock goes stale",
    )
    .action(async (opts: Omit<ApplyFlags, "plan" | "allowMassDelete">) => {
      const configured = loadOne(program, opts.env);
      // Planned as if retired: the desired container is empty (src/gtm/model/retired.ts).
      const env = { ...configured, retired: true };
      const publish = opts.publish ?? env.gtm.publish;
      await explainingFailures({ env, action: "apply", publish }, () => apply(env, opts, publish));
      if (!configured.retired) {
        process.stderr.write(
          `note: ${env.stackName} is not retired in ${env.sourceFiles.at(-1)}: its next deploy (or \`sgtm gtm apply\`) creates the kit's entities again; set retired: true to keep them removed\n`,
        );
      }
    });

  gtm
    .command("export")
    .description("print the desired entities in GTM's export format (review artefact; the token is redacted)")
    .requiredOption("--env <client-env>", "environment, e.g. acme-production")
    .option("--out <file>", "write to a file instead of stdout")
    .action((opts: { env: string; out?: string }) => {
      const env = loadOne(program, opts.env);
      const text = renderGtmExport(desiredContainer(env));
      if (opts.out) writeFileSync(opts.out, text);
      else process.stdout.write(text);
    });
}

async function apply(env: EnvironmentConfig, opts: ApplyFlags, publish: boolean): Promise<void> {
  const token = await readToken(env);
  const api = await connectForEnvironment(env);
  const session = newSession(Date.now(), opts.takeOver);
  let reviewedPlan: ReviewedPlan | undefined = opts.plan ? readPlanFile(opts.plan) : undefined;
  let shownRun: PlanRun | undefined;
  if (!reviewedPlan) {
    // What is shown is what gets applied: the shown plan becomes the reviewed one.
    if (opts.json && !opts.yes) {
      throw new UserError("--json prints no plan to review: pass --yes, or apply a reviewed --plan file");
    }
    const justRead = await planEnvironment({
      env,
      api,
      token,
      session,
      allowMassDelete: opts.allowMassDelete === true,
    });
    const shown = justRead.plan;
    if (!opts.json) process.stdout.write(render(shown, "text"));
    for (const note of justRead.notes) process.stderr.write(`note: ${note}\n`);
    const busy = justRead.read.busy;
    if (busy) throw new UserError(`apply refused: ${busyMessage(busy.workspace, busy.lock)}`);
    if (!(await confirmed(opts, shown))) throw new UserError("apply cancelled: nothing was changed");
    reviewedPlan = shown;
    // Applied at once (--yes): nothing to read again. After a prompt, apply reads afresh.
    if (opts.yes) shownRun = justRead;
  }
  const result = await whileInterruptible((signal) =>
    applyEnvironment({
      env,
      api,
      token,
      reviewedPlan,
      ...(opts.plan ? { reviewedPlanFile: opts.plan } : {}),
      session,
      ...(shownRun ? { shownRun } : {}),
      allowMassDelete: opts.allowMassDelete === true,
      publish,
      progress: terminalProgress(),
      signal,
    }),
  ).catch(asUserError);
  process.stdout.write(opts.json ? `${JSON.stringify(resultJson(result), null, 2)}\n` : resultText(result));
}

/** Runs `work`, turning an API failure into what to do about it (src/gtm/client/explain.ts). */
async function explainingFailures<T>(
  ctx: Omit<GtmFailureContext, "rootUrl">,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw explainGtmFailure(error, { ...ctx, rootUrl: process.env[ROOT_URL_ENV_VAR] });
  }
}

async function planLive(env: EnvironmentConfig, token: SecretValue | undefined, allowMassDelete: boolean) {
  return planEnvironment({ env, api: await connectForEnvironment(env), token, allowMassDelete });
}

function planFromExport(env: EnvironmentConfig, file: string, token: SecretValue | undefined): Plan {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UserError(
      `cannot read ${file}: ${unreadableBecause(error)}. Export the container from GTM (Admin > Export Container) and pass that file`,
    );
  }
  try {
    const actual = fromGtmExport(text, file, { containerId: env.gtm.containerId });
    return planChanges(desiredContainer(env), actual, { tokenHash: token?.hash() });
  } catch (error) {
    if (error instanceof GtmExportError) throw new UserError(error.message);
    throw error;
  }
}

/** Why a file could not be read, in words: "no such file", not a hidden ENOENT. */
function unreadableBecause(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory, not a file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return (error as Error).message;
}

/** Secret Manager, or an environment override; without access the token is left as it is. */
async function readToken(env: EnvironmentConfig): Promise<SecretValue | undefined> {
  const override = tokenOverride(env.stackName);
  const loopback = isLoopback(process.env[ROOT_URL_ENV_VAR]);
  if (override && !loopback) {
    // Say which variable wins over Secret Manager: a generic one may belong to another client.
    process.stderr.write(
      `note: using the TikTok token from $${override.variable}, not from secret ${env.secrets.tiktokAccessToken}\n`,
    );
  }
  if (override || loopback) return override?.token;
  try {
    return await tokenFromSecretManager(env);
  } catch (error) {
    if (error instanceof UserError) throw error; // read, but not a token: never write it
    process.stderr.write(
      `note: could not read secret ${env.secrets.tiktokAccessToken} (${(error as Error).message.split("\n")[0]}); the token constant is not compared\n`,
    );
    return undefined;
  }
}

/** A plan file as `gtm plan --out` writes it (`render/document.ts`); apply compares only its `ReviewedPlan` fields. */
function readPlanFile(file: string): ReviewedPlan {
  let plan: ReviewedPlan & { formatVersion?: unknown };
  try {
    plan = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UserError(`cannot read plan file ${file}: ${(error as Error).message}`);
  }
  if (plan?.formatVersion !== PLAN_FORMAT_VERSION || typeof plan.basis !== "string") {
    throw new UserError(
      `${file} is not a plan written by \`sgtm gtm plan --out\` (formatVersion ${PLAN_FORMAT_VERSION})`,
    );
  }
  return plan;
}

async function confirmed(opts: ApplyFlags, plan: Plan): Promise<boolean> {
  if (plan.errors.length > 0) return true; // apply refuses with the errors itself
  if (opts.yes) return true;
  // Nothing to write or publish: nothing to confirm (as `terraform apply` with no changes).
  if (!plan.hasChanges && !plan.publish.liveDiffers) return true;
  if (!process.stdin.isTTY) {
    throw new UserError(
      "not interactive: review the plan above, then re-run with --yes (or apply a reviewed --plan file)",
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question("Apply these changes? Only 'yes' is accepted: ")).trim() === "yes";
  } finally {
    rl.close();
  }
}

function asUserError(error: unknown): never {
  if (error instanceof ApplyRefused) throw new UserError(`apply refused: ${error.message}`);
  throw error;
}

function formatOf(opts: { json?: boolean; markdown?: boolean }): Format {
  return opts.json ? "json" : opts.markdown ? "markdown" : "text";
}

export function render(plan: Plan, format: Format): string {
  if (format === "json") return renderJson(plan);
  if (format === "markdown") return renderMarkdown(plan);
  return renderText(plan, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR });
}

export function resultText(result: ApplyResult): string {
  const lines = [`Apply complete: ${result.writes} write(s).`];
  if (result.version) lines.push(`Version ${result.version.id} "${result.version.name}" created.`);
  if (result.published) lines.push(`Version ${result.published} published.`);
  if (result.writes === 0) lines.push("Nothing to do: the container already matches the environment file.");
  lines.push(...result.notes);
  return `${lines.join("\n")}\n`;
}

function resultJson(result: ApplyResult) {
  return {
    writes: result.writes,
    workspaceCreated: result.workspaceCreated,
    version: result.version ?? null,
    published: result.published ?? null,
    notes: result.notes,
    plan: JSON.parse(renderJson(result.plan)),
  };
}
