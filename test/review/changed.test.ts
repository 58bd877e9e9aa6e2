import { relative } from "node:path";
import { findEnvironmentFiles, readStackLock } from "../../src/config/load";
import { type ChangedStacks, changedStacks } from "../../src/review/changed";
import { FIXTURE_CONFIG } from "./helpers";

/** The fixture config folder as it would sit in a repository: `config/<client>/<env>.yaml`. */
const HEAD_FILES = findEnvironmentFiles(FIXTURE_CONFIG).map(
  (file) => `config/${relative(FIXTURE_CONFIG, file).split("\\").join("/")}`,
);
const HEAD_LOCK = readStackLock(FIXTURE_CONFIG);
const ALL = ["north-production", "shop-production", "shop-staging"];

function touched(changedFiles: string[], options: { baseLock?: string[]; headLock?: string[] } = {}) {
  return changedStacks({
    changedFiles,
    configDir: "config",
    environmentFiles: HEAD_FILES,
    headLock: options.headLock ?? HEAD_LOCK,
    baseLock: options.baseLock ?? HEAD_LOCK,
  });
}

const none: Pick<ChangedStacks, "removed" | "retireFirst"> = { removed: [], retireFirst: [] };

describe("which stacks a change touches", () => {
  test("the fixture is what the cases assume", () => {
    expect(HEAD_FILES).toEqual([
      "config/north/production.yaml",
      "config/shop/production.yaml",
      "config/shop/staging.yaml",
    ]);
    expect(HEAD_LOCK).toEqual(ALL);
  });

  test.each<[string, string[], string[]]>([
    ["an environment file: its stack", ["config/shop/staging.yaml"], ["shop-staging"]],
    [
      "a client's defaults: every stack of that client",
      ["config/shop/client.yaml"],
      ["shop-production", "shop-staging"],
    ],
    [
      "two clients' files",
      ["config/shop/production.yaml", "config/north/production.yaml"],
      ["north-production", "shop-production"],
    ],
    ["the synth's code: every stack", ["constructs/https-frontend.ts"], ALL],
    ["the GTM reconciler's code: every stack", ["src/gtm/plan/diff.ts"], ALL],
    ["a dependency: every stack", ["package-lock.json"], ALL],
    ["the cdktf app settings: every stack", ["cdktf.json"], ALL],
    ["the CLI launcher: every stack", ["bin/sgtm.js"], ALL],
    ["docs and tests only: none", ["README.md", "docs/ci.md", "test/review/changed.test.ts"], []],
    ["workflows: none", [".github/workflows/pr.yml"], []],
    [
      "the generated schema and other files in the config folder: none",
      ["config/schema.json", "config/shop/notes.md"],
      [],
    ],
    ["a path that only starts like kit code: none", ["srcs/x.ts", "package.json.bak"], []],
    ["nothing at all: none", [], []],
  ])("%s", (_name, files, stacks) => {
    expect(touched(files)).toMatchObject({ stacks, ...none });
  });

  test("each stack lists the files that selected it, sorted and once", () => {
    const result = touched(["src/b.ts", "config/shop/client.yaml", "src/a.ts", "config/shop/staging.yaml"]);
    expect(result.reasons).toEqual({
      "north-production": ["src/a.ts", "src/b.ts"],
      "shop-production": ["config/shop/client.yaml", "src/a.ts", "src/b.ts"],
      "shop-staging": ["config/shop/client.yaml", "config/shop/staging.yaml", "src/a.ts", "src/b.ts"],
    });
  });

  test("the lock: a stack it adds is touched", () => {
    const result = touched(["config/stacks.lock"], { baseLock: ["shop-production", "shop-staging"] });
    expect(result).toMatchObject({ stacks: ["north-production"], ...none });
  });

  test("a new lock (none at base) touches every stack it lists", () => {
    expect(
      changedStacks({
        changedFiles: ["config/stacks.lock"],
        configDir: "config",
        environmentFiles: HEAD_FILES,
        headLock: HEAD_LOCK,
      }),
    ).toMatchObject({ stacks: ALL });
  });

  test("an environment file deleted with its stack dropped from the lock: removed, nothing to deploy", () => {
    const result = touched(["config/shop/qa.yaml", "config/stacks.lock"], { baseLock: [...ALL, "shop-qa"] });
    expect(result).toEqual({ stacks: [], reasons: {}, removed: ["shop-qa"], retireFirst: [] });
  });

  test("an environment file deleted while the lock still lists it: reported, retire first", () => {
    const result = touched(["config/shop/qa.yaml"], {
      baseLock: [...ALL, "shop-qa"],
      headLock: [...ALL, "shop-qa"],
    });
    expect(result).toEqual({ stacks: [], reasons: {}, removed: [], retireFirst: ["shop-qa"] });
  });

  test("a renamed environment file: the new stack is touched, the old one must be retired first", () => {
    const result = touched(["config/shop/prod.yaml", "config/shop/production.yaml"], {
      headLock: [...ALL, "shop-prod"],
    });
    expect(result).toMatchObject({ stacks: ["shop-production"], removed: [], retireFirst: ["shop-prod"] });
  });

  test("another config folder, written with ./ and a trailing slash", () => {
    const result = changedStacks({
      changedFiles: ["infra/envs/shop/staging.yaml", "config/shop/production.yaml"],
      configDir: "./infra/envs/",
      environmentFiles: HEAD_FILES.map((f) => f.replace(/^config\//, "infra/envs/")),
      headLock: HEAD_LOCK,
      baseLock: HEAD_LOCK,
    });
    expect(result.stacks).toEqual(["shop-staging"]);
  });
});
