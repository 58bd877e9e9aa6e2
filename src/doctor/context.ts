/**
 * What the checks share: the environment, the remote interfaces, and the reads several checks need
 * (the load balancer address, the live version, the token), each made once however many checks ask.
 * The token's value is recorded so the runner can scrub it from every line.
 */
import type { EnvironmentConfig } from "../config/model";
import { containerPathOf } from "../gtm/apply/workspace-read";
import type { SecretValue } from "../gtm/client/access-token";
import type { ContainerVersion } from "../gtm/core/api";
import { loadBalancerAddressName } from "../naming/stack-resources";
import type { CheckOutcome, Container, DoctorDeps, DoctorOptions, GtmReads } from "./types";

export interface TokenFound {
  readonly token: SecretValue;
  /** Where it came from, for messages: `$SGTM_TIKTOK_ACCESS_TOKEN_...` or `secret <id>`. */
  readonly source: string;
}

export class DoctorContext {
  readonly env: EnvironmentConfig;
  readonly containerPath: string;
  /** Values no output may contain. */
  readonly sensitive: string[] = [];

  constructor(
    readonly options: DoctorOptions,
    readonly deps: DoctorDeps,
  ) {
    this.env = options.env;
    this.containerPath = containerPathOf(options.env.gtm);
  }

  readonly loadBalancerAddress = once(() =>
    this.deps.cloud.globalAddress(this.env.gcp.project, loadBalancerAddressName(this.env.stackName)),
  );

  readonly gtm = once((): Promise<GtmReads> => this.deps.gtm());

  readonly liveVersion = once(
    async (): Promise<ContainerVersion | undefined> => (await this.gtm()).getLiveVersion(this.containerPath),
  );

  readonly container = once(
    async (): Promise<Container> => (await this.gtm()).getContainer(this.containerPath),
  );

  /** The override variable, else the latest version of the token secret; undefined when it has none. */
  readonly token = once(async (): Promise<TokenFound | undefined> => {
    const override = this.options.tokenOverride;
    const secretId = this.env.secrets.tiktokAccessToken;
    const found = override
      ? { token: override.token, source: `$${override.variable}` }
      : await this.deps.secrets
          .latestValue(this.env.gcp.project, secretId)
          .then((token) => (token ? { token, source: `secret ${secretId}` } : undefined));
    if (found) this.sensitive.push(found.token.reveal());
    return found;
  });

  /** The environment file a fix should point at (the most specific one). */
  get sourceFile(): string {
    return (
      this.env.sourceFiles[this.env.sourceFiles.length - 1] ??
      `config/${this.env.client}/${this.env.environment}.yaml`
    );
  }
}

/**
 * A check's row in the doctor guide's table (docs/doctor.md, written from `CHECKS` by `npm run docs`).
 * Markdown; consecutive checks with the same texts share a row.
 */
export interface CheckDoc {
  readonly passesWhen: string;
  /** The fix a failure most often prints, in short (the report prints the exact one). */
  readonly usualFix: string;
}

/** One line of the report: its name (part of the `--json` contract), how it is decided, its guide row. */
export interface Check {
  readonly name: string;
  readonly doc: CheckDoc;
  run(ctx: DoctorContext): Promise<CheckOutcome>;
}

/** A check's outcome, in one call each. */
export const pass = (detail: string): CheckOutcome => ({ status: "pass", detail, fix: "" });
export const fail = (detail: string, fix: string): CheckOutcome => ({ status: "fail", detail, fix });
export const skip = (detail: string, fix: string): CheckOutcome => ({ status: "skip", detail, fix });

/** Runs `read` once; later calls share its promise (its failure too). */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => {
    result ??= read();
    return result;
  };
}
