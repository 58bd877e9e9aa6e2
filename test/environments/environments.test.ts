/**
 * Every environment under config/ gets these checks without anyone writing a test for it: it validates
 * with the rest of config/ and is recorded in stacks.lock, its stack synthesizes and keeps the
 * invariants, and it matches the snapshot recorded for it. `npm run snapshots` records a new environment's
 * snapshot in seconds (CI refuses to write one; `npm run snapshots -- -u` rewrites changed ones); its diff
 * shows a reviewer what a change does to that environment.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ConfigError, type ConfigProblem, formatProblem } from "../../src/config/errors";
import {
  CLIENT_DEFAULTS_FILE,
  findEnvironmentFiles,
  loadConfigDir,
  loadEnvironments,
  readStackLock,
  STACK_LOCK_FILE,
  stackNameOf,
} from "../../src/config/load";
import { itKeepsTheInvariants, type Scenario, synthWithSecretSentinels } from "../infra/invariants";

const CONFIG_DIR = "config";
const SCHEMA_REFERENCE = /^# yaml-language-server: \$schema=\.\.\/schema\.json\n/;

const environmentFiles = findEnvironmentFiles(CONFIG_DIR);
const clientFiles = [...new Set(environmentFiles.map((file) => join(dirname(file), CLIENT_DEFAULTS_FILE)))]
  .filter((file) => existsSync(file))
  .sort();

let problems: ConfigProblem[] | undefined;
/** Every problem of config/ as `npx cdktf synth` sees it (files, shared resources, stacks.lock). */
function configProblems(): ConfigProblem[] {
  if (problems) return problems;
  try {
    loadConfigDir(CONFIG_DIR);
    problems = [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems = [...error.problems];
  }
  return problems;
}

describe("config/", () => {
  it("validates as a whole, stacks.lock included (run `npx sgtm validate` for the details)", () => {
    expect(configProblems().map(formatProblem)).toEqual([]);
  });

  it.each(clientFiles)("%s references the JSON Schema", (file) => {
    expect(readFileSync(file, "utf8")).toMatch(SCHEMA_REFERENCE);
  });
});

if (environmentFiles.length > 0) {
  describe.each(environmentFiles.map((file) => [stackNameOf(file), file]))("%s", (stack, file) => {
    let scenario: Scenario | undefined;
    /** Loaded on its own (with its client.yaml) and synthesized once, on first use. */
    const synthesized = (): Scenario => {
      if (!scenario) {
        const [env] = loadEnvironments([file]);
        scenario = { env, s: synthWithSecretSentinels(env) };
      }
      return scenario;
    };

    it("validates", () => {
      const own = [file, join(dirname(file), CLIENT_DEFAULTS_FILE)];
      expect(configProblems().filter((p) => own.includes(p.file))).toEqual([]);
      expect(loadEnvironments([file]).map((e) => e.stackName)).toEqual([stack]);
    });

    it(`is recorded in ${STACK_LOCK_FILE} (run \`npx sgtm stacks --write\` and commit it)`, () => {
      expect(readStackLock(CONFIG_DIR) ?? []).toContain(stack);
    });

    it("references the JSON Schema", () => {
      expect(readFileSync(file, "utf8")).toMatch(SCHEMA_REFERENCE);
    });

    it("synthesizes the stack recorded in its snapshot", () => {
      expect(JSON.parse(synthesized().s.text)).toMatchSnapshot();
    });

    itKeepsTheInvariants(synthesized);
  });
}
