/**
 * The runner and the report: every check runs whatever the others do, a throwing check is a failed
 * line (no stack trace), the token is scrubbed from every line, and the text and JSON renders.
 */
import { stripVTControlCharacters } from "node:util";
import type { Check } from "../../src/doctor/context";
import { nodeHttps } from "../../src/doctor/net";
import { renderJson, renderText } from "../../src/doctor/render";
import { CHECKS, hasFailure, runDoctor } from "../../src/doctor/run";
import type { CheckResult } from "../../src/doctor/types";
import { CHECK_NAMES, closedPort, stagingEnvironment, TOKEN, useWorld, type World } from "./stand-ins";

const env = stagingEnvironment();
const running = useWorld(env);
let world: World;
beforeEach(() => {
  world = running();
});

/** Nothing but a stack trace has lines like "    at fn (file.ts:1:2)". */
function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

describe("runDoctor", () => {
  it("runs every check, in the contract's order; against healthy stand-ins all pass", async () => {
    const results = await runDoctor({ env }, world.deps());
    expect(results.map((r) => r.name)).toEqual(CHECK_NAMES);
    expect(results.filter((r) => r.status !== "pass")).toEqual([]);
    expect(hasFailure(results)).toBe(false);
  });

  it("turns a check that throws into a failed line and still runs the others", async () => {
    const boom: Check = {
      name: "boom",
      doc: { passesWhen: "never", usualFix: "none" },
      run: async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'x')\n    at boom (doctor.ts:1:2)");
      },
    };
    const healthy = CHECKS.find((c) => c.name === "https-healthy") as Check;
    const results = await runDoctor({ env }, world.deps(), [boom, healthy]);
    expect(results[0]).toEqual({
      name: "boom",
      status: "fail",
      detail: "the check itself failed: Cannot read properties of undefined (reading 'x')",
      fix: expect.stringContaining("run doctor again"),
    });
    expect(results[1].status).toBe("pass");
    expect(hasFailure(results)).toBe(true);
  });

  it("scrubs the token from every line, whatever a check writes", async () => {
    const leaky: Check = {
      name: "leaky",
      doc: { passesWhen: "never", usualFix: "none" },
      run: async (ctx) => {
        const found = await ctx.token();
        return {
          status: "fail",
          detail: `got ${found?.token.reveal()}`,
          fix: `use ${found?.token.reveal()}`,
        };
      },
    };
    const [result] = await runDoctor({ env }, world.deps(), [leaky]);
    expect(result).toMatchObject({ detail: "got (sensitive)", fix: "use (sensitive)" });
  });

  it("fails every check with a fix when everything is down, without throwing or a stack trace", async () => {
    world.dnsRecords.clear();
    world.google.failAll = 403;
    world.tiktok.answer = "hang";
    world.gtm.transform = () => ({
      status: 403,
      body: { error: { code: 403, message: "denied (stand-in)" } },
    });
    const port = await closedPort();
    const https = nodeHttps({ route: () => ({ address: "127.0.0.1", port }) });

    const results = await runDoctor({ env }, world.deps({ https }));
    expect(results.map((r) => r.name)).toEqual(CHECK_NAMES);
    const notFailed = results.filter((r) => r.status !== "fail").map((r) => `${r.name}: ${r.status}`);
    // Unreachable, the unknown-host probe cannot conclude; the token cannot be read to send a test event.
    expect(notFailed).toEqual(["https-unknown-host: skip"]);
    for (const result of results) expect(result.fix).not.toBe("");
    const text = renderText(env.stackName, results) + renderJson(results);
    expectNoStackTrace(text);
    expect(text).not.toContain(TOKEN);
  });
});

const SAMPLE: CheckResult[] = [
  { name: "dns-tagging", status: "pass", detail: "sgtm.shop.com -> 203.0.113.10", fix: "" },
  { name: "certificate", status: "fail", detail: "is PROVISIONING", fix: "it waits for DNS\n  step two" },
  { name: "tiktok-test-event", status: "skip", detail: "no test event code", fix: "copy the code" },
];

describe("the report", () => {
  it("prints one line per check, the fix indented under failures and skips, and a count", () => {
    expect(stripVTControlCharacters(renderText("shop-production", SAMPLE)).split("\n")).toEqual([
      "sgtm doctor shop-production",
      "pass  dns-tagging        sgtm.shop.com -> 203.0.113.10",
      "fail  certificate        is PROVISIONING",
      "      fix: it waits for DNS",
      "          step two",
      "skip  tiktok-test-event  no test event code",
      "      to run it: copy the code",
      "1 passed, 1 failed, 1 skipped",
      "",
    ]);
  });

  it("prints a long fix several checks share once, then refers to it (--json keeps each)", () => {
    const login = "log in:\n  gcloud auth application-default login";
    const results: CheckResult[] = [
      { name: "certificate", status: "fail", detail: "no credentials", fix: login },
      { name: "secret-token", status: "fail", detail: "no credentials", fix: login },
      { name: "dns-tagging", status: "fail", detail: "no A record", fix: "add it" },
      { name: "dns-preview", status: "fail", detail: "no A record", fix: "add it" },
    ];
    expect(stripVTControlCharacters(renderText("shop-production", results)).split("\n")).toEqual([
      "sgtm doctor shop-production",
      "fail  certificate   no credentials",
      "      fix: log in:",
      "          gcloud auth application-default login",
      "fail  secret-token  no credentials",
      "      fix: as for certificate above",
      "fail  dns-tagging   no A record",
      "      fix: add it",
      "fail  dns-preview   no A record",
      "      fix: add it",
      "0 passed, 4 failed, 0 skipped",
      "",
    ]);
    expect(JSON.parse(renderJson(results)).checks.map((c: CheckResult) => c.fix)).toEqual([
      login,
      login,
      "add it",
      "add it",
    ]);
  });

  it('prints {"checks":[{name,status,detail,fix}]} for --json', () => {
    expect(JSON.parse(renderJson(SAMPLE))).toEqual({ checks: SAMPLE });
  });
});
