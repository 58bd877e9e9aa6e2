#!/usr/bin/env node
/**
 * The test loop's cost (`node bench/test-loop.mjs`): `npm test` as CI runs it (CI=true, a fresh clone,
 * so jest's transform cache starts empty: a new cache directory per run), then each step alone. Per
 * command: wall time and the CPU time of its whole process tree (user+sys of the waited-for children,
 * from /proc; Linux only). Jest also reports the CPU time of each test file (bench/test-cpu.cjs),
 * the slowest first: on a shared machine compare CPU times, wall times follow the load.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const resolve = createRequire(join(root, "package.json")).resolve;
const TICKS_PER_SECOND = 100;

/** CPU seconds of this process's waited-for children so far (fields cutime and cstime of /proc/self/stat). */
function childrenCpu() {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
}

function measure(label, [command, ...args], env = {}) {
  const cpuBefore = childrenCpu();
  const started = performance.now();
  const result = spawnSync(command, args, {
    cwd: root,
    env: { ...process.env, CI: "true", ...env },
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const wall = (performance.now() - started) / 1000;
  const cpu = childrenCpu() - cpuBefore;
  const status = result.status === 0 ? "ok" : `exit ${result.status}`;
  if (result.status !== 0) process.stderr.write(failures(result.stderr.toString()));
  console.log(
    `${label.padEnd(34)} wall ${wall.toFixed(1).padStart(6)} s   cpu ${cpu.toFixed(1).padStart(6)} s   ${status}`,
  );
}

/** What to show of a failed step: jest's failed tests and summary, or the last lines of anything else. */
function failures(stderr) {
  const lines = stderr.split("\n");
  const failed = lines.filter((line) => /✕|^FAIL|^Tests:|error/.test(line));
  return `${(failed.length > 0 ? failed : lines.slice(-20)).join("\n")}\n`;
}

const jestConfig = createRequire(import.meta.url)(join(root, "jest.config.js"));
const cpuLog = join(mkdtempSync(join(tmpdir(), "test-loop-")), "cpu.jsonl");
const caches = [];
/** A new, empty jest cache directory, as on a fresh clone. */
function freshCache() {
  caches.push(mkdtempSync(join(tmpdir(), "jest-cache-")));
  return ["--cacheDirectory", caches.at(-1)];
}
const node = (entry, ...args) => [process.execPath, resolve(entry), ...args];
const setupFiles = [...(jestConfig.setupFilesAfterEnv ?? []), join(root, "bench/test-cpu.cjs")].map((f) =>
  f.replace("<rootDir>", root),
);

measure("npm test (CI=true, cold jest cache)", ["npm", "test", "--", ...freshCache()]);
measure("tsc --noEmit", node("typescript/bin/tsc", "--noEmit", "-p", "tsconfig.json"));
measure("biome check", node("@biomejs/biome/bin/biome", "check", "."));
measure("jest (cold cache)", node("jest/bin/jest", ...freshCache(), "--setupFilesAfterEnv", ...setupFiles), {
  TEST_LOOP_CPU_LOG: cpuLog,
});

const files = readFileSync(cpuLog, "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line))
  .sort((a, b) => b.cpu - a.cpu);
rmSync(cpuLog);
for (const cache of caches) rmSync(cache, { recursive: true, force: true });
const total = files.reduce((sum, f) => sum + f.cpu, 0);
console.log(`\njest CPU per test file (sum ${total.toFixed(1)} s over ${files.length} files; top 15):`);
for (const { file, cpu } of files.slice(0, 15))
  console.log(`${cpu.toFixed(2).padStart(7)} s  ${relative(root, file)}`);
