/**
 * Loaded by bench/test-loop.mjs as an extra jest setup file: records the CPU time of each test file
 * (its imports, transforms and tests, in its worker) to the file named by TEST_LOOP_CPU_LOG.
 */
const { appendFileSync } = require("node:fs");

const start = process.cpuUsage();
afterAll(() => {
  const { user, system } = process.cpuUsage(start);
  const file = expect.getState().testPath;
  appendFileSync(process.env.TEST_LOOP_CPU_LOG, `${JSON.stringify({ file, cpu: (user + system) / 1e6 })}\n`);
});
