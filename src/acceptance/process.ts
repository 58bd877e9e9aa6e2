/**
 * How an acceptance run starts a command: in its own process group, so a Ctrl-C at the terminal reaches
 * this process only, and the command gets exactly one SIGINT from us. Terraform stops gracefully on the
 * first SIGINT (finishing what is in flight and writing its state) and abandons its work on a second
 * one (docs/facts/cdktf-and-terraform.md#interrupting-terraform); a terminal that signalled the whole
 * group and a forwarded signal on top would be that second one.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";

export interface ProcessSpec {
  readonly argv: readonly string[];
  /** The command's whole environment. */
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface ProcessResult {
  readonly exitCode: number;
  /** stdout and stderr as they came (the last `MAX_KEPT_OUTPUT` characters). */
  readonly output: string;
  /** The signal asked it to stop before it ended. */
  readonly interrupted: boolean;
}

export interface ProcessOptions {
  /** Each line of output as it comes. */
  readonly onLine?: (line: string) => void;
  /** Aborting sends the command's process group one SIGINT. */
  readonly signal?: AbortSignal;
}

/** Runs commands; the real one spawns them, tests may pass their own. */
export interface ProcessRunner {
  run(spec: ProcessSpec, options?: ProcessOptions): Promise<ProcessResult>;
}

/** Enough for any plan the kit's stacks produce; older output is dropped first. */
export const MAX_KEPT_OUTPUT = 4 * 1024 * 1024;
/** A shell's convention for "command not found". */
export const NOT_FOUND_EXIT = 127;

export const spawnProcessRunner: ProcessRunner = {
  run(spec, options = {}) {
    return new Promise((resolve) => {
      const [file, ...args] = spec.argv;
      let output = "";
      let interrupted = false;
      // One partial line per stream: stdout and stderr interleave by chunk, not by line.
      const pending = { stdout: "", stderr: "" };
      const take = (stream: keyof typeof pending) => (chunk: Buffer) => {
        const text = chunk.toString("utf8");
        output = (output + text).slice(-MAX_KEPT_OUTPUT);
        const lines = (pending[stream] + text).split(/\r?\n/);
        pending[stream] = lines.pop() ?? "";
        for (const line of lines) options.onLine?.(line);
      };
      const child = spawn(file, args, {
        cwd: spec.cwd,
        env: spec.env,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const interrupt = () => {
        if (child.pid === undefined || child.exitCode !== null) return;
        interrupted = true;
        try {
          process.kill(-child.pid, "SIGINT");
        } catch {
          // The group is already gone.
        }
      };
      if (options.signal?.aborted) interrupt();
      else options.signal?.addEventListener("abort", interrupt, { once: true });
      child.stdout.on("data", take("stdout"));
      child.stderr.on("data", take("stderr"));
      child.on("error", (error: NodeJS.ErrnoException) => {
        options.signal?.removeEventListener("abort", interrupt);
        const missing = error.code === "ENOENT";
        resolve({
          exitCode: missing ? NOT_FOUND_EXIT : 1,
          output: missing ? `${file}: not found on PATH` : `${file}: ${error.message}`,
          interrupted: false,
        });
      });
      child.on("close", (code, signal) => {
        options.signal?.removeEventListener("abort", interrupt);
        for (const rest of [pending.stdout, pending.stderr]) if (rest) options.onLine?.(rest);
        const bySignal = signal ? 128 + (constants.signals[signal] ?? 0) : 1;
        resolve({ exitCode: code ?? bySignal, output, interrupted });
      });
    });
  },
};
