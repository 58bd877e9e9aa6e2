/**
 * `sgtm dedup --env E [--web-export FILE] [--json|--markdown]`: does the shop's web container send each
 * event of the environment's map so that TikTok can merge the pixel's copy with the server's? Reads the
 * live web container (`gtm.web`) through the Tag Manager API, or an export offline. Exit 1 when any
 * event is broken, so CI can gate on it; 0 otherwise (unknown and no-pixel events included).
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { EnvironmentConfig } from "../config/model";
import { UserError } from "../errors/report";
import { ROOT_URL_ENV_VAR } from "../gtm/client/connect";
import { explainGtmFailure } from "../gtm/client/explain";
import { GtmApiError } from "../gtm/core/api";
import { analyzeDedup } from "../gtm/dedup/analysis";
import { readWebContainer, type WebContainerReads, webContainerPath } from "../gtm/dedup/read";
import { renderDedupJson, renderDedupMarkdown, renderDedupText } from "../gtm/dedup/render";
import { WebContainerError, type WebContainerRead, webContainerFromExport } from "../gtm/dedup/source";
import { type DedupReport, hasBrokenEvent } from "../gtm/dedup/types";
import { GtmExportError } from "../gtm/export";
import type { DedupSection } from "../review/dedup-section";
import { loadOne } from "./config-commands";
import { connectForEnvironment } from "./gtm-connect";

interface DedupFlags {
  env: string;
  webExport?: string;
  json?: boolean;
  markdown?: boolean;
}

export function registerDedupCommand(program: Command): void {
  program
    .command("dedup")
    .description(
      "check, per event, that the web container's pixel and GA4 tags send what the server's TikTok tags deduplicate with (exit 1 when an event is broken)",
    )
    .requiredOption("--env <client-env>", "environment, e.g. acme-production")
    .option(
      "--web-export <file>",
      "read the web container from an export (GTM: Admin > Export Container) instead of gtm.web (no credentials)",
    )
    .option("--json", 'print JSON: {"formatVersion", "summary", "events": [{"ga4Event", "verdict", ...}]}')
    .option("--markdown", "print Markdown (a pull-request comment)")
    .action(async (opts: DedupFlags) => {
      const env = loadOne(program, opts.env);
      const read = opts.webExport
        ? webContainerFromFile(opts.webExport)
        : await readLiveWebContainer(env, await connectWithWeb(env));
      const report = analyzeDedup({ env, ...read });
      process.stdout.write(renderDedup(report, opts));
      if (hasBrokenEvent(report)) process.exitCode = 1;
    });
}

function renderDedup(report: DedupReport, opts: Pick<DedupFlags, "json" | "markdown">): string {
  if (opts.json) return renderDedupJson(report);
  if (opts.markdown) return renderDedupMarkdown(report);
  return renderDedupText(report, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR });
}

/** The API, once the environment is known to name a web container. */
async function connectWithWeb(env: EnvironmentConfig): Promise<WebContainerReads> {
  if (!env.gtm.web) {
    const file = env.sourceFiles[env.sourceFiles.length - 1] ?? env.stackName;
    throw new UserError(
      `${env.stackName} names no web container: set gtm.web.containerId in ${file} (the numeric id of the web container the shop's pages load), or pass --web-export FILE`,
    );
  }
  return connectForEnvironment(env);
}

export function webContainerFromFile(file: string): WebContainerRead {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UserError(
      `cannot read ${file}: export the web container from GTM (Admin > Export Container) and pass that file`,
    );
  }
  try {
    return webContainerFromExport(text, file);
  } catch (error) {
    if (error instanceof GtmExportError || error instanceof WebContainerError)
      throw new UserError(error.message);
    throw error;
  }
}

/**
 * The live web container of `env` (`gtm.web`), failures explained: what is wrong with the web
 * container is said of the web container and its config key, anything else as every GTM command says it.
 */
export async function readLiveWebContainer(
  env: EnvironmentConfig,
  api: WebContainerReads,
): Promise<WebContainerRead> {
  const web = env.gtm.web;
  if (!web) throw new UserError(`${env.stackName} names no web container (gtm.web)`);
  try {
    return await readWebContainer(api, web);
  } catch (error) {
    if (error instanceof WebContainerError) throw new UserError(error.message);
    const path = webContainerPath(web);
    const keys = `gtm.web.containerId ("${web.containerId}") and gtm.web.accountId ("${web.accountId}") in ${env.sourceFiles.join(" or ")}`;
    if (
      error instanceof GtmApiError &&
      error.path.startsWith(path) &&
      [403, 404].includes(error.status ?? 0)
    ) {
      throw new UserError(
        `${error.status === 404 ? "the Tag Manager API does not know" : "permission denied on"} web container ${path} (${error.message}). Check ${keys}: the numeric id from the web container's GTM URL, not GTM-XXXX; the identity needs Read permission on it (the kit never writes to it).`,
      );
    }
    throw explainGtmFailure(error, { env, action: "plan", rootUrl: process.env[ROOT_URL_ENV_VAR] });
  }
}

/**
 * The section `sgtm plan` shows for an environment with `gtm.web`: the report, or why the web container
 * could not be read (the plan goes on without it).
 */
export async function dedupSection(env: EnvironmentConfig, api: WebContainerReads): Promise<DedupSection> {
  try {
    return { report: analyzeDedup({ env, ...(await readLiveWebContainer(env, api)) }) };
  } catch (error) {
    return { error: (error instanceof Error ? error.message : String(error)).split("\n")[0] };
  }
}
