#!/usr/bin/env node
/**
 * `npm test`: the type check, biome and jest. The type check runs beside the other two instead of before
 * them: jest keeps the cores busy only part of the time (worker start-up, the last long files), and the
 * type check fills those gaps. Its output is held and printed after jest's. Every step runs; the exit
 * code is 1 when any failed. Arguments go to jest (`npm test -- test/gtm`).
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const resolve = createRequire(import.meta.url).resolve;

/** Runs a package's node entry point; `held` keeps its output for later instead of streaming it. */
function run(entry, args, held) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(entry), ...args], {
      stdio: held ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    const output = [];
    child.stdout?.on("data", (chunk) => output.push(chunk));
    child.stderr?.on("data", (chunk) => output.push(chunk));
    child.on("close", (code, signal) => done({ ok: code === 0, output: Buffer.concat(output), signal }));
  });
}

const typecheck = run("typescript/bin/tsc", ["--noEmit", "-p", "tsconfig.json"], true);
const lint = await run("@biomejs/biome/bin/biome", ["check", "."], false);
const jest = await run("jest/bin/jest", process.argv.slice(2), false);
const types = await typecheck;
process.stdout.write(types.output);

const failed = [
  ["type check (tsc --noEmit)", types],
  ["lint (biome check)", lint],
  ["tests (jest)", jest],
].filter(([, result]) => !result.ok);
for (const [step] of failed) console.error(`npm test: ${step} failed`);
process.exitCode = failed.length > 0 ? 1 : 0;
