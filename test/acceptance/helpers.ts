/**
 * What the acceptance tests share: a scratch project root, the stand-in `cdktf` and `terraform` on
 * PATH (test/acceptance/fixtures/bin, recording every call), the kit's CLI run from the sources, a
 * clock that never waits, an interrupt source the test fires, and prerequisite reads that pass unless
 * told otherwise.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { environmentFiles } from "../../src/acceptance/environment";
import { checkEnvironment } from "../../src/acceptance/environment-load";
import { type AcceptanceInputs, runLayout } from "../../src/acceptance/inputs";
import type { InterruptSource } from "../../src/acceptance/interrupts";
import type { PrerequisiteReads } from "../../src/acceptance/prerequisites";
import { spawnProcessRunner } from "../../src/acceptance/process";
import type { AcceptanceDeps } from "../../src/acceptance/run-deps";
import type { RunClock } from "../../src/acceptance/waits";
import type { EnvironmentConfig } from "../../src/config/model";

export const STAND_IN_BIN = join(__dirname, "fixtures", "bin");
/** `node sgtm.cjs <args>` runs the kit's CLI from the sources, as `node bin/sgtm.js <args>` runs the build. */
export const KIT_CLI_FROM_SOURCES = ["node", join(__dirname, "fixtures", "sgtm.cjs")];

/** The inputs of the tests' runs: the fixture container's ids, a pixel, a test event code. */
export function testInputs(overrides: Partial<AcceptanceInputs> = {}): AcceptanceInputs {
  return {
    name: "t1",
    project: "sgtm-sandbox-1",
    region: "europe-west1",
    domain: "sgtm-test.acme-shop.com",
    gtmAccount: "6012345678",
    gtmContainer: "198765432",
    pixel: "C4A1B2C3D4E5F6G7H8I9",
    testEventCode: "TEST12345",
    ...overrides,
  };
}

/** The environment a run of `inputs` deploys, as the config loader reads it. */
export function environmentOf(inputs: AcceptanceInputs): EnvironmentConfig {
  const layout = runLayout(inputs.name);
  return checkEnvironment(environmentFiles(inputs, layout), layout);
}

/** A scratch project root that passes the project-root check (the kit's files, as placeholders). */
export function scratchProject(): string {
  const root = mkdtempSync(join(tmpdir(), "sgtm-acceptance-test-"));
  for (const file of ["cdktf.json", "bin/sgtm.js", "dist/src/cli/main.js"]) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), "");
  }
  return root;
}

/** One call a stand-in recorded. */
export interface StandInCall {
  readonly tool: "cdktf" | "terraform";
  readonly args?: string[];
  readonly retired?: boolean | null;
  readonly tokenVariable?: string | null;
  readonly signal?: string;
  readonly command?: string;
}

export function standInCalls(log: string): StandInCall[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as StandInCall);
}

/** `cdktf <subcommand> <stack>` per recorded cdktf call, in order (the version check included). */
export function cdktfCommands(log: string): string[] {
  return standInCalls(log)
    .filter((call) => call.tool === "cdktf" && call.args)
    .map((call) => (call.args ?? []).slice(0, 2).join(" "));
}

/** A clock that advances by what is slept, never waiting; `onSleep` runs at each sleep. */
export function simulatedClock(start = Date.UTC(2026, 11, 1, 9, 0, 0)): RunClock & {
  onSleep?: (count: number) => void;
  sleeps: number;
} {
  let now = start;
  const clock = {
    sleeps: 0,
    onSleep: undefined as ((count: number) => void) | undefined,
    now: () => now,
    sleep: async (ms: number, signal: AbortSignal) => {
      clock.sleeps += 1;
      clock.onSleep?.(clock.sleeps);
      if (!signal.aborted) now += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return clock;
}

/** An interrupt source the test fires (`fire()` is Ctrl-C). */
export function manualInterrupts(): InterruptSource & { fire(signal?: string): void; listening(): boolean } {
  let handler: ((signal: string) => void) | undefined;
  return {
    onInterrupt(h) {
      handler = h;
      return () => {
        handler = undefined;
      };
    },
    fire(signal = "SIGINT") {
      handler?.(signal);
    },
    listening: () => handler !== undefined,
  };
}

/** Reads that answer as a sandbox project ready for a run; `overrides` change one answer. */
export function passingReads(overrides: Partial<PrerequisiteReads> = {}): PrerequisiteReads {
  return {
    identity: async () => "the credentials in $GOOGLE_OAUTH_ACCESS_TOKEN",
    billingEnabled: async () => true,
    serviceState: async () => "ENABLED",
    grantedPermissions: async (_project, permissions) => [...permissions],
    containerUsage: async () => ["server"],
    bucketExists: async () => undefined,
    dnsZoneName: async () => "acme-shop.com.",
    secretHasVersion: async () => true,
    ...overrides,
  };
}

export interface TestRunDeps {
  readonly deps: AcceptanceDeps;
  readonly clock: ReturnType<typeof simulatedClock>;
  readonly interrupts: ReturnType<typeof manualInterrupts>;
  readonly printed: string[];
  /** The stand-ins' record of calls. */
  readonly log: string;
}

/**
 * Deps for a run in `root`: the real process runner with the stand-ins first on PATH, the kit's CLI
 * from the sources, `vars` added to the environment (`STANDIN_*`, the token, `SGTM_GTM_ROOT_URL`).
 */
export function testRunDeps(
  root: string,
  vars: NodeJS.ProcessEnv,
  overrides: Partial<AcceptanceDeps> & { onPrint?: (line: string) => void } = {},
): TestRunDeps {
  const log = join(root, "stand-in-calls.jsonl");
  const clock = simulatedClock();
  const interrupts = manualInterrupts();
  const printed: string[] = [];
  const { onPrint, ...rest } = overrides;
  const deps: AcceptanceDeps = {
    root,
    vars: {
      ...process.env,
      PATH: `${STAND_IN_BIN}${delimiter}${process.env.PATH ?? ""}`,
      STANDIN_LOG: log,
      NO_COLOR: "1",
      ...vars,
    },
    processes: spawnProcessRunner,
    reads: () => passingReads(),
    doctor: () => {
      throw new Error("this test runs no doctor");
    },
    tokenFromSecret: async () => undefined,
    clock,
    interrupts,
    print: (line) => {
      printed.push(line);
      onPrint?.(line);
    },
    kitCli: KIT_CLI_FROM_SOURCES,
    pollMs: { dns: 30_000, doctor: 60_000 },
    pinnedCdktf: "0.21.0",
    ...rest,
  };
  return { deps, clock, interrupts, printed, log };
}
