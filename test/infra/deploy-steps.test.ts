/**
 * The deploy's GTM step, run as Terraform runs it: the synthesized `local-exec` command through
 * `/bin/sh -c`, in the synthesized working directory resolved from `<outdir>/stacks/<stack>`, in a
 * project laid out like a clone (bin/sgtm.js + dist/, built here as the cdktf app command builds it).
 * Against the local fake: a clean apply publishes the kit's tags; a refused apply exits 1 with the
 * reconciler's reason (what fails the deploy) and publishes nothing.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freshen } from "../../bin/cdktf-app";
import { projectRootFromStackDir } from "../../constructs/project-cli";
import type { EnvironmentConfig } from "../../src/config/model";
import type { FakeTagManager } from "../../src/gtm/fake";
import { perEventTagName } from "../../src/gtm/model/names";
import { FIXTURE_CONFIG_DIR } from "../config/helpers";
import { changeByHand, liveVersion, seed, startFake } from "../gtm/e2e-helpers";
import { type Block, fixture, synth } from "./helpers";

const ROOT = join(__dirname, "..", "..");
const TOKEN_VALUE = "SENTINEL-TOKEN-deploy-step-5c1d";

let project: string;
let fake: FakeTagManager;
let env: EnvironmentConfig;

beforeAll(async () => {
  // A project as a clone has it: the CLI launcher, and dist/ built from the sources.
  project = mkdtempSync(join(tmpdir(), "sgtm-deploy-step-"));
  mkdirSync(join(project, "bin"));
  copyFileSync(join(ROOT, "bin", "sgtm.js"), join(project, "bin", "sgtm.js"));
  freshen({ root: ROOT, outDir: join(project, "dist") });
  fake = await startFake();
  env = fixture("acme-production");
});
afterAll(async () => {
  await fake.close();
  rmSync(project, { recursive: true, force: true });
});

/** The GTM step of `env`'s stack synthesized for an output folder inside `project`. */
function gtmStep(): { command: string; cwd: string } {
  const stackDir = join(project, "cdktf.out", "stacks", env.stackName);
  const s = synth(env, {
    configDir: resolve(FIXTURE_CONFIG_DIR),
    projectRoot: projectRootFromStackDir("cdktf.out", env.stackName, project),
  });
  const step = Object.values(s.of("terraform_data")).find((d: Block) =>
    String(d.provisioner[0]["local-exec"].command).includes(" gtm apply "),
  );
  const exec = step?.provisioner[0]["local-exec"];
  return { command: exec.command, cwd: resolve(stackDir, exec.working_dir) };
}

/** What Terraform's local-exec does: `/bin/sh -c <command>` in the working directory. */
function runStep(step: {
  command: string;
  cwd: string;
}): Promise<{ code: number; stdout: string; stderr: string }> {
  mkdirSync(step.cwd, { recursive: true });
  return new Promise((done) => {
    execFile(
      "/bin/sh",
      ["-c", step.command],
      {
        cwd: step.cwd,
        env: {
          PATH: process.env.PATH,
          NODE_PATH: join(ROOT, "node_modules"),
          NO_COLOR: "1",
          SGTM_GTM_ROOT_URL: fake.rootUrl,
          SGTM_TIKTOK_ACCESS_TOKEN_ACME_PRODUCTION: TOKEN_VALUE,
        },
      },
      (error, stdout, stderr) => done({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const purchaseTag = () =>
  perEventTagName(env.tiktok.events.find((e) => e.ga4Event === "purchase") ?? env.tiktok.events[0]);

describe("the deploy's GTM step", () => {
  it("runs the project's CLI from the project root and publishes the kit's tags", async () => {
    seed(fake, env);
    const step = gtmStep();
    expect(step.cwd).toBe(resolve(project));
    const run = await runStep(step);
    expect([run.code, run.stderr]).toEqual([0, expect.any(String)]);
    expect(run.stdout).toMatch(/published/);
    const live = liveVersion(fake, env);
    expect((live.tag ?? []).map((t) => t.name)).toContain(purchaseTag());
    for (const text of [run.stdout, run.stderr]) expect(text).not.toContain(TOKEN_VALUE);
  });

  it("fails with the reconciler's reason and publishes nothing when apply refuses", async () => {
    seed(fake, env);
    // Someone made a tag with the kit's name by hand: a name clash, which apply refuses before writing.
    changeByHand(fake, env, (workspace) => {
      fake.state.create(workspace, "tags", { name: purchaseTag(), type: "html", parameter: [] });
    });
    const before = liveVersion(fake, env).containerVersionId;
    const run = await runStep(gtmStep());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: apply refused: the plan has errors:/);
    expect(run.stderr).toContain(`tag "${purchaseTag()}" already exists and was not made by the kit`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(liveVersion(fake, env).containerVersionId).toBe(before);
    for (const text of [run.stdout, run.stderr]) expect(text).not.toContain(TOKEN_VALUE);
  });
});
