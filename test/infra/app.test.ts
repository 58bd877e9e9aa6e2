import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { renderStackLock } from "../../src/config/load";
import { main } from "../../stacks/main";
import { findStrandedState } from "../../stacks/stranded-state";
import { FIXTURE_CONFIG_DIR } from "../config/helpers";
import { minimalEnvironmentYaml, tempConfig } from "./helpers";

function captureStderr(run: () => number): { code: number; stderr: string } {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    return { code: run(), stderr: chunks.join("") };
  } finally {
    spy.mockRestore();
  }
}

const emptyDir = () => mkdtempSync(join(tmpdir(), "sgtm-app-"));

describe("the cdktf app", () => {
  it("synthesizes one stack per environment file, named <client>-<env>", () => {
    const outdir = join(emptyDir(), "out");
    const { code, stderr } = captureStderr(() =>
      main({ CDKTF_OUTDIR: outdir, SGTM_CONFIG_DIR: FIXTURE_CONFIG_DIR }, emptyDir()),
    );
    expect([code, stderr]).toEqual([0, ""]);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["acme-production", "acme-staging"]);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(["acme-production", "acme-staging"]);
  });

  it("reads config/ of the working directory by default, and the bootstrap then needs no --config-dir", () => {
    const project = tempConfig({ "config/demo/dev.yaml": minimalEnvironmentYaml("dev") });
    const outdir = join(emptyDir(), "out");
    const cwd = process.cwd();
    process.chdir(project);
    try {
      const { code, stderr } = captureStderr(() => main({ CDKTF_OUTDIR: outdir }, project));
      expect([code, stderr]).toEqual([0, ""]);
    } finally {
      process.chdir(cwd);
    }
    expect(readdirSync(join(outdir, "stacks"))).toEqual(["demo-dev"]);
    const stack = readFileSync(join(outdir, "stacks", "demo-dev", "cdk.tf.json"), "utf8");
    expect(stack).toContain('"node bin/sgtm.js bootstrap --env demo-dev"');
    // Terraform runs in <outdir>/stacks/demo-dev: the steps find the project root from there.
    const steps = Object.values(JSON.parse(stack).resource.terraform_data) as {
      provisioner: { "local-exec": { working_dir: string } }[];
    }[];
    for (const step of steps) {
      expect(resolve(outdir, "stacks", "demo-dev", step.provisioner[0]["local-exec"].working_dir)).toBe(
        resolve(project),
      );
    }
  });

  it("takes the config folder from SGTM_CONFIG_DIR and passes it to the bootstrap", () => {
    const configDir = tempConfig({ "demo/dev.yaml": minimalEnvironmentYaml("dev") });
    const outdir = join(emptyDir(), "out");
    const { code } = captureStderr(() =>
      main({ CDKTF_OUTDIR: outdir, SGTM_CONFIG_DIR: configDir }, emptyDir()),
    );
    expect(code).toBe(0);
    const stack = readFileSync(join(outdir, "stacks", "demo-dev", "cdk.tf.json"), "utf8");
    expect(stack).toContain(`--config-dir ${configDir} bootstrap --env demo-dev`);
  });

  it("synthesizes an environment with a config warning, and says the warning", () => {
    const configDir = tempConfig({
      "demo/dev.yaml": minimalEnvironmentYaml("dev", "  events:\n    purchse: { event: Purchase }"),
    });
    const outdir = join(emptyDir(), "out");
    const { code, stderr } = captureStderr(() =>
      main({ CDKTF_OUTDIR: outdir, SGTM_CONFIG_DIR: configDir }, emptyDir()),
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /^warning: \S*demo\/dev\.yaml:\d+:\d+ tiktok\.events\.purchse: not a GA4 event.*did you mean purchase\?/,
    );
    expect(readdirSync(join(outdir, "stacks"))).toEqual(["demo-dev"]);
  });

  it("prints every config problem and exits 1 without a stack trace or any output", () => {
    const configDir = tempConfig({
      "demo/dev.yaml": minimalEnvironmentYaml("dev", "tagging: { minInstances: 5, maxInstances: 2 }"),
      "demo/prod.yaml": "tier: production\nbogus: 1\n",
    });
    const outdir = join(emptyDir(), "out");
    const { code, stderr } = captureStderr(() =>
      main({ CDKTF_OUTDIR: outdir, SGTM_CONFIG_DIR: configDir }, emptyDir()),
    );
    expect(code).toBe(1);
    expect(stderr).toContain("dev.yaml");
    expect(stderr).toContain("prod.yaml");
    expect(stderr).toContain("tagging.minInstances");
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(outdir)).toBe(false);
  });

  it("refuses a new environment file until stacks.lock records it, synthesizing nothing", () => {
    const configDir = tempConfig({
      "demo/dev.yaml": minimalEnvironmentYaml("dev"),
      "stacks.lock": renderStackLock([]),
    });
    const outdir = join(emptyDir(), "out");
    const { code, stderr } = captureStderr(() =>
      main({ CDKTF_OUTDIR: outdir, SGTM_CONFIG_DIR: configDir }, emptyDir()),
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/demo\/dev\.yaml:1:1 new stack demo-dev is not recorded in .*stacks\.lock yet/);
    expect(stderr).toContain("npx sgtm stacks --write");
    expect(existsSync(outdir)).toBe(false);
  });

  it("fails clearly when there is no environment file", () => {
    const { code, stderr } = captureStderr(() =>
      main({ CDKTF_OUTDIR: join(emptyDir(), "out"), SGTM_CONFIG_DIR: emptyDir() }, emptyDir()),
    );
    expect(code).toBe(1);
    expect(stderr).toContain("no environment files found");
  });
});

describe("stranded state (an environment file deleted while its resources live on)", () => {
  const state = (resources: number) => JSON.stringify({ version: 4, resources: Array(resources).fill({}) });

  function project(): { root: string; configDir: string } {
    const root = emptyDir();
    const configDir = join(root, "config");
    mkdirSync(join(configDir, "acme"), { recursive: true });
    writeFileSync(join(root, "terraform.acme-staging.tfstate"), state(12)); // still configured
    writeFileSync(join(root, "terraform.acme-old.tfstate"), state(30)); // file deleted
    writeFileSync(join(root, "terraform.acme-gone.tfstate"), state(0)); // destroyed properly
    writeFileSync(join(root, "terraform.acme-old.tfstate.backup"), state(30));
    mkdirSync(join(root, "cdktf.out", "stacks", "acme-remote", ".terraform"), { recursive: true });
    mkdirSync(join(root, "cdktf.out", "stacks", "acme-renamed"), { recursive: true }); // never initialized
    return { root, configDir };
  }

  it("reports state files with resources and initialized stack folders, with how to destroy them", () => {
    const { root, configDir } = project();
    const warnings = findStrandedState({
      projectRoot: root,
      outdir: "cdktf.out",
      configDir,
      stackNames: ["acme-staging"],
    });
    expect(warnings).toHaveLength(2);
    const [old, remote] = warnings;
    expect(old).toContain("stack acme-old");
    expect(old).toContain("terraform.acme-old.tfstate holds 30 resource(s)");
    expect(old).toContain(`create ${join(configDir, "acme", "old.yaml")} with \`retired: true\``);
    expect(old).toContain("npx cdktf destroy acme-old");
    expect(remote).toContain("stack acme-remote");
    expect(remote).toContain(join("cdktf.out", "stacks", "acme-remote"));
  });

  it("reports nothing when every stack with state has its file", () => {
    const { root, configDir } = project();
    const stackNames = ["acme-staging", "acme-old", "acme-remote"];
    expect(findStrandedState({ projectRoot: root, outdir: "cdktf.out", configDir, stackNames })).toEqual([]);
  });

  it("is printed as a warning by the app, which still synthesizes", () => {
    const root = emptyDir();
    writeFileSync(join(root, "terraform.acme-old.tfstate"), state(3));
    const outdir = join(emptyDir(), "out");
    const configDir = join(process.cwd(), FIXTURE_CONFIG_DIR);
    const { code, stderr } = captureStderr(() =>
      main({ CDKTF_OUTDIR: outdir, SGTM_CONFIG_DIR: configDir }, root),
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/^warning: stack acme-old has no environment file/);
    expect(stderr).toContain(join(configDir, "acme", "old.yaml"));
  });
});
