/**
 * What the README and the guides show of the kit's output is what the kit prints. A documented output
 * is a fenced ```text block right after the line `<!-- output:NAME -->`; the example registered here
 * under NAME runs the real commands on the documented example and prints their output. Every line of
 * the block must be a line of that output, in order; a line `...` stands for any lines in between.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfigDir } from "../../src/config/load";
import type { FakeTagManager } from "../../src/gtm/fake";
import { main as synth } from "../../stacks/main";
import { keepEnvironment, pointAtFake, runSgtm } from "../cli/run-cli";
import { seed, startFake } from "../gtm/e2e-helpers";
import { readDocuments } from "./generated/registry";

interface DocumentedOutput {
  readonly name: string;
  /** Where the block is, for messages: `docs/ci.md:12`. */
  readonly where: string;
  readonly lines: readonly string[];
}

const MARKER = /^<!-- output:([a-z0-9-]+) -->$/;
const ANY_LINES = "...";

/** Every documented output of the README and the guides (indented ones, in a list item, included). */
function documentedOutputs(): DocumentedOutput[] {
  return readDocuments(".").flatMap((doc) => {
    const lines = doc.text.split("\n");
    return lines.flatMap((line, index) => {
      const name = MARKER.exec(line.trim())?.[1];
      if (name === undefined) return [];
      const where = `${doc.file}:${index + 1}`;
      const indent = line.length - line.trimStart().length;
      if (lines[index + 1]?.trim() !== "```text")
        throw new Error(`${where}: output:${name} is not followed by a \`\`\`text block`);
      const end = lines.findIndex((l, i) => i > index + 1 && l.trim() === "```");
      return [{ name, where, lines: lines.slice(index + 2, end).map((l) => l.slice(indent)) }];
    });
  });
}

/**
 * The lines of `documented` that are not lines of `output` in order (`...` skips any lines); empty when
 * the documentation is right.
 */
function undocumentedLines(documented: readonly string[], output: string): string[] {
  const actual = output.split("\n");
  const wrong: string[] = [];
  let at = 0;
  let skipping = false;
  for (const line of documented) {
    if (line === ANY_LINES) {
      skipping = true;
      continue;
    }
    const found = skipping ? actual.indexOf(line, at) : actual[at] === line ? at : -1;
    if (found < 0) wrong.push(line);
    else at = found + 1;
    skipping = false;
  }
  return wrong;
}

// ---- the examples -----------------------------------------------------------------------------------

const STACK = "acme-production";
keepEnvironment(["SGTM_GTM_ROOT_URL", "SGTM_TIKTOK_ACCESS_TOKEN", "NO_COLOR", "CI"]);
let fake: FakeTagManager;
beforeAll(async () => {
  fake = await startFake();
});
afterAll(() => fake.close());

/**
 * docs/ci.md's pull-request plan: config/acme as committed is the base branch; the change raises the
 * production tagging minimum from 2 to 3. Both are synthesized from the same folder (the deploy steps
 * name it), the container is the fake's, already applied, as after an earlier deploy.
 */
async function pullRequestPlan(): Promise<string> {
  const configDir = join(mkdtempSync(join(tmpdir(), "sgtm-docs-")), "config");
  cpSync("config", configDir, { recursive: true });
  const synthDir = (side: string) => {
    const outdir = join(configDir, "..", side);
    expect(synth({ CDKTF_OUTDIR: outdir, SGTM_CONFIG_DIR: configDir }, join(configDir, ".."))).toBe(0);
    return outdir;
  };
  const base = synthDir("base");
  const file = join(configDir, "acme", "production.yaml");
  writeFileSync(
    file,
    readFileSync(file, "utf8").replace(
      "tier: production\n",
      "tier: production\ntagging:\n  minInstances: 3\n",
    ),
  );
  const head = synthDir("head");

  const env = loadConfigDir(configDir).find((e) => e.stackName === STACK);
  if (!env) throw new Error(`no ${STACK} in config/`);
  seed(fake, env);
  pointAtFake(fake.rootUrl, "any-test-value");
  const sgtm = (...args: string[]) => runSgtm(["--config-dir", configDir, ...args]);
  expect((await sgtm("gtm", "apply", "--env", STACK, "--yes")).exitCode).toBe(0);
  const run = await sgtm("plan", "--env", STACK, "--synth-dir", head, "--base", base);
  expect([run.exitCode, run.stderr]).toEqual([0, ""]);
  return run.stdout;
}

/**
 * The README's new environment: `config/acme/dev.yaml` added to config/ as committed (a dev copy of
 * staging with its own container, hosts and project), validated from the project folder.
 */
async function validateNewEnvironment(): Promise<string> {
  const project = mkdtempSync(join(tmpdir(), "sgtm-docs-"));
  cpSync("config", join(project, "config"), { recursive: true });
  const staging = readFileSync(join(project, "config", "acme", "staging.yaml"), "utf8");
  const dev = staging
    .replace("tier: staging", "tier: dev")
    .replace("acme-sgtm-staging", "acme-sgtm-dev")
    .replace(/containerId: "\d+"/, 'containerId: "55555555"')
    .replace("sgtm.staging.", "sgtm.dev.");
  expect(dev).not.toBe(staging);
  writeFileSync(join(project, "config", "acme", "dev.yaml"), dev);
  const cwd = process.cwd();
  process.chdir(project);
  try {
    const run = await runSgtm(["validate"]);
    expect(run.exitCode).toBe(0);
    return `${run.stdout}${run.stderr}`;
  } finally {
    process.chdir(cwd);
  }
}

const EXAMPLES: Readonly<Record<string, () => Promise<string>>> = {
  "pull-request-plan": pullRequestPlan,
  "validate-new-environment": validateNewEnvironment,
};

describe("documented output", () => {
  const outputs = documentedOutputs();

  it("is found in the guides, and every example registered here is shown somewhere", () => {
    expect(outputs.map((o) => o.name).sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  it.each(outputs.map((o) => [o.where, o.name, o] as const))(
    "%s (%s) is what the kit prints",
    async (_where, name, documented) => {
      const output = await EXAMPLES[name]();
      expect({ notPrinted: undocumentedLines(documented.lines, output), output }).toEqual({
        notPrinted: [],
        output,
      });
    },
    60_000,
  );
});

describe("matching documented lines", () => {
  const output = "a\nb\nc\nd";

  it("takes lines in order, `...` skipping any lines in between", () => {
    expect(undocumentedLines(["a", "b"], output)).toEqual([]);
    expect(undocumentedLines(["a", "...", "d"], output)).toEqual([]);
    expect(undocumentedLines(["...", "c"], output)).toEqual([]);
  });

  it("names a line the output does not have, or has elsewhere", () => {
    expect(undocumentedLines(["a", "x"], output)).toEqual(["x"]);
    expect(undocumentedLines(["a", "c"], output)).toEqual(["c"]); // b sits between: needs `...`
    expect(undocumentedLines(["c", "...", "d"], output)).toEqual(["c"]); // without `...` first, the output starts there
  });
});
