import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parse } from "yaml";
import { ConfigError, type ConfigProblem, formatProblem } from "../../src/config/errors";
import {
  CLIENT_DEFAULTS_FILE,
  loadConfigDir,
  readStackLock,
  renderStackLock,
  STACK_LOCK_FILE,
} from "../../src/config/load";
import type { EnvironmentConfig } from "../../src/config/model";

/**
 * Every ```yaml block of the README and of the guides (docs/*.md) goes through the real loader, as a user
 * would copy it: a block with a `tier` is a whole environment file; any other block is part of one,
 * loaded as the environment file over the README's first whole example (the minimal environment; the
 * loader's own precedence: `client.yaml` < `<env>.yaml`). Problems are reported at `file:line`.
 */
const README = "README.md";
const GUIDES_DIR = "docs";
/** The README, then the guides in name order (ADRs and facts, in folders below, hold no examples). */
const DOCUMENTS = [
  README,
  ...readdirSync(GUIDES_DIR)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `${GUIDES_DIR}/${name}`),
];
const CLIENT = "shop";
const ENVIRONMENT = "production";

interface YamlBlock {
  /** The Markdown file it is in. */
  readonly file: string;
  /** Line of the opening fence in that file. */
  readonly line: number;
  readonly text: string;
}

function yamlBlocks(file: string, markdown: string): YamlBlock[] {
  return [...markdown.matchAll(/^ *```yaml[^\n]*\n([\s\S]*?)^ *```/gm)].map((m) => ({
    file,
    line: markdown.slice(0, m.index).split("\n").length,
    text: m[1],
  }));
}

/** Invalid YAML counts as a part: the loader then reports the syntax error at its line in the document. */
function isEnvironmentFile(block: YamlBlock): boolean {
  try {
    const data: unknown = parse(block.text);
    return typeof data === "object" && data !== null && "tier" in data;
  } catch {
    return false;
  }
}

/**
 * Loads `config/shop/production.yaml` (and `client.yaml` beneath it) with a matching stacks.lock. A
 * config problem is reported at the document line it comes from.
 */
function loadEnvironment(blocks: { environment: YamlBlock; client?: YamlBlock }): EnvironmentConfig {
  const configDir = join(mkdtempSync(join(tmpdir(), "sgtm-readme-")), "config");
  mkdirSync(join(configDir, CLIENT), { recursive: true });
  writeFileSync(join(configDir, STACK_LOCK_FILE), renderStackLock([`${CLIENT}-${ENVIRONMENT}`]));
  const written = new Map<string, YamlBlock>([[`${ENVIRONMENT}.yaml`, blocks.environment]]);
  if (blocks.client) written.set(CLIENT_DEFAULTS_FILE, blocks.client);
  for (const [name, block] of written) writeFileSync(join(configDir, CLIENT, name), block.text);
  try {
    const environments = loadConfigDir(configDir);
    expect(environments.map((e) => e.stackName)).toEqual([`${CLIENT}-${ENVIRONMENT}`]);
    return environments[0];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const inDocument = (p: ConfigProblem): ConfigProblem => {
      const block = written.get(basename(p.file));
      return block ? { ...p, file: block.file, line: block.line + p.line } : p;
    };
    throw new Error(error.problems.map((p) => formatProblem(inDocument(p))).join("\n"));
  }
}

const blocks = DOCUMENTS.flatMap((file) => yamlBlocks(file, readFileSync(file, "utf8")));
const whole = blocks.filter(isEnvironmentFile);
const parts = blocks.filter((b) => !isEnvironmentFile(b));
const named = (list: YamlBlock[]) => list.map((b) => [`${b.file}:${b.line}`, b] as const);

describe("YAML examples of the README and the guides", () => {
  it("include a whole environment file in the README, and the parts shown on their own", () => {
    expect(whole[0]?.file).toBe(README);
    expect(parts.length).toBeGreaterThan(0);
  });

  it("are followed into the guides, indented ones (in a list item) included", () => {
    expect(blocks.some((b) => b.file.startsWith(`${GUIDES_DIR}/`))).toBe(true);
    expect(blocks.some((b) => /^ +\S/.test(b.text))).toBe(true);
  });

  it("the README's minimal environment validates next to the example in config/, as step 1 adds it", () => {
    const configDir = join(mkdtempSync(join(tmpdir(), "sgtm-readme-")), "config");
    cpSync("config", configDir, { recursive: true });
    mkdirSync(join(configDir, CLIENT));
    writeFileSync(join(configDir, CLIENT, `${ENVIRONMENT}.yaml`), whole[0].text);
    writeFileSync(
      join(configDir, STACK_LOCK_FILE),
      renderStackLock([...(readStackLock("config") ?? []), `${CLIENT}-${ENVIRONMENT}`]),
    );
    let problems: string[] = [];
    try {
      loadConfigDir(configDir);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems.map(formatProblem);
    }
    expect(problems).toEqual([]);
  });

  it.each(named(whole))("%s loads as an environment file, without a warning", (_where, block) => {
    const environment = loadEnvironment({ environment: block });
    expect(environment.tier).toBeDefined();
    expect(environment.warnings.map(formatProblem)).toEqual([]);
  });

  it.each(named(parts))("%s loads over the minimal environment, without a warning", (_where, block) => {
    const withPart = loadEnvironment({ client: whole[0], environment: block });
    // An example is what users copy: one that warns teaches the mistake.
    expect(withPart.warnings.map(formatProblem)).toEqual([]);
    // The part must take effect, not merely be tolerated.
    expect(withPart).not.toEqual(loadEnvironment({ environment: whole[0] }));
  });
});
