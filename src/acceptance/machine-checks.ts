/**
 * Prerequisites on this machine: the kit's folder and build, Terraform, the pinned cdktf, the Google
 * identity, and what the flags leave out of the proof (no test event code).
 */
import { CREDENTIALS_HELP } from "../credentials/google";
import { fail, pass, skip } from "../doctor/context";
import { firstLine } from "../doctor/errors";
import type { Prerequisite } from "./prerequisite-types";

/** The earliest Terraform the stacks accept (`required_version`, stacks/environment-stack.ts). */
export const TERRAFORM_MINIMUM: readonly [number, number] = [1, 4];

export const projectRootCheck: Prerequisite = {
  name: "project-root",
  forCleanup: true,
  async run(ctx) {
    if (!ctx.exists("cdktf.json") || !ctx.exists("bin/sgtm.js")) {
      return fail(
        "this is not the kit's folder: cdktf.json and bin/sgtm.js are not here",
        "run the command from the sgtm-tiktok-kit folder (the one with cdktf.json)",
      );
    }
    if (!ctx.exists("dist/src/cli/main.js")) {
      return fail(
        "the kit is not built: the deploy's steps run node bin/sgtm.js, which needs dist/",
        "npm run build",
      );
    }
    return pass("the kit's folder, built");
  },
};

export const terraformCheck: Prerequisite = {
  name: "terraform",
  forCleanup: true,
  async run(ctx) {
    const install = `install Terraform ${TERRAFORM_MINIMUM.join(".")} or later (https://developer.hashicorp.com/terraform/install) and put it on PATH`;
    const run = await ctx.tool(["terraform", "version", "-json"]);
    if (run.exitCode !== 0) return fail(`terraform version failed: ${lastLine(run.output)}`, install);
    // stderr comes mixed in (e.g. a CLI configuration warning): read the one field, not the whole JSON.
    const version = /"terraform_version"\s*:\s*"([^"]+)"/.exec(run.output)?.[1];
    if (!version) return fail("terraform version -json printed no version", install);
    const [major, minor] = version.split(".").map(Number);
    const [minMajor, minMinor] = TERRAFORM_MINIMUM;
    if (major < minMajor || (major === minMajor && minor < minMinor)) {
      return {
        ...fail(`Terraform ${version} is older than ${TERRAFORM_MINIMUM.join(".")}`, install),
        version: { tool: "terraform", value: version },
      };
    }
    return { ...pass(`Terraform ${version}`), version: { tool: "terraform", value: version } };
  },
};

export const cdktfCheck: Prerequisite = {
  name: "cdktf",
  forCleanup: true,
  async run(ctx) {
    const run = await ctx.tool(["cdktf", "--version"]);
    const version = /\d+\.\d+\.\d+\S*/.exec(run.output)?.[0];
    const fix =
      "run it through npx from the kit's folder (npx sgtm acceptance ...), after npm ci: the kit pins its cdktf";
    if (run.exitCode !== 0 || !version) return fail(`cdktf --version failed: ${lastLine(run.output)}`, fix);
    const found = { version: { tool: "cdktf" as const, value: version } };
    if (version !== ctx.pinnedCdktf) {
      return {
        ...fail(`cdktf ${version} is on PATH; the kit is built and tested with ${ctx.pinnedCdktf}`, fix),
        ...found,
      };
    }
    return { ...pass(`cdktf ${version}`), ...found };
  },
};

export const credentialsCheck: Prerequisite = {
  name: "google-credentials",
  forCleanup: true,
  async run(ctx) {
    try {
      return pass(`runs as ${await ctx.reads.identity()}`);
    } catch (error) {
      return fail(`no usable Google credentials (${firstLine(error)})`, CREDENTIALS_HELP.join("\n"));
    }
  },
};

export const testEventCheck: Prerequisite = {
  name: "test-event-code",
  forCleanup: false,
  async run(ctx) {
    const { pixel, testEventCode } = ctx.plan.inputs;
    if (pixel && testEventCode)
      return pass("doctor sends one test event to TikTok; the tags send test events only");
    return skip(
      "no --test-event-code: doctor cannot send a test event, so TikTok accepting one is not proven",
      "pass --test-event-code (TikTok Events Manager > your pixel > Test events)",
    );
  },
};

function lastLine(text: string): string {
  return text.trim().split("\n").pop() ?? "";
}
