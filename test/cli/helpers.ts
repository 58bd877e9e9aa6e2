/** Runs the `sgtm` command tree in-process, as the CLI tests need it. */
import { Writable } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import { buildProgram } from "../../src/cli/program";
import { runCli } from "../../src/cli/run";

export interface CliRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** `sgtm --config-dir <configDir> ...args` with stdout and stderr captured (colors removed). */
export async function runSgtm(configDir: string, ...args: string[]): Promise<CliRun> {
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
    await runCli(buildProgram(), ["node", "sgtm", "--config-dir", configDir, ...args]);
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
