#!/usr/bin/env node
/**
 * The app command of cdktf.json (what `cdktf synth | diff | deploy` run): the compiled app,
 * dist/stacks/main.js, after re-transpiling the sources that are newer than their output in dist/.
 * Transpile-only, one file at a time with @swc/core (as jest does): no type-check on every synth, which
 * `npm test` and `npm run build` (tsc, also the `prepare` script) keep doing. See docs/adr/0005.
 */

const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
/** The folders tsconfig.build.json compiles into dist/ (config YAML is read at run time, not compiled). */
const SOURCE_DIRS = ["src", "constructs", "stacks"];

/** Options as in jest.config.js: the transpile the test suite already runs every source through. */
const SWC_OPTIONS = {
  swcrc: false,
  configFile: false,
  sourceMaps: false,
  jsc: { target: "es2022", parser: { syntax: "typescript" } },
  module: { type: "commonjs" },
};

/** `src/cli/main.ts` is a source; declaration files and everything else are not. */
function isSource(file) {
  return file.endsWith(".ts") && !file.endsWith(".d.ts");
}

/** `src/cli/main.ts` -> `src/cli/main.js`, relative to the output folder. */
function outputOf(source) {
  return `${source.slice(0, -".ts".length)}.js`;
}

/**
 * What brings the output folder up to date, from modification times alone (ms; paths relative, with
 * `/`): `sources` maps every source to its mtime, `outputs` maps the source each compiled file
 * belongs to (`src/a.ts` for `<out>/src/a.js`) to that file's mtime. A source is compiled when its
 * output is missing or not strictly newer (an equal mtime, possible on coarse file systems, counts as
 * stale); an output whose source is gone is removed, so a deleted module cannot keep being imported.
 */
function planBuild(sources, outputs) {
  const compile = Object.keys(sources).filter(
    (source) => outputs[source] === undefined || sources[source] >= outputs[source],
  );
  const remove = Object.keys(outputs).filter((source) => sources[source] === undefined);
  return { compile: compile.sort(), remove: remove.sort() };
}

/** Every file under `dir` (recursively) matching `keep`, relative to `base`, with its mtime. */
function mtimesUnder(base, dir, keep) {
  const found = {};
  const walk = (relative) => {
    let entries;
    try {
      entries = fs.readdirSync(path.join(base, relative), { withFileTypes: true });
    } catch {
      return; // no such folder (yet)
    }
    for (const entry of entries) {
      const file = `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile() && keep(file)) found[file] = fs.statSync(path.join(base, file)).mtimeMs;
    }
  };
  walk(dir);
  return found;
}

function scan(root, outDir) {
  const sources = {};
  const outputs = {};
  for (const dir of SOURCE_DIRS) {
    Object.assign(sources, mtimesUnder(root, dir, isSource));
    const compiled = mtimesUnder(outDir, dir, (file) => file.endsWith(".js"));
    for (const [file, mtime] of Object.entries(compiled))
      outputs[`${file.slice(0, -".js".length)}.ts`] = mtime;
  }
  return { sources, outputs };
}

function loadSwc() {
  try {
    return require("@swc/core");
  } catch (error) {
    throw new Error(
      `cannot load @swc/core (${error.message.split("\n")[0]}): install the dev dependencies ` +
        "(`npm ci`), or compile with `npm run build`",
    );
  }
}

/**
 * Makes `outDir` (default dist/) match the sources under `root`: transpiles the stale ones (each output
 * written to a temporary file, then renamed, so a concurrent run never reads half a file) and removes
 * the orphans. Returns what it did.
 */
function freshen({ root = ROOT, outDir = path.join(root, "dist"), transpiler = loadSwc } = {}) {
  const { sources, outputs } = scan(root, outDir);
  const plan = planBuild(sources, outputs);
  if (plan.compile.length > 0) {
    const swc = transpiler();
    for (const source of plan.compile) {
      const file = path.join(root, source);
      const { code } = swc.transformSync(fs.readFileSync(file, "utf8"), { ...SWC_OPTIONS, filename: file });
      const target = path.join(outDir, outputOf(source));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const temporary = `${target}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, code);
      fs.renameSync(temporary, target);
    }
  }
  for (const source of plan.remove) fs.rmSync(path.join(outDir, outputOf(source)), { force: true });
  return plan;
}

module.exports = { SOURCE_DIRS, isSource, planBuild, freshen };

if (require.main === module) {
  try {
    freshen();
  } catch (error) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(1);
  }
  process.exitCode = require(path.join(ROOT, "dist", "stacks", "main.js")).main();
}
