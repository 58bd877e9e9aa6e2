/**
 * The pure parts of an acceptance run: its name and files, the environment it writes (checked by the
 * kit's own config rules, bad flags reported as flags), its steps and their commands, the hand cleanup
 * and the dry run.
 */
import { renderDryRun } from "../../src/acceptance/dry-run";
import { environmentFiles, PLACEHOLDER_PIXEL } from "../../src/acceptance/environment";
import { checkEnvironment } from "../../src/acceptance/environment-load";
import { defaultRunName, RUN_NAME_MAX, runLayout, runNameProblem } from "../../src/acceptance/inputs";
import { acceptancePlan, KIT_CLI, manualCleanup, renderCommand } from "../../src/acceptance/steps";
import { environmentOf, testInputs } from "./helpers";

describe("the run's name", () => {
  it("is the same for the same project and host, so the same command picks up the same run", () => {
    expect(defaultRunName("p-1", "sgtm.a.com")).toBe(defaultRunName("p-1", "sgtm.a.com"));
    expect(defaultRunName("p-1", "sgtm.a.com")).toMatch(/^run-[0-9a-f]{6}$/);
    expect(defaultRunName("p-2", "sgtm.a.com")).not.toBe(defaultRunName("p-1", "sgtm.a.com"));
    expect(defaultRunName("p-1", "sgtm.b.com")).not.toBe(defaultRunName("p-1", "sgtm.a.com"));
  });
});

describe("the throwaway environment", () => {
  it("is a staging environment of its own, outside config/, valid by the kit's rules", () => {
    const env = environmentOf(testInputs());
    expect(env).toMatchObject({
      stackName: "acceptance-t1",
      tier: "staging",
      retired: false,
      gcp: { project: "sgtm-sandbox-1", region: "europe-west1" },
      domain: { tagging: "sgtm-test.acme-shop.com", preview: "preview.sgtm-test.acme-shop.com" },
      backend: { type: "local", path: ".sgtm-acceptance/t1/terraform.tfstate" },
      gtm: { accountId: "6012345678", containerId: "198765432", publish: true },
      tiktok: { pixelId: "C4A1B2C3D4E5F6G7H8I9", testEventCode: "TEST12345" },
      labels: expect.objectContaining({ "sgtm-acceptance": "t1" }),
    });
    expect(env.sourceFiles[env.sourceFiles.length - 1]).toMatch(
      /\.sgtm-acceptance\/t1\/config\/acceptance\/t1\.yaml$/,
    );
  });

  it("keeps its state under the bucket's prefix of its own, and creates its records with --dns-zone", () => {
    const env = environmentOf(testInputs({ stateBucket: "sandbox-tfstate", dnsZone: "acme-shop" }));
    expect(env.backend).toEqual({ type: "gcs", bucket: "sandbox-tfstate", prefix: "sgtm-acceptance/t1" });
    expect(env.domain.dnsZone).toEqual({ name: "acme-shop", project: "sgtm-sandbox-1" });
  });

  it("without --pixel: a placeholder pixel and no test event code, whatever was given", () => {
    const env = environmentOf(testInputs({ pixel: undefined }));
    expect(env.tiktok.pixelId).toBe(PLACEHOLDER_PIXEL);
    expect(env.tiktok.testEventCode).toBeUndefined();
  });

  it("retires with retired: true and nothing else changed", () => {
    const inputs = testInputs();
    const layout = runLayout(inputs.name);
    const [live] = environmentFiles(inputs, layout);
    const [retired] = environmentFiles(inputs, layout, { retired: true });
    expect(retired.text.replace("retired: true\n", "")).toBe(live.text);
    expect(checkEnvironment(environmentFiles(inputs, layout, { retired: true }), layout).retired).toBe(true);
  });

  it("reports a bad value as the flag that gave it, with the fix", () => {
    const refused = (overrides: Parameters<typeof testInputs>[0]) => {
      const inputs = testInputs(overrides);
      const layout = runLayout(inputs.name);
      return () => checkEnvironment(environmentFiles(inputs, layout), layout);
    };
    expect(refused({ project: "Not_A_Project" })).toThrow(
      /^the acceptance environment cannot be built from these flags:\n--project: wrong format \(got "Not_A_Project"; allowed: a GCP project id.*\)\. Fix: write it in lowercase with hyphens: not-a-project$/,
    );
    expect(refused({ pixel: "pixel-1" })).toThrow(
      /^--pixel: not a TikTok pixel code \(got "pixel-1"; allowed: 10-32 uppercase/m,
    );
    expect(refused({ domain: "not a host" })).toThrow(/^--domain: /m);
    expect(refused({ gtmContainer: "GTM-ABC" })).toThrow(/^--gtm-container: /m);
  });

  it("refuses a run name that is no file name or too long, before it becomes a path", () => {
    expect(runNameProblem("sandbox-1")).toBeUndefined();
    expect(runNameProblem("a".repeat(RUN_NAME_MAX))).toBeUndefined();
    for (const name of ["../../etc", "Sandbox", "a--b", "1run", "a".repeat(RUN_NAME_MAX + 1), ""]) {
      expect([name, runNameProblem(name)]).toEqual([
        name,
        expect.stringMatching(/^--name .* is not a run name/),
      ]);
    }
  });
});

describe("the steps", () => {
  const plan = acceptancePlan(testInputs());

  it("run in the issue's order, each needing what it builds on", () => {
    expect(plan.main.map((s) => [s.id, s.needs])).toEqual([
      ["write-environment", []],
      ["synth", ["write-environment"]],
      ["deploy", ["synth"]],
      ["dns", ["deploy"]],
      ["doctor", ["dns"]],
      ["cdktf-plan", ["deploy"]],
      ["gtm-plan", ["deploy"]],
    ]);
    expect(plan.cleanup.map((s) => [s.id, s.needs])).toEqual([
      ["retire-environment", []],
      ["retire-synth", ["retire-environment"]],
      ["retire-deploy", ["retire-synth"]],
      ["gtm-destroy", ["retire-environment"]],
      ["destroy", ["retire-synth"]],
    ]);
  });

  it("run the commands from the project root on the run's own config root and synth folder", () => {
    const commands = [...plan.main, ...plan.cleanup].flatMap((s) =>
      s.kind === "command" ? [renderCommand(s.command)] : [],
    );
    expect(commands).toEqual([
      "npx cdktf synth --output .sgtm-acceptance/t1/cdktf.out",
      "npx cdktf deploy acceptance-t1 --skip-synth --output .sgtm-acceptance/t1/cdktf.out --auto-approve --outputs-file .sgtm-acceptance/t1/outputs.json",
      "npx cdktf diff acceptance-t1 --skip-synth --output .sgtm-acceptance/t1/cdktf.out",
      "node bin/sgtm.js --config-dir .sgtm-acceptance/t1/config gtm plan --env acceptance-t1 --detailed-exitcode",
      "npx cdktf synth --output .sgtm-acceptance/t1/cdktf.out",
      "npx cdktf deploy acceptance-t1 --skip-synth --output .sgtm-acceptance/t1/cdktf.out --auto-approve",
      "node bin/sgtm.js --config-dir .sgtm-acceptance/t1/config gtm destroy --env acceptance-t1 --yes",
      "npx cdktf destroy acceptance-t1 --skip-synth --output .sgtm-acceptance/t1/cdktf.out --auto-approve",
    ]);
    expect(plan.env).toEqual({
      SGTM_CONFIG_DIR: ".sgtm-acceptance/t1/config",
      CHECKPOINT_DISABLE: "1",
      FORCE_COLOR: "0",
    });
    expect(plan.tokenVariable).toBe("SGTM_TIKTOK_ACCESS_TOKEN_ACCEPTANCE_T1");
  });

  it("show the kit's CLI as bin/sgtm.js whatever starts it, and quote what a shell would split", () => {
    const fromSources = acceptancePlan(testInputs(), ["node", "/x/sgtm.cjs"]);
    const gtmPlan = fromSources.main.find((s) => s.id === "gtm-plan");
    expect(gtmPlan?.kind === "command" && gtmPlan.command.argv.slice(0, 2)).toEqual(["node", "/x/sgtm.cjs"]);
    expect(gtmPlan?.kind === "command" && renderCommand(gtmPlan.command)).toMatch(/^node bin\/sgtm\.js /);
    expect(renderCommand({ argv: ["echo", "a b", "it's"], env: { X: "1 2" } }, { withEnv: ["X"] })).toBe(
      "X='1 2' echo 'a b' 'it'\\''s'",
    );
  });

  it("clean up by hand with --cleanup, or command by command, and say what no command undoes", () => {
    expect(manualCleanup(plan)).toEqual([
      `${KIT_CLI.join(" ")} acceptance --name t1 --cleanup   # all of the following, in order`,
      "# set `retired: true` in .sgtm-acceptance/t1/config/acceptance/t1.yaml",
      "SGTM_CONFIG_DIR=.sgtm-acceptance/t1/config npx cdktf synth --output .sgtm-acceptance/t1/cdktf.out",
      "SGTM_CONFIG_DIR=.sgtm-acceptance/t1/config npx cdktf deploy acceptance-t1 --skip-synth --output .sgtm-acceptance/t1/cdktf.out --auto-approve",
      "node bin/sgtm.js --config-dir .sgtm-acceptance/t1/config gtm destroy --env acceptance-t1 --yes",
      "SGTM_CONFIG_DIR=.sgtm-acceptance/t1/config npx cdktf destroy acceptance-t1 --skip-synth --output .sgtm-acceptance/t1/cdktf.out --auto-approve",
      "# then in GTM, Admin > Container Settings: remove https://sgtm-test.acme-shop.com from the server container URLs (bootstrap added it)",
    ]);
  });
});

describe("the dry run", () => {
  const options = { keep: false, cleanupOnly: false, waitMinutes: 90, pollSeconds: { dns: 30, doctor: 60 } };

  it("prints every file with its text and every command, the cleanup included", () => {
    const plan = acceptancePlan(testInputs());
    const text = renderDryRun(plan, options);
    for (const step of [...plan.main, ...plan.cleanup]) {
      if (step.kind === "command") expect(text).toContain(`  $ ${renderCommand(step.command)}\n`);
      if (step.kind === "write") {
        for (const file of step.files) {
          expect(text).toContain(`  write ${file.path}:\n`);
          for (const line of file.text.trimEnd().split("\n")) expect(text).toContain(`    | ${line}\n`);
        }
      }
    }
    expect(text).toContain(
      "node bin/sgtm.js --config-dir .sgtm-acceptance/t1/config doctor --env acceptance-t1",
    );
    expect(text).toContain("Cleanup (at the end, and on Ctrl-C):");
    expect(text).toContain("$SGTM_TIKTOK_ACCESS_TOKEN_ACCEPTANCE_T1");
  });

  it("shows only the cleanup for --cleanup, and says --keep skips it", () => {
    const plan = acceptancePlan(testInputs());
    const cleanup = renderDryRun(plan, { ...options, cleanupOnly: true });
    expect(cleanup).not.toContain("[1/7]");
    expect(cleanup).toContain("[cleanup 5/5] cdktf destroy");
    expect(cleanup).toContain(
      "First, the prerequisites: project-root, terraform, cdktf, google-credentials.",
    );
    expect(renderDryRun(plan, { ...options, keep: true })).toContain("Cleanup: not run (--keep)");
  });
});
