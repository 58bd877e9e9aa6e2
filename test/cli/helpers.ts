/** Runs the `sgtm` command tree in-process, as the CLI tests need it. */
import { stripVTControlCharacters } from "node:util";
import type { Command } from "commander";
import { buildProgram } from "../../src/cli/program";
import { runCli } from "../../src/cli/run";

export interface CliRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** `sgtm --config-dir <configDir> ...args` with stdout and stderr captured (colors removed). */
export function runSgtm(configDir: string, ...args: string[]): Promise<CliRun> {
  return runProgram(buildProgram(), ["--config-dir", configDir, ...args]);
}

/** Runs `args` on a command tree (the whole one, or a test's own) with stdout and stderr captured. */
export async function runProgram(program: Command, args: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (into: string[]) => (chunk: string | Uint8Array) => {
    into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  };
  const stdout = jest.spyOn(process.stdout, "write").mockImplementation(capture(out) as never);
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation(capture(err) as never);
  process.exitCode = undefined;
  try {
    await runCli(program, ["node", "sgtm", ...args]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const run = {
    stdout: stripVTControlCharacters(out.join("")),
    stderr: stripVTControlCharacters(err.join("")),
    exitCode: Number(process.exitCode ?? 0),
  };
  process.exitCode = undefined;
  return run;
}
