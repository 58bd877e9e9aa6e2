/**
 * Runs every check, always all of them: a check that throws becomes a failed check with its message
 * (never a stack trace), and one check's failure never stops another. Results keep the order below.
 * Every line is scrubbed of the token before anyone sees it.
 */
import { SENSITIVE_TEXT } from "../gtm/core/sensitive";
import { certificateCheck } from "./checks/certificate";
import { dedupCheck } from "./checks/dedup";
import { GTM_CHECKS } from "./checks/gtm";
import { dnsPreviewCheck, dnsTaggingCheck, httpsHealthyCheck, httpsUnknownHostCheck } from "./checks/network";
import { SECRET_CHECKS } from "./checks/secrets";
import { tiktokTestEventCheck } from "./checks/tiktok";
import { type Check, DoctorContext } from "./context";
import { firstLine } from "./errors";
import type { CheckResult, DoctorDeps, DoctorOptions } from "./types";

/**
 * The checks, in report order; their names are part of the `--json` contract. A new check is a `Check`
 * under checks/, a line below, a `describe` in test/doctor/checks.test.ts, and `npm run docs` to add
 * its row to the guide's table (docs/doctor.md).
 */
export const CHECKS: readonly Check[] = [
  dnsTaggingCheck,
  dnsPreviewCheck,
  certificateCheck,
  httpsHealthyCheck,
  httpsUnknownHostCheck,
  ...SECRET_CHECKS,
  ...GTM_CHECKS,
  dedupCheck,
  tiktokTestEventCheck,
];

export async function runDoctor(
  options: DoctorOptions,
  deps: DoctorDeps,
  checks: readonly Check[] = CHECKS,
): Promise<CheckResult[]> {
  const ctx = new DoctorContext(options, deps);
  const results = await Promise.all(checks.map((check) => runCheck(check, ctx)));
  return results.map((result) => scrub(result, ctx.sensitive));
}

async function runCheck(check: Check, ctx: DoctorContext): Promise<CheckResult> {
  try {
    return { name: check.name, ...(await check.run(ctx)) };
  } catch (error) {
    return {
      name: check.name,
      status: "fail",
      detail: `the check itself failed: ${firstLine(error)}`,
      fix: "run doctor again; if it fails the same way, report the message (SGTM_DEBUG=1 adds nothing secret)",
    };
  }
}

function scrub(result: CheckResult, sensitive: readonly string[]): CheckResult {
  const clean = (text: string) =>
    sensitive.reduce((out, value) => (value ? out.split(value).join(SENSITIVE_TEXT) : out), text);
  return { name: result.name, status: result.status, detail: clean(result.detail), fix: clean(result.fix) };
}

export function hasFailure(results: readonly CheckResult[]): boolean {
  return results.some((r) => r.status === "fail");
}
