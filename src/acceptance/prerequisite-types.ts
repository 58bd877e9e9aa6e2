/**
 * The shapes of the prerequisite checks (prerequisites.ts lists and runs them): what a check is given
 * and what it answers.
 */
import type { EnvironmentConfig } from "../config/model";
import type { CheckOutcome } from "../doctor/types";
import type { AcceptancePlan } from "./steps";

/** Google reads the checks make. Reject with a `RemoteCallError` (or any error: the check then fails with it). */
export interface PrerequisiteReads {
  /** Resolves with a description of the identity once a token for it can be had. */
  identity(): Promise<string>;
  billingEnabled(project: string): Promise<boolean>;
  /** `ENABLED` or `DISABLED`. */
  serviceState(project: string, service: string): Promise<string>;
  /** The subset of `permissions` the identity holds on the project. */
  grantedPermissions(project: string, permissions: readonly string[]): Promise<string[]>;
  /** The container's `usageContext` (a server container lists `server`). */
  containerUsage(containerPath: string): Promise<readonly string[]>;
  bucketExists(bucket: string): Promise<void>;
  /** The zone's DNS name, with its final dot. */
  dnsZoneName(project: string, zone: string): Promise<string>;
  secretHasVersion(project: string, secretId: string): Promise<boolean>;
}

export interface ToolRun {
  readonly exitCode: number;
  readonly output: string;
}

export interface PrerequisiteContext {
  readonly plan: AcceptancePlan;
  /** The run's environment, as the config loader reads it. */
  readonly env: EnvironmentConfig;
  readonly reads: PrerequisiteReads;
  /** Runs a tool from the project root (`terraform version -json`, `cdktf --version`). */
  readonly tool: (argv: readonly string[]) => Promise<ToolRun>;
  /** Whether a file exists, relative to the project root. */
  readonly exists: (path: string) => boolean;
  readonly vars: NodeJS.ProcessEnv;
  /** The cdktf CLI version the kit pins (package.json). */
  readonly pinnedCdktf: string;
}

export interface PrerequisiteOutcome extends CheckOutcome {
  /** A version the check read, for the report. */
  readonly version?: { readonly tool: "terraform" | "cdktf"; readonly value: string };
}

export interface Prerequisite {
  readonly name: string;
  /** Also checked before a cleanup-only run (the tools and the identity). */
  readonly forCleanup: boolean;
  run(ctx: PrerequisiteContext): Promise<PrerequisiteOutcome>;
}
