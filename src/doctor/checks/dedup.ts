/**
 * `gtm-web-dedup`: the shop's web container (`gtm.web`, live version) lets TikTok merge each pixel
 * event with the server's copy; the same analysis as `sgtm dedup`, which gives every finding. Fails on
 * a broken event, passes otherwise (unknown events are named in the detail), skips without `gtm.web`.
 */
import { analyzeDedup } from "../../gtm/dedup/analysis";
import { readWebContainer, webContainerPath } from "../../gtm/dedup/read";
import { summaryLine } from "../../gtm/dedup/render";
import { WebContainerError, type WebContainerRead } from "../../gtm/dedup/source";
import { type Check, fail, pass, skip } from "../context";
import { googleFailure } from "../errors";
import type { CheckOutcome } from "../types";

export const dedupCheck: Check = {
  name: "gtm-web-dedup",
  doc: {
    passesWhen:
      "no event of the map is broken between the web container's pixel and GA4 tags (`gtm.web`; skipped without it)",
    usualFix: "the change `npx sgtm dedup --env <stack>` prints for the broken event, in the web container",
  },
  async run(ctx) {
    const web = ctx.env.gtm.web;
    const command = `npx sgtm dedup --env ${ctx.env.stackName}`;
    if (!web) {
      return skip(
        "no web container to check (gtm.web is not set)",
        `set gtm.web.containerId in ${ctx.sourceFile} to check that the pixel and the server deduplicate (${command})`,
      );
    }
    const path = webContainerPath(web);
    let read: WebContainerRead;
    try {
      read = await readWebContainer(await ctx.gtm(), web);
    } catch (error) {
      return readFailure(error, path, ctx.sourceFile);
    }
    const report = analyzeDedup({ env: ctx.env, ...read });
    const where = `web container ${read.source.publicId ?? path} (live version ${read.source.versionId ?? "?"})`;
    const broken = report.events.filter((event) => event.verdict === "broken");
    const unknown = report.events.filter((event) => event.verdict === "unknown").map((e) => e.ga4Event);
    if (broken.length === 0) {
      const open = unknown.length > 0 ? `; the kit cannot judge ${unknown.join(", ")} (see ${command})` : "";
      return pass(`${where}: ${summaryLine(report)}${open}`);
    }
    const [first] = broken[0].findings.filter((f) => f.severity === "broken");
    return fail(
      `${where}: ${broken.length} event(s) broken (${broken.map((e) => e.ga4Event).join(", ")}): ${first.message}`,
      `${first.fix}; ${command} lists every fix`,
    );
  },
};

function readFailure(error: unknown, path: string, sourceFile: string): CheckOutcome {
  if (error instanceof WebContainerError) {
    return fail(error.message, `check gtm.web in ${sourceFile}, then run doctor again`);
  }
  return googleFailure(error, {
    what: `web container ${path}`,
    notFound: {
      detail: `web container ${path} does not exist, or this identity cannot see it`,
      fix: `check gtm.web.containerId and gtm.web.accountId in ${sourceFile} (the numeric id from the web container's GTM URL), and that the identity running doctor has Read access to it in GTM`,
    },
    permission:
      "give the identity running doctor Read access to the web container in GTM (Admin > User Management)",
  });
}
