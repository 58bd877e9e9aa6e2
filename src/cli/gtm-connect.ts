/**
 * The Tag Manager API as the commands reach it: `SGTM_GTM_ROOT_URL` when set (the local fake), else
 * Google's, billed to the environment's project, with quota waits shown. Missing credentials become the
 * login command with the scopes the kit needs (exit 1, no stack trace).
 */
import type { EnvironmentConfig } from "../config/model";
import { UserError } from "../errors/report";
import { connectGtm, isLoopback, ROOT_URL_ENV_VAR, TAG_MANAGER_LOGIN_COMMAND } from "../gtm/client/connect";
import type { GtmApi } from "../gtm/core/api";
import { googleCredentialSource, loadIdentity } from "./google-credentials";
import { terminalProgress } from "./progress";

export function missingCredentialsMessage(): string {
  return [
    "no Google credentials for the Tag Manager API. Log in with the Tag Manager scopes:",
    `  ${TAG_MANAGER_LOGIN_COMMAND}`,
    "or set GOOGLE_APPLICATION_CREDENTIALS (in CI: workload identity federation, see docs/ci.md).",
    `For the local fake, set ${ROOT_URL_ENV_VAR} instead.`,
  ].join("\n");
}

/**
 * As the deploy's identity, in the google provider's order (`GOOGLE_OAUTH_ACCESS_TOKEN`,
 * `GOOGLE_CREDENTIALS`, then Application Default Credentials), so bootstrap and the GTM step of one
 * `cdktf deploy` run as the same identity.
 */
export async function connectForEnvironment(
  env: EnvironmentConfig,
  vars: NodeJS.ProcessEnv = process.env,
): Promise<GtmApi> {
  const rootUrl = vars[ROOT_URL_ENV_VAR];
  const loopback = isLoopback(rootUrl);
  const progress = terminalProgress();
  try {
    return await connectGtm({
      rootUrl,
      quotaProject: env.gcp.project,
      identity: loopback ? undefined : loadIdentity(googleCredentialSource(vars)),
      onWait: loopback ? undefined : (w) => progress.wait(w.reason, w.ms, w.detail),
    });
  } catch (error) {
    if (/Could not load the default credentials/.test((error as Error)?.message ?? "")) {
      throw new UserError(missingCredentialsMessage());
    }
    throw error;
  }
}
