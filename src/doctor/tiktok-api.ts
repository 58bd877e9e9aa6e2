/**
 * The Events API client doctor's TikTok check sends its test event with: `POST
 * {root}open_api/v1.3/event/track/`, the token in the `Access-Token` header only
 * (docs/facts/tiktok-events-api.md#what-the-template-sends). It answers what TikTok said; the check
 * judges it. Neither the token nor the request body is ever part of an error.
 */
import type { SecretValue } from "../gtm/client/access-token";
import { codeOf, RemoteCallError } from "./errors";
import { REMOTE_TIMEOUT_MS, type TikTokAnswer, type TikTokEventsApi, type TikTokTrackBody } from "./types";

/** Points the Events API calls elsewhere (a local stand-in in tests). */
export const TIKTOK_API_ROOT_URL_ENV_VAR = "SGTM_TIKTOK_API_ROOT_URL";
export const TIKTOK_API_DEFAULT_ROOT_URL = "https://business-api.tiktok.com/";
export const EVENT_TRACK_PATH = "open_api/v1.3/event/track/";

export interface TikTokClientOptions {
  /** Default `TIKTOK_API_DEFAULT_ROOT_URL`. */
  readonly rootUrl?: string;
  /** A fresh signal per call that aborts when the call has taken too long; default 10 s. */
  readonly deadline?: () => AbortSignal;
}

export function tiktokEventsApi(options: TikTokClientOptions = {}): TikTokEventsApi {
  const given = options.rootUrl || TIKTOK_API_DEFAULT_ROOT_URL;
  const rootUrl = given.endsWith("/") ? given : `${given}/`;
  const deadline = options.deadline ?? (() => AbortSignal.timeout(REMOTE_TIMEOUT_MS));
  return {
    rootUrl,
    async track(token: SecretValue, body: TikTokTrackBody): Promise<TikTokAnswer> {
      let url: URL;
      try {
        url = new URL(EVENT_TRACK_PATH, rootUrl);
      } catch {
        throw new RemoteCallError(`${TIKTOK_API_ROOT_URL_ENV_VAR} is not a URL (${rootUrl})`, "network");
      }
      const signal = deadline();
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "Access-Token": token.reveal(), "Content-Type": "application/json" },
          body: JSON.stringify(body),
          signal,
          // A redirect would carry the Access-Token header to wherever it points: never follow one.
          redirect: "manual",
        });
        const text = await response.text();
        return {
          httpStatus: response.status,
          contentType: response.headers.get("content-type") ?? "",
          json: jsonObject(text),
        };
      } catch (error) {
        if (signal.aborted) {
          throw new RemoteCallError(`no answer within ${REMOTE_TIMEOUT_MS / 1000} s`, "timeout");
        }
        throw new RemoteCallError(`${url.host}: ${networkCause(error)}`, "network");
      }
    },
  };
}

function jsonObject(text: string): TikTokAnswer["json"] {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** fetch says "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, ...) is in its cause. */
function networkCause(error: unknown): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return codeOf(cause) ?? codeOf(error) ?? (error instanceof Error ? error.message : String(error));
}
