/** What an acceptance run is asked, what it runs with, and what it answers (runner.ts runs it). */
import type { EnvironmentConfig } from "../config/model";
import type { DoctorDeps } from "../doctor/types";
import type { SecretValue } from "../gtm/client/access-token";
import type { AcceptanceInputs } from "./inputs";
import type { InterruptSource } from "./interrupts";
import type { PrerequisiteReads } from "./prerequisites";
import type { ProcessRunner } from "./process";
import type { RunRecord } from "./record";
import type { RunClock } from "./waits";

export interface AcceptanceDeps {
  /** The project root: where the commands run and the run's folder lives. */
  readonly root: string;
  readonly vars: NodeJS.ProcessEnv;
  readonly processes: ProcessRunner;
  readonly reads: (env: EnvironmentConfig) => PrerequisiteReads;
  readonly doctor: (env: EnvironmentConfig) => DoctorDeps;
  readonly tokenFromSecret: (env: EnvironmentConfig, secretId: string) => Promise<SecretValue | undefined>;
  readonly clock: RunClock;
  readonly interrupts: InterruptSource;
  /** Progress, one line at a time. */
  readonly print: (line: string) => void;
  /** How the kit's CLI starts (default `node bin/sgtm.js`). */
  readonly kitCli?: readonly string[];
  /** Between two rounds of each wait (default 30 s for DNS, 60 s for doctor). */
  readonly pollMs?: { readonly dns: number; readonly doctor: number };
  /** Default: the kit's package.json. */
  readonly pinnedCdktf?: string;
}

export interface AcceptanceRequest {
  readonly name: string;
  /** From the flags; undefined when only --name was given (the run's folder then says). */
  readonly inputs?: AcceptanceInputs;
  readonly keep: boolean;
  readonly cleanup: boolean;
  readonly waitMinutes: number;
}

export interface AcceptanceResult {
  readonly exitCode: number;
  readonly record?: RunRecord;
}

export const DEFAULT_POLL_MS = { dns: 30_000, doctor: 60_000 } as const;
