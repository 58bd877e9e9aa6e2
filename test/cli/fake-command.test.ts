/**
 * `sgtm fake`: the built CLI (transpiled into a temp folder, as the cdktf app command does) serves the
 * fake in a child process, and the same CLI's `gtm plan` reaches it through the printed
 * SGTM_GTM_ROOT_URL with no Google credentials. Bad input is rejected in-process, before anything
 * listens: one line on stderr, exit 1.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freshen } from "../../bin/cdktf-app";
import { buildProgram } from "../../src/cli/program";
import { runCli } from "../../src/cli/run";
import { HAND_MADE_TAG } from "../../src/gtm/fake/seed";
import { FIXTURE_CONFIG_DIR } from "../config/helpers";

const ROOT = join(__dirname, "..", "..");
const EXPORT_LINE = /^export SGTM_GTM_ROOT_URL=(http:\/\/127\.0\.0\.1:(\d+)\/)\n$/;

let built: string;
let cli: string;

beforeAll(() => {
  built = mkdtempSync(join(tmpdir(), "sgtm-fake-cli-"));
  freshen({ root: ROOT, outDir: built });
  cli = join(built, "src", "cli", "main.js");
});
afterAll(() => rmSync(built, { recursive: true, force: true }));

/**
 * The environment of every child: node_modules found from the temp build, and credentials that would
 * fail if anything tried to use them.
 */
function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith("SGTM_TIKTOK_ACCESS_TOKEN") || name === "SGTM_GTM_ROOT_URL") delete env[name];
  }
  return {
    ...env,
    NODE_PATH: join(ROOT, "node_modules"),
    GOOGLE_APPLICATION_CREDENTIALS: join(built, "no-such-credentials.json"),
    NO_COLOR: "1",
    ...extra,
  };
}

interface Served {
  readonly child: ChildProcess;
  readonly stdout: string;
  readonly rootUrl: string;
  stderr(): string;
}

/** Starts `sgtm fake ...args` and resolves once it has printed its export line. */
function serveFake(...args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [cli, "--config-dir", FIXTURE_CONFIG_DIR, "fake", ...args], {
    cwd: ROOT,
    env: childEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
      const match = EXPORT_LINE.exec(stdout);
      if (match) resolve({ child, stdout, rootUrl: match[1], stderr: () => stderr });
    });
    child.on("exit", (code) => reject(new Error(`sgtm fake exited (${code}) before serving:\n${stderr}`)));
  });
}

/** Sends `signal` and resolves with how the child ended. */
function stop(
  served: Served,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    served.child.on("exit", (code, by) => resolve({ code, signal: by }));
    served.child.kill(signal);
  });
}

/** The built CLI, as a user runs it after `export SGTM_GTM_ROOT_URL=...`. */
function sgtmChild(
  rootUrl: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, "--config-dir", FIXTURE_CONFIG_DIR, ...args],
      { cwd: ROOT, env: childEnv({ SGTM_GTM_ROOT_URL: rootUrl }) },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

/** The error code of a TCP connection to 127.0.0.1:port, or "connected". */
function connectError(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe("sgtm fake serves the fake until stopped", () => {
  test("seeded like the demo, it answers `gtm plan --markdown` of the real CLI; SIGTERM ends it with exit 0", async () => {
    const served = await serveFake("--port", "0");
    try {
      expect(served.stdout).toMatch(EXPORT_LINE); // one line on stdout, nothing else
      expect(served.stderr()).toContain(
        `acme-production: accounts/6012345678/containers/123456789 (GA4 client, hand-made tag "${HAND_MADE_TAG}", live version 1)`,
      );
      expect(served.stderr()).toContain("acme-staging: accounts/6012345678/containers/198765432");

      const plan = await sgtmChild(served.rootUrl, "gtm", "plan", "--env", "acme-production", "--markdown");
      expect(plan.stderr).toBe("");
      expect(plan.code).toBe(0);
      expect(plan.stdout).toMatch(/^### sgtm-tiktok-kit plan for `acme-production` \(production\)/);
      expect(plan.stdout).toContain("| Action | Kind | Name |");
      expect(plan.stdout).toMatch(/^\| create \| tag \| TikTok Kit \\\| CompletePayment \(purchase\) \|$/m);
      // Built from the seeded container: its GA4 client already enabled Client Name, its own tag is left alone.
      expect(plan.stdout).toContain("| Built-ins | enable eventName |");
      expect(plan.stdout).not.toContain(HAND_MADE_TAG);
    } finally {
      const ended = await stop(served, "SIGTERM");
      expect(ended).toEqual({ code: 0, signal: null });
    }
    expect(served.stderr()).toContain("fake Tag Manager API stopped (SIGTERM)");
    // Stopped means stopped: nothing listens on the port any more.
    expect(await connectError(Number(new URL(served.rootUrl).port))).toBe("ECONNREFUSED");
  });

  test("--seed empty serves the containers with nothing in them; SIGINT ends it with exit 0", async () => {
    const served = await serveFake("--port", "0", "--seed", "empty");
    try {
      expect(served.stderr()).toContain("acme-production: accounts/6012345678/containers/123456789 (empty)");
      const plan = await sgtmChild(served.rootUrl, "gtm", "plan", "--env", "acme-production", "--markdown");
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain("| Built-ins | enable clientName, eventName |");
    } finally {
      expect(await stop(served, "SIGINT")).toEqual({ code: 0, signal: null });
    }
  });
});

describe("sgtm fake rejects bad input with one line and exit 1", () => {
  /** `sgtm fake ...args` in-process; resolves only because every case fails before serving. */
  async function fake(...args: string[]): Promise<{ exitCode: number; stderr: string; stdout: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const capture = (into: string[]) => (chunk: string | Uint8Array) => {
      into.push(String(chunk));
      return true;
    };
    const stdout = jest.spyOn(process.stdout, "write").mockImplementation(capture(out) as never);
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(capture(err) as never);
    process.exitCode = undefined;
    try {
      await runCli(buildProgram(), ["node", "sgtm", "--config-dir", FIXTURE_CONFIG_DIR, "fake", ...args]);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    const exitCode = Number(process.exitCode ?? 0);
    process.exitCode = undefined;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
    return { exitCode, stderr: err.join("").replace(/\u001b\[[0-9;]*m/g, ""), stdout: out.join("") };
  }

  function expectOneLineError(run: { exitCode: number; stderr: string; stdout: string }, text: string) {
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toEqual([expect.stringContaining(text)]);
    expect(run.stderr).toMatch(/^error: /);
  }

  test("a port already in use", async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      expectOneLineError(await fake("--port", String(port)), `127.0.0.1:${port} is already in use`);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  test.each([
    "0.0.0.0",
    "192.168.1.10",
    "example.com",
    "::",
  ])("a host that is not loopback: %s", async (host) => {
    expectOneLineError(await fake("--host", host, "--port", "0"), `--host ${host}: not a loopback address`);
  });

  test.each(["abc", "65536", "1.5", "-1", ""])("an invalid port: '%s'", async (port) => {
    expectOneLineError(await fake("--port", port), `--port ${port}: expected a whole number from 0 to 65535`);
  });

  test("an unknown seed", async () => {
    expectOneLineError(
      await fake("--port", "0", "--seed", "full"),
      "--seed full: expected one of demo, empty",
    );
  });
});
