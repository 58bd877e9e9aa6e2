/**
 * cdktf records a full stack trace for every token it creates (`creationStack`, shown only if that token
 * later fails to resolve), by calling `Error.captureStackTrace` on a plain object. Under jest each of
 * those traces went through the source-map support jest installs, frame by frame: about half the CPU
 * of a synth. A trace captured on anything but an Error now keeps V8's own format; an Error's trace
 * (what a failing test prints) is source-mapped as before.
 */
import { types } from "node:util";

const sourceMapped = Error.prepareStackTrace;

if (sourceMapped !== undefined) {
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) =>
    types.isNativeError(error) ? sourceMapped(error, frames) : v8Format(error, frames);
}

function v8Format(error: Error, frames: NodeJS.CallSite[]): string {
  return [String(error), ...frames.map((frame) => `    at ${frame}`)].join("\n");
}
