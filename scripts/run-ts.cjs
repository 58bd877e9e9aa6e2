#!/usr/bin/env node
/**
 * Runs a TypeScript file of the repository's dev tooling (e.g. `node scripts/run-ts.cjs
 * test/docs/generated/write.ts`), transpiled on load with @swc/core and the options jest uses
 * (jest.config.js): the same code the tests run, no build step, no type-check (`npm test` does that).
 */
const fs = require("node:fs");
const path = require("node:path");
const { transformSync } = require("@swc/core");

const SWC_OPTIONS = {
  swcrc: false,
  configFile: false,
  sourceMaps: "inline",
  jsc: { target: "es2022", parser: { syntax: "typescript" } },
  module: { type: "commonjs" },
};

require.extensions[".ts"] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, "utf8"), { ...SWC_OPTIONS, filename });
  module._compile(code, filename);
};

const [file] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: node scripts/run-ts.cjs <file.ts>\n");
  process.exit(1);
}
require(path.resolve(file));
