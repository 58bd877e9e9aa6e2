/**
 * Apply stopped by a signal (Ctrl-C, SIGTERM from a CI runner): the run gives up at once, even while a
 * request or a wait for quota is under way (that request may still land; the next run re-reads and
 * converges either way), lets go of the kit's workspace, and exits 1. The CLI turns the signal into
 * an AbortSignal; a second one ends the process at once.
 */
import { UserError } from "../../errors/report";
import type { GtmApi } from "../core/api";

export class ApplyInterrupted extends UserError {
  constructor(
    readonly signalName: string,
    readonly during: string,
  ) {
    super(
      `apply interrupted (${signalName}) during ${during}: nothing more was sent. Run apply again to finish: it picks up where this run stopped`,
    );
    this.name = "ApplyInterrupted";
  }
}

/** `api` whose calls fail with ApplyInterrupted once `signal` aborts, those under way included. */
export function interruptible(api: GtmApi, signal: AbortSignal): GtmApi {
  const stopped = (method: string) => new ApplyInterrupted(String(signal.reason ?? "interrupted"), method);
  const wrapped: Record<string, unknown> = {};
  for (const [method, original] of Object.entries(api) as [
    string,
    (...args: unknown[]) => Promise<unknown>,
  ][]) {
    wrapped[method] = (...args: unknown[]) => {
      if (signal.aborted) return Promise.reject(stopped(method));
      const call = original.apply(api, args);
      return new Promise((resolve, reject) => {
        const onAbort = () => reject(stopped(method));
        signal.addEventListener("abort", onAbort, { once: true });
        call.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
      });
    };
  }
  return wrapped as unknown as GtmApi;
}
