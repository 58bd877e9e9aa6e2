/** Runs `sgtm` in-process (`runCli(buildProgram(), argv)`), capturing what it prints and its exit code. */
import { Writable } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import type { Command } from "commander";
import { buildProgram } from "../../src/cli/program";
import { runCli } from "../../src/cli/run";

export interface CliRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** `sgtm ...args`; fails the test when stdout or stderr holds any of `secrets`. */
export function runSgtm(args: readonly string[], secrets: readonly string[] = []): Promise<CliRun> {
  return runProgram(buildProgram(), args, secrets);
}

/** `args` on a command tree (the whole one, or a test's own with injected dependencies), captured. */
export async function runProgram(
  program: Command,
  args: readonly string[],
  secrets: readonly string[] = [],
): Promise<CliRun> {
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
  for (const secret of secrets) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
  return run;
}

/** Nothing but a stack trace has lines like "    at fn (file.ts:1:2)". */
export function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

/**
 * Saves the given environment variables before a test file's tests and puts them back after (`restore`
 * puts one back early).
 */
export function keepEnvironment(names: readonly string[]): { restore(name: string): void } {
  const saved = new Map<string, string | undefined>();
  const restore = (name: string) => {
    const value = saved.get(name);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  beforeAll(() => {
    for (const name of names) saved.set(name, process.env[name]);
  });
  afterAll(() => {
    for (const name of names) restore(name);
  });
  return { restore };
}

/** The environment of a CLI run against the local fake: its root URL, the token override, no colors. */
export function pointAtFake(rootUrl: string, token: string): void {
  process.env.SGTM_GTM_ROOT_URL = rootUrl;
  process.env.SGTM_TIKTOK_ACCESS_TOKEN = token;
  process.env.NO_COLOR = "1";
}

/** A stream that keeps what is written to it, standing in for stdout or stderr (not a TTY). */
export function capturedStream(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => stripVTControlCharacters(chunks.join("")) };
}
