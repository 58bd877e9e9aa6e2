/**
 * What a run that ran out of time tells its user: which request got no answer, or that the run's own
 * time was up, how to give either more, and that the next run picks up where this one stopped (apply
 * converges from any point; its lock was let go where it could be).
 */
import { UserError } from "../../errors/report";
import { GtmApiError } from "../core/api";
import { REQUEST_TIMEOUT_ENV_VAR, RUN_TIMEOUT_ENV_VAR, RunDeadlineExceeded, seconds } from "./deadline";
import { RequestTimedOut } from "./googleapis";

/** The UserError for a request timeout or the run's deadline; undefined for any other failure. */
export function explainDeadline(error: unknown, ctx: { readonly rootUrl?: string }): UserError | undefined {
  const where = ctx.rootUrl ? `at ${ctx.rootUrl} (SGTM_GTM_ROOT_URL)` : "(tagmanager.googleapis.com)";
  const again = "Nothing is lost: the next run picks up where this one stopped.";
  const late = (e: RequestTimedOut) =>
    `the Tag Manager API ${where} did not answer within ${seconds(e.timeoutMs)} (${e.method} ${e.path})`;
  if (error instanceof RequestTimedOut) {
    return new UserError(
      `${late(error)}. Check the network and the server, then run again; ${REQUEST_TIMEOUT_ENV_VAR}=<seconds> waits longer for each request. ${again}`,
    );
  }
  if (!(error instanceof RunDeadlineExceeded)) return undefined;
  const why =
    error.last instanceof RequestTimedOut
      ? `${late(error.last)}, and`
      : error.last instanceof GtmApiError
        ? `the Tag Manager API ${where} kept failing (${error.last.message}), and`
        : "waiting for the Tag Manager API quota,";
  return new UserError(
    `${why} the run's ${seconds(error.limitMs)} (${RUN_TIMEOUT_ENV_VAR}) are up: stopped before ${error.doing}. Run again later, or set ${RUN_TIMEOUT_ENV_VAR}=<seconds> for a longer run. ${again}`,
  );
}
