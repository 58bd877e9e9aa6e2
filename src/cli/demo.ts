/**
 * `sgtm demo` (what `npm start` runs): the kit's main job on the embedded example, with no cloud
 * credentials. Validate every environment, synthesize every stack, then reconcile the example
 * production container against a local fake of the Tag Manager API (a GA4 client and one hand-made tag
 * already there): plan, apply, plan again showing nothing left to do. The output is deterministic: no
 * ports, no timestamps.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { formatProblem } from "../config/errors";
import { UserError } from "../errors/report";
import { applyEnvironment } from "../gtm/apply";
import { planEnvironment } from "../gtm/apply/plan-run";
import { SecretValue } from "../gtm/client/access-token";
import { connectGtm } from "../gtm/client/connect";
import { type FakeTagManager, startFakeTagManager } from "../gtm/fake";
import { seedDemoContainer } from "../gtm/fake/seed";
import { renderText } from "../gtm/render";
import { describeEnvironment, loadAll } from "./config-commands";
import { resultText } from "./gtm-commands";

/** Stands in for the Secret Manager value in the demo; not a real token. */
const DEMO_TOKEN = new SecretValue("demo-token-not-a-real-tiktok-token");
const DEMO_ENVIRONMENT = "acme-production";

export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("validate + synth the example, then plan/apply/plan GTM against a local fake (npm start)")
    .option("--env <client-env>", "environment reconciled against the fake", DEMO_ENVIRONMENT)
    .action(async (opts: { env: string }) => {
      const out = (text: string) => process.stdout.write(text);
      const heading = (text: string) => out(`\n=== ${text}\n\n`);

      heading("1/5 validate config");
      const environments = loadAll(program);
      for (const env of environments) out(`ok ${describeEnvironment(env)}\n`);
      for (const warning of environments.flatMap((e) => e.warnings)) out(`${formatProblem(warning)}\n`);

      heading("2/5 synth (cdktf, offline)");
      synth(program);
      const stacks = readdirSync(join("cdktf.out", "stacks")).sort();
      for (const stack of stacks) out(`cdktf.out/stacks/${stack}/cdk.tf.json\n`);

      const env = environments.find((e) => e.stackName === opts.env);
      if (!env) throw new UserError(`no environment ${opts.env} to reconcile`);
      // Pages of 50 like a small real container; the fake's default of 2 is for the tests' paging.
      const fake = await startFakeTagManager({ pageSize: 50 });
      try {
        const demo = seedDemoContainer(fake.state, env.gtm);
        const handMadeBefore = handMadeFingerprint(fake, demo.containerPath, demo.handMadeTagName);
        const api = await connectGtm({ rootUrl: fake.rootUrl });

        heading(`3/5 gtm plan --env ${env.stackName} (local fake: a GA4 client and one hand-made tag)`);
        const first = await planEnvironment({ env, api, token: DEMO_TOKEN });
        out(renderText(first.plan, { color: false }));

        heading(`4/5 gtm apply --env ${env.stackName} --yes`);
        const result = await applyEnvironment({
          env,
          api,
          token: DEMO_TOKEN,
          reviewedPlan: first.plan,
          publish: env.gtm.publish,
          progress: {
            step: (index, total, description) => out(`[${index}/${total}] ${description}\n`),
            wait: () => {},
            note: (text) => out(`${text}\n`),
          },
        });
        out(resultText(result));
        const untouched =
          handMadeFingerprint(fake, demo.containerPath, demo.handMadeTagName) === handMadeBefore;
        out(`hand-made tag "${demo.handMadeTagName}": ${untouched ? "untouched" : "CHANGED"}\n`);
        if (!untouched) throw new UserError("the apply touched a hand-made tag");

        heading(`5/5 gtm plan --env ${env.stackName} (again: nothing left to do)`);
        const before = fake.requests.length;
        const second = await planEnvironment({ env, api, token: DEMO_TOKEN });
        out(renderText(second.plan, { color: false }));
        out(`(${fake.requests.length - before} API calls, all reads)\n`);
        if (second.plan.hasChanges || second.plan.publish.liveDiffers) {
          throw new UserError("the second plan still has changes: the apply did not converge");
        }
      } finally {
        await fake.close();
      }
    });
}

/** Fingerprint of a tag in the live version (the kit deletes its workspace once it is versioned). */
function handMadeFingerprint(fake: FakeTagManager, containerPath: string, name: string): string | undefined {
  return fake.state.getLiveVersion(containerPath).tag?.find((t) => t.name === name)?.fingerprint ?? undefined;
}

/** The same app `cdktf synth` runs, as a child process so the CLI never loads cdktf itself. */
function synth(program: Command): void {
  const app = join(__dirname, "..", "..", "stacks", "main.js");
  const configDir = (program.opts() as { configDir: string }).configDir;
  const result = spawnSync(process.execPath, [app], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, SGTM_CONFIG_DIR: configDir, CHECKPOINT_DISABLE: "1" },
  });
  if (result.status !== 0) throw new UserError(`synth failed (exit ${result.status})`);
}
