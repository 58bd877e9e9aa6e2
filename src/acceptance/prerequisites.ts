/**
 * What must hold before an acceptance run creates anything: the tools, the identity, billing, the two
 * APIs the stack cannot switch on itself, the deployer's permissions, the GTM container, the token.
 * Every check runs (one message and one fix each, as doctor's checks); a failure stops the run before
 * the first deploy. The remote reads are injected (`PrerequisiteReads`; the real ones are in
 * google-reads.ts), the tools run through the same process runner as the steps.
 */
import { fail } from "../doctor/context";
import { firstLine } from "../doctor/errors";
import type { CheckResult } from "../doctor/types";
import {
  cdktfCheck,
  credentialsCheck,
  projectRootCheck,
  terraformCheck,
  testEventCheck,
} from "./machine-checks";
import type { Prerequisite, PrerequisiteContext, PrerequisiteOutcome } from "./prerequisite-types";
import {
  apisCheck,
  billingCheck,
  dnsZoneCheck,
  gtmContainerCheck,
  permissionsCheck,
  stateBucketCheck,
  tokenCheck,
} from "./project-checks";

export type { PrerequisiteContext, PrerequisiteReads } from "./prerequisite-types";

/** In report order; the names are stable (the report's JSON carries them). */
export const PREREQUISITES: readonly Prerequisite[] = [
  projectRootCheck,
  terraformCheck,
  cdktfCheck,
  credentialsCheck,
  billingCheck,
  apisCheck,
  permissionsCheck,
  gtmContainerCheck,
  tokenCheck,
  testEventCheck,
  stateBucketCheck,
  dnsZoneCheck,
];

export interface PrerequisiteReport {
  readonly results: CheckResult[];
  readonly versions: { terraform?: string; cdktf?: string };
}

/** Every check (or the cleanup's), concurrently; a check that throws fails with its message. */
export async function checkPrerequisites(
  ctx: PrerequisiteContext,
  options: { readonly cleanupOnly?: boolean } = {},
): Promise<PrerequisiteReport> {
  const checks = PREREQUISITES.filter((check) => !options.cleanupOnly || check.forCleanup);
  const outcomes = await Promise.all(
    checks.map((check) =>
      check
        .run(ctx)
        .catch((error: unknown) =>
          fail(
            `the check itself failed: ${firstLine(error)}`,
            "run again; if it fails the same way, report the message",
          ),
        ),
    ),
  );
  const versions: { terraform?: string; cdktf?: string } = {};
  const results = outcomes.map((outcome, i) => {
    const { version, ...rest } = outcome as PrerequisiteOutcome;
    if (version) versions[version.tool] = version.value;
    return { name: checks[i].name, status: rest.status, detail: rest.detail, fix: rest.fix };
  });
  return { results, versions };
}
