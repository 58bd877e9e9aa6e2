/**
 * The GTM container as it runs: a server container, whose live version holds the kit's entities for this environment (the
 * plan's own comparison, token by hash when doctor has it), the TikTok template at the pinned sha, and
 * the container's server container URLs name the first-party host.
 */
import type { ContainerVersion } from "../../gtm/core/api";
import { isServerUsage, notServerContainerMessage } from "../../gtm/core/container-kind";
import {
  findTikTokTemplates,
  TIKTOK_GALLERY,
  TIKTOK_TEMPLATE_DISPLAY_NAME,
} from "../../gtm/core/tiktok-template";
import { desiredContainer } from "../../gtm/model/desired";
import { compareLiveVersion } from "../../gtm/plan/publish";
import type { LiveDifference } from "../../gtm/plan/types";
import { type Check, type DoctorContext, fail, pass } from "../context";
import { googleFailure } from "../errors";
import type { CheckOutcome, Container } from "../types";

const SHOWN_DIFFERENCES = 5;

function gtmFailure(error: unknown, ctx: DoctorContext): CheckOutcome {
  return googleFailure(error, {
    what: `GTM container ${ctx.containerPath}`,
    notFound: {
      detail: `GTM container ${ctx.containerPath} does not exist, or this identity cannot see it`,
      fix: `check gtm.accountId and gtm.containerId in ${ctx.sourceFile}, and that the identity running doctor has access to the container in GTM (Admin > User Management)`,
    },
    permission:
      "give the identity running doctor access to the container in GTM (Admin > User Management), and enable the Tag Manager API on the quota project",
  });
}

function applyFix(ctx: DoctorContext): string {
  return `review and publish the kit's container: npx sgtm gtm plan --env ${ctx.env.stackName}, then npx sgtm gtm apply --env ${ctx.env.stackName} --publish`;
}

/** The live version, or the failed check that explains why there is none to look at. */
async function readLive(ctx: DoctorContext): Promise<ContainerVersion | CheckOutcome> {
  let live: ContainerVersion | undefined;
  try {
    live = await ctx.liveVersion();
  } catch (error) {
    return gtmFailure(error, ctx);
  }
  if (live) return live;
  // The API answers 404 for the live version of a container that does not exist too: tell them apart.
  try {
    await ctx.container();
  } catch (error) {
    return gtmFailure(error, ctx);
  }
  return fail(`nothing is published in GTM container ${ctx.containerPath}`, applyFix(ctx));
}

/** The container resource, or the failed check that explains why it could not be read. */
async function readContainer(ctx: DoctorContext): Promise<Container | CheckOutcome> {
  try {
    return await ctx.container();
  } catch (error) {
    return gtmFailure(error, ctx);
  }
}

function isOutcome(value: ContainerVersion | Container | CheckOutcome): value is CheckOutcome {
  return "status" in value && (value.status === "pass" || value.status === "fail" || value.status === "skip");
}

function describeDifference(difference: LiveDifference): string {
  if (difference.kind === "built-in") return `built-in variable ${difference.name} not enabled`;
  return difference.noLongerDesired
    ? `${difference.kind} "${difference.name}" is no longer in the config`
    : `${difference.kind} "${difference.name}" is missing or differs`;
}

const containerKindCheck: Check = {
  name: "gtm-container-kind",
  doc: {
    passesWhen: "`gtm.containerId` names a server container (its `usageContext` lists server)",
    usualFix: "set `gtm.containerId` to the id of the environment's server container",
  },
  async run(ctx) {
    const container = await readContainer(ctx);
    if (isOutcome(container)) return container;
    const label = `container ${container.publicId ?? ctx.containerPath}`;
    if (isServerUsage(container.usageContext)) return pass(`${label} is a server container`);
    const [detail, fix] = notServerContainerMessage({
      containerId: ctx.env.gtm.containerId,
      files: ctx.sourceFile,
      container,
    }).split("\n");
    return fail(detail ?? "", fix ?? "");
  },
};

const liveVersionCheck: Check = {
  name: "gtm-live-version",
  doc: {
    passesWhen:
      "the live version holds the kit's tags, triggers and variables for this environment (the token compared by hash)",
    usualFix:
      "deploy again (its GTM step applies), or `npx sgtm gtm plan --env <stack>` then `npx sgtm gtm apply --env <stack> --publish`",
  },
  async run(ctx) {
    const live = await readLive(ctx);
    if (isOutcome(live)) return live;
    const found = await ctx.token().catch(() => undefined);
    const desired = desiredContainer(ctx.env);
    const comparison = compareLiveVersion(desired, ctx.env.gtm.containerId, live, found?.token.hash());
    const version = `live version ${live.containerVersionId ?? "?"}`;
    if (comparison.status === "matches") {
      return pass(
        `${version} holds the kit's ${desired.tags.length} tag(s), ${desired.triggers.length} trigger(s) and ${desired.variables.length} variable(s) for ${ctx.env.stackName}${found ? "" : " (the token was not compared: doctor could not read it)"}`,
      );
    }
    if (comparison.status === "never-published") {
      return fail(`nothing is published in GTM container ${ctx.containerPath}`, applyFix(ctx));
    }
    const shown = comparison.differences.slice(0, SHOWN_DIFFERENCES).map(describeDifference);
    const more = comparison.differences.length - shown.length;
    return fail(
      `${version} does not hold what ${ctx.sourceFile} describes: ${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}`,
      applyFix(ctx),
    );
  },
};

const templateCheck: Check = {
  name: "gtm-template",
  doc: {
    passesWhen: "the live TikTok template is the gallery's, at the pinned sha, unedited",
    usualFix: "update or restore it in GTM (the kit never updates a template it finds)",
  },
  async run(ctx) {
    const live = await readLive(ctx);
    if (isOutcome(live)) return live;
    const version = `live version ${live.containerVersionId ?? "?"}`;
    const template = findTikTokTemplates(live.customTemplate ?? [])[0];
    const pinned = TIKTOK_GALLERY.sha;
    if (!template) return fail(`${version} has no ${TIKTOK_TEMPLATE_DISPLAY_NAME} template`, applyFix(ctx));
    const sha = template.galleryReference?.version ?? undefined;
    if (sha !== pinned) {
      return fail(
        `${version} has the TikTok template at ${sha ?? "an unknown version"}, not the pinned ${pinned}`,
        `the kit reuses the template it finds and never updates it: in GTM, update "${template.name ?? TIKTOK_TEMPLATE_DISPLAY_NAME}" (Templates) to the gallery's ${pinned}, review its permissions, and publish`,
      );
    }
    if (template.galleryReference?.isModified) {
      return fail(
        `${version} has the TikTok template at the pinned ${pinned}, but edited in GTM (isModified)`,
        `restore the gallery's code of "${template.name ?? TIKTOK_TEMPLATE_DISPLAY_NAME}" in GTM (Templates), then publish`,
      );
    }
    return pass(`${version} has ${TIKTOK_TEMPLATE_DISPLAY_NAME} at the pinned ${pinned}`);
  },
};

const taggingServerUrlCheck: Check = {
  name: "gtm-tagging-server-url",
  doc: {
    passesWhen: "the container's server container URLs include `https://<tagging host>`",
    usualFix: "set it in GTM: Admin > Container Settings",
  },
  async run(ctx) {
    const container = await readContainer(ctx);
    if (isOutcome(container)) return container;
    const expected = `https://${ctx.env.domain.tagging}`;
    const urls = container.taggingServerUrls ?? [];
    const label = `container ${container.publicId ?? ctx.containerPath}`;
    if (urls.some((url) => isFirstParty(url, ctx.env.domain.tagging))) {
      return pass(`${label} lists ${expected} among its server container URLs`);
    }
    const runApp = urls.some((url) => /\.run\.app(?::\d+)?(?:\/|$)/.test(url));
    return fail(
      urls.length === 0
        ? `${label} has no server container URL`
        : `${label}'s server container URLs are ${urls.join(", ")}, not ${expected}${runApp ? " (on run.app the browser never sends the _ttp cookie)" : ""}`,
      `in GTM: Admin > Container Settings > Server container URLs: set ${expected} and save, so preview and the web container use the shop's own subdomain, where the browser sends _ttp`,
    );
  },
};

function isFirstParty(url: string, host: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" && parsed.hostname === host.toLowerCase();
  } catch {
    return false;
  }
}

export const GTM_CHECKS: readonly Check[] = [
  containerKindCheck,
  liveVersionCheck,
  templateCheck,
  taggingServerUrlCheck,
];
