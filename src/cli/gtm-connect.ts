/**
 * The Tag Manager API as the commands reach it: as the deploy's identity (src/credentials), with the
 * quota waits shown on the terminal.
 */
import type { EnvironmentConfig } from "../config/model";
import { connectTagManager } from "../credentials/google";
import type { GtmApi } from "../gtm/core/api";
import { terminalProgress } from "./progress";

export function connectForEnvironment(
  env: EnvironmentConfig,
  vars: NodeJS.ProcessEnv = process.env,
): Promise<GtmApi> {
  const progress = terminalProgress();
  return connectTagManager(env, vars, (w) => progress.wait(w.reason, w.ms, w.detail));
}
