/**
 * The process runner (output as it comes, exit codes, a command not found, one SIGINT to the command's
 * whole process group), the process's interrupt source, and the waits' deadline and interruption.
 */
import { join } from "node:path";
import { processInterrupts } from "../../src/acceptance/interrupts";
import { NOT_FOUND_EXIT, spawnProcessRunner } from "../../src/acceptance/process";
import { dnsRecordsOf, waitForDns, waitForDoctor } from "../../src/acceptance/waits";
import { RemoteCallError } from "../../src/doctor/errors";
import type { DoctorDeps } from "../../src/doctor/types";
import {
  environmentOf,
  STAND_IN_BIN,
  scratchProject,
  simulatedClock,
  standInCalls,
  testInputs,
} from "./helpers";

describe("the process runner", () => {
  it("passes each line on as it comes, a line of stdout never spliced with stderr, and keeps the output and the exit code", async () => {
    const lines: string[] = [];
    // stdout's line "three" comes in two chunks, with a line of stderr between them.
    const script = [
      "console.log('one');",
      "process.stdout.write('thr');",
      "setTimeout(() => { process.stderr.write('two\\n');",
      "  setTimeout(() => { process.stdout.write('ee\\nfour'); process.exitCode = 3; }, 100); }, 100);",
    ].join("\n");
    const result = await spawnProcessRunner.run(
      { argv: ["node", "-e", script], env: process.env, cwd: process.cwd() },
      { onLine: (line) => lines.push(line) },
    );
    expect(result.exitCode).toBe(3);
    expect(result.interrupted).toBe(false);
    expect(lines).toEqual(["one", "two", "three", "four"]);
    expect(result.output).toBe("one\nthrtwo\nee\nfour");
  });

  it("answers a command that is not there with 127 and says so", async () => {
    const result = await spawnProcessRunner.run({
      argv: ["sgtm-no-such-command"],
      env: process.env,
      cwd: process.cwd(),
    });
    expect(result).toEqual({
      exitCode: NOT_FOUND_EXIT,
      output: "sgtm-no-such-command: not found on PATH",
      interrupted: false,
    });
  });

  it("sends one SIGINT to the command's whole process group (a child of a shell gets it too)", async () => {
    const root = scratchProject();
    const log = join(root, "calls.jsonl");
    const controller = new AbortController();
    const result = await spawnProcessRunner.run(
      {
        // The stand-in runs as a child of sh: only a signal to the group reaches it.
        argv: ["sh", "-c", "cdktf deploy acceptance-t1; echo sh-done"],
        env: {
          ...process.env,
          PATH: `${STAND_IN_BIN}:${process.env.PATH}`,
          STANDIN_LOG: log,
          STANDIN_CDKTF: JSON.stringify({ deploy: { hang: true } }),
        },
        cwd: root,
      },
      {
        signal: controller.signal,
        onLine: (line) => {
          if (line.endsWith("waiting for an interrupt")) controller.abort();
        },
      },
    );
    expect(result.interrupted).toBe(true);
    expect(standInCalls(log).filter((c) => c.signal)).toEqual([
      { tool: "cdktf", signal: "SIGINT", command: "deploy" },
    ]);
    expect(result.output).toContain("Interrupt received. Gracefully shutting down...");
  });
});

describe("the process's interrupts", () => {
  it("take SIGINT and SIGTERM while listened to, and stop when told", () => {
    const before = [process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")];
    const seen: string[] = [];
    const stop = processInterrupts.onInterrupt((signal) => seen.push(signal));
    process.emit("SIGINT", "SIGINT");
    process.emit("SIGTERM", "SIGTERM");
    stop();
    expect(seen).toEqual(["SIGINT", "SIGTERM"]);
    expect([process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")]).toEqual(before);
  });
});

describe("the waits", () => {
  /** Every remote call fails: every check fails, round after round. */
  const down = async (): Promise<never> => {
    throw new RemoteCallError("unreachable", "network");
  };
  const deps: DoctorDeps = {
    dns: { resolveA: down },
    https: { get: down },
    cloud: { globalAddress: down, certificate: down },
    secrets: { hasEnabledVersion: down, membersWithRole: down, latestValue: down },
    gtm: down,
    tiktok: { rootUrl: "http://127.0.0.1:9/", track: down },
    now: () => 0,
    newEventId: () => "id",
  };

  function context(waitMs: number, signal = new AbortController().signal) {
    const clock = simulatedClock();
    const printed: string[] = [];
    const ctx = {
      options: { env: environmentOf(testInputs()) },
      deps,
      clock,
      signal,
      print: (line: string) => printed.push(line),
      waitMs,
      pollMs: 60_000,
    };
    return { ctx, clock, printed };
  }

  it("end at the deadline with what still fails, having slept only up to it, and never send the test event", async () => {
    const { ctx, clock, printed } = context(5 * 60_000);
    const result = await waitForDoctor(ctx);
    expect(result.outcome).toBe("failed");
    expect(result.detail).toMatch(/^still failing after 5 min: dns-tagging, dns-preview, certificate, /);
    expect(result.detail).not.toContain("tiktok-test-event");
    expect(clock.sleeps).toBe(5);
    expect(printed).toHaveLength(6);
    expect(printed[0]).toMatch(
      /^ {2}doctor, round 1 at 0 min \(of up to 5\): 0 passed, 11 failed, 2 skipped; waiting on dns-tagging \(.*\), dns-preview \(.*\), and certificate, https-healthy, /,
    );
  });

  it("stop at an interrupt, without another round", async () => {
    const controller = new AbortController();
    const { ctx, clock, printed } = context(90 * 60_000, controller.signal);
    clock.onSleep = (count) => {
      if (count === 2) controller.abort();
    };
    const result = await waitForDns(ctx);
    expect(result.outcome).toBe("interrupted");
    expect(printed).toHaveLength(2);
  });

  it("find the DNS records in the deploy's outputs, wherever the construct puts them", () => {
    const outputs = {
      "acceptance-t1": {
        "https-frontend": { "dns-records": ["a. 300 IN A 1.2.3.4", 7], "ip-address": "1.2.3.4" },
        monitoring: "none",
      },
    };
    expect(dnsRecordsOf(outputs)).toEqual(["a. 300 IN A 1.2.3.4"]);
    expect(dnsRecordsOf({})).toEqual([]);
  });
});
