/**
 * Transpile-only (swc): type errors are caught by `tsc --noEmit`, so jest stays fast. Jest's default is
 * one worker less than the cores (1 on a 2-core machine, i.e. no parallelism at all): use them all.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { target: "es2022", parser: { syntax: "typescript" } }, module: { type: "commonjs" } },
    ],
  },
  moduleFileExtensions: ["ts", "js", "json"],
  // The kill-point and interleaving suites run dozens of whole applies each; on a loaded 2-core runner one
  // test has taken over 30 s (they take a few seconds on a quiet one). A timeout is not a result.
  testTimeout: 120000,
  maxWorkers: "100%",
  setupFilesAfterEnv: ["<rootDir>/test/setup/stack-traces.ts"],
};
