/**
 * The two waits of a run, both made of doctor's own checks (in this process, over the injected remote
 * calls): the DNS records, then every check. A round runs, and while a check fails the wait sleeps and
 * runs another, until all pass, the wait ends, or the run is interrupted. Each round prints one line.
 * The TikTok test event is sent once, after everything else passes, not once per round.
 */
import { dnsPreviewCheck, dnsTaggingCheck } from "../doctor/checks/network";
import { tiktokTestEventCheck } from "../doctor/checks/tiktok";
import type { Check } from "../doctor/context";
import { CHECKS, hasFailure, runDoctor } from "../doctor/run";
import type { CheckResult, DoctorDeps, DoctorOptions } from "../doctor/types";

/** Time as the run sees it; tests pass one that never really waits. */
export interface RunClock {
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: RunClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    }),
};

export interface WaitContext {
  readonly options: DoctorOptions;
  readonly deps: DoctorDeps;
  readonly clock: RunClock;
  readonly signal: AbortSignal;
  readonly print: (line: string) => void;
  /** How long the wait may last. */
  readonly waitMs: number;
  /** Between two rounds. */
  readonly pollMs: number;
}

export interface WaitResult {
  readonly outcome: "passed" | "failed" | "interrupted";
  readonly detail: string;
  readonly results: readonly CheckResult[];
}

export const DNS_CHECKS: readonly Check[] = [dnsTaggingCheck, dnsPreviewCheck];

/** Until both hosts resolve to the load balancer's address. */
export function waitForDns(ctx: WaitContext): Promise<WaitResult> {
  return pollChecks(ctx, DNS_CHECKS, "DNS");
}

/**
 * Until every check but the TikTok test event passes, then once more with it: a failure then is
 * TikTok's answer (a token, a pixel), which waiting does not change.
 */
export async function waitForDoctor(ctx: WaitContext): Promise<WaitResult> {
  const withoutEvent = CHECKS.filter((check) => check !== tiktokTestEventCheck);
  const waited = await pollChecks(ctx, withoutEvent, "doctor");
  if (waited.outcome !== "passed") return waited;
  const results = await runDoctor(ctx.options, ctx.deps);
  ctx.print(`  doctor, with the TikTok test event: ${summary(results)}`);
  return hasFailure(results)
    ? { outcome: "failed", detail: `failing: ${failingNames(results)}`, results }
    : { outcome: "passed", detail: summary(results), results };
}

async function pollChecks(ctx: WaitContext, checks: readonly Check[], label: string): Promise<WaitResult> {
  const started = ctx.clock.now();
  const minutes = (ms: number) => Math.floor(ms / 60_000);
  for (let round = 1; ; round++) {
    const results = await runDoctor(ctx.options, ctx.deps, checks);
    const elapsed = ctx.clock.now() - started;
    const failing = results.filter((r) => r.status === "fail");
    ctx.print(
      `  ${label}, round ${round} at ${minutes(elapsed)} min (of up to ${minutes(ctx.waitMs)}): ${summary(results)}${waitingOn(failing)}`,
    );
    if (failing.length === 0) return { outcome: "passed", detail: summary(results), results };
    if (ctx.signal.aborted) return { outcome: "interrupted", detail: "interrupted while waiting", results };
    if (elapsed + ctx.pollMs > ctx.waitMs) {
      return {
        outcome: "failed",
        detail: `still failing after ${minutes(elapsed)} min: ${failingNames(results)}`,
        results,
      };
    }
    await ctx.clock.sleep(ctx.pollMs, ctx.signal);
    if (ctx.signal.aborted) return { outcome: "interrupted", detail: "interrupted while waiting", results };
  }
}

/** The first failing checks with what they saw, the rest by name: one line per round, however much fails. */
function waitingOn(failing: readonly CheckResult[]): string {
  if (failing.length === 0) return "";
  const shown = failing.slice(0, 2).map((r) => `${r.name} (${r.detail})`);
  const more = failing.slice(2).map((r) => r.name);
  return `; waiting on ${shown.join(", ")}${more.length > 0 ? `, and ${more.join(", ")}` : ""}`;
}

function summary(results: readonly CheckResult[]): string {
  const count = (status: CheckResult["status"]) => results.filter((r) => r.status === status).length;
  return `${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped`;
}

function failingNames(results: readonly CheckResult[]): string {
  return results
    .filter((r) => r.status === "fail")
    .map((r) => r.name)
    .join(", ");
}

/**
 * The DNS records in `cdktf deploy --outputs-file`'s JSON: outputs are nested by construct path
 * (docs/facts/cdktf-and-terraform.md#the-outputs-file), the records under `https-frontend` >
 * `dns-records`. Searched by key, so a construct moving does not lose them.
 */
export function dnsRecordsOf(outputs: unknown): string[] {
  if (Array.isArray(outputs)) return outputs.flatMap(dnsRecordsOf);
  if (typeof outputs !== "object" || outputs === null) return [];
  return Object.entries(outputs).flatMap(([key, value]) =>
    key === "dns-records" && Array.isArray(value)
      ? value.filter((record): record is string => typeof record === "string")
      : dnsRecordsOf(value),
  );
}
