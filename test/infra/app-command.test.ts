/**
 * The app command `cdktf synth|diff|deploy` run (bin/cdktf-app.js): it re-transpiles only the sources
 * newer than their output, removes outputs whose source is gone, and loads no compiler when dist/ is
 * fresh. Modification times are set explicitly (utimes), never waited for.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { freshen, isSource, planBuild, type Transpiler } from "../../bin/cdktf-app";

describe("planBuild (which sources are stale)", () => {
  test("nothing to do when every output is newer than its source", () => {
    expect(
      planBuild({ "src/a.ts": 100, "stacks/main.ts": 200 }, { "src/a.ts": 150, "stacks/main.ts": 250 }),
    ).toEqual({ compile: [], remove: [] });
  });

  test("a source newer than its output is compiled, and only that one", () => {
    expect(planBuild({ "src/a.ts": 300, "src/b.ts": 100 }, { "src/a.ts": 150, "src/b.ts": 150 })).toEqual({
      compile: ["src/a.ts"],
      remove: [],
    });
  });

  test("an output exactly as old as its source counts as stale (coarse file-system clocks)", () => {
    expect(planBuild({ "src/a.ts": 1000 }, { "src/a.ts": 1000 }).compile).toEqual(["src/a.ts"]);
  });

  test("a source without output is compiled (new file, or no dist/ at all)", () => {
    expect(planBuild({ "src/a.ts": 100, "src/new.ts": 50 }, { "src/a.ts": 150 }).compile).toEqual([
      "src/new.ts",
    ]);
    expect(planBuild({ "src/a.ts": 100, "stacks/main.ts": 100 }, {}).compile).toEqual([
      "src/a.ts",
      "stacks/main.ts",
    ]);
  });

  test("an output whose source is gone is removed, not compiled", () => {
    expect(planBuild({ "src/a.ts": 100 }, { "src/a.ts": 150, "src/deleted.ts": 150 })).toEqual({
      compile: [],
      remove: ["src/deleted.ts"],
    });
  });

  test("only TypeScript modules are sources (declarations and config are not)", () => {
    expect(
      ["src/a.ts", "src/types.d.ts", "config/acme/production.yaml", "bin/sgtm.js"].filter(isSource),
    ).toEqual(["src/a.ts"]);
  });
});

describe("freshen (a project on disk)", () => {
  const T0 = new Date("2026-01-01T00:00:00Z");
  const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
  let root: string;
  let out: string;

  /** A throwaway project: two modules, a config file, a declaration. */
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "sgtm-app-command-"));
    out = join(root, "dist");
    write("src/greet.ts", 'export const greet = (name: string): string => "hello " + name;\n');
    write(
      "stacks/main.ts",
      'import { greet } from "../src/greet";\nexport const main = () => greet("app");\n',
    );
    write("src/types.d.ts", "export type Nothing = never;\n");
    write("config/acme/production.yaml", "tier: production\n");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function write(file: string, text: string, mtime = T0): void {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
    utimesSync(join(root, file), mtime, mtime);
  }

  function setOutputTimes(mtime: Date): void {
    for (const file of ["src/greet.js", "stacks/main.js"]) utimesSync(join(out, file), mtime, mtime);
  }

  function run(): { main: () => string } {
    const file = join(out, "stacks", "main.js");
    let loaded: { main: () => string } | undefined;
    // A fresh module registry per call, so the test sees what is on disk now.
    jest.isolateModules(() => {
      loaded = require(file);
    });
    if (!loaded) throw new Error(`${file} did not load`);
    return loaded;
  }

  const noCompiler = (): Transpiler => {
    throw new Error("no compiler may be loaded when dist/ is fresh");
  };

  test("the first run transpiles every module into runnable CommonJS", () => {
    expect(freshen({ root, outDir: out })).toEqual({
      compile: ["src/greet.ts", "stacks/main.ts"],
      remove: [],
    });
    expect(run().main()).toBe("hello app");
    expect(existsSync(join(out, "src", "types.js"))).toBe(false);
  });

  test("with dist/ up to date nothing is compiled and no compiler is loaded", () => {
    freshen({ root, outDir: out });
    setOutputTimes(later(10));
    expect(freshen({ root, outDir: out, transpiler: noCompiler })).toEqual({ compile: [], remove: [] });
  });

  test("a changed .ts is re-transpiled, and the app runs the new code", () => {
    freshen({ root, outDir: out });
    setOutputTimes(later(10));
    write("src/greet.ts", 'export const greet = (name: string): string => "bonjour " + name;\n', later(20));
    expect(freshen({ root, outDir: out }).compile).toEqual(["src/greet.ts"]);
    expect(run().main()).toBe("bonjour app");
  });

  test("a changed config file needs no rebuild (it is read at run time)", () => {
    freshen({ root, outDir: out });
    setOutputTimes(later(10));
    write("config/acme/production.yaml", "tier: staging\n", later(20));
    expect(freshen({ root, outDir: out, transpiler: noCompiler }).compile).toEqual([]);
  });

  test("a deleted module's output is removed", () => {
    freshen({ root, outDir: out });
    setOutputTimes(later(10));
    rmSync(join(root, "src", "greet.ts"));
    expect(freshen({ root, outDir: out, transpiler: noCompiler }).remove).toEqual(["src/greet.ts"]);
    expect(existsSync(join(out, "src", "greet.js"))).toBe(false);
    expect(existsSync(join(out, "stacks", "main.js"))).toBe(true);
  });

  test("a stale dist/ without a compiler fails with what to do, and writes nothing", () => {
    freshen({ root, outDir: out });
    setOutputTimes(later(10));
    const before = readFileSync(join(out, "src", "greet.js"), "utf8");
    write("src/greet.ts", "export const greet = () => 'changed';\n", later(20));
    expect(() => freshen({ root, outDir: out, transpiler: noCompiler })).toThrow("no compiler may be loaded");
    expect(readFileSync(join(out, "src", "greet.js"), "utf8")).toBe(before);
  });
});

test("cdktf runs the launcher, not a type-checking build", () => {
  const cdktf = JSON.parse(readFileSync(join(__dirname, "..", "..", "cdktf.json"), "utf8")) as {
    app: string;
  };
  expect(cdktf.app).toBe("node bin/cdktf-app.js");
});
