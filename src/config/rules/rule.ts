/**
 * The one shape of a cross-field config rule (cdk-nag's: one small pure function per check). A rule
 * names the key path it objects to; the resolver finds the file and line that supplied the value.
 */
import type { ProblemDetails } from "../errors";
import type { ConfigFile } from "../schema";
import type { KeyPath } from "../source";

export interface RuleContext {
  /** Client folder name. */
  readonly client: string;
  /** Environment file name, without `.yaml`. */
  readonly environment: string;
  /** `<client>-<env>`. */
  readonly stackName: string;
  /** The client and environment files merged, before defaults (../effective.ts applies them). */
  readonly merged: ConfigFile;
}

export interface RuleFinding extends ProblemDetails {
  /** Key path of the offending value; empty for the environment as a whole (reported at its file's top). */
  readonly path: KeyPath;
}

export type ConfigRule = (ctx: RuleContext) => readonly RuleFinding[];
