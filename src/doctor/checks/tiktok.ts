/**
 * The token and the pixel, checked the only way that tells: one test event to the Events API, judged by
 * TikTok's JSON `code` (the template itself judges by HTTP status and would report success for a wrong
 * token; docs/facts/tiktok-events-api.md#what-the-template-sends). Only with a test event code: a live
 * event never goes to the pixel.
 */
import { stackTokenVariable } from "../../gtm/client/access-token";
import { type Check, type DoctorContext, fail, pass, skip, type TokenFound } from "../context";
import { firstLine, RemoteCallError, transportFailure } from "../errors";
import { type CheckOutcome, DOCTOR_USER_AGENT, type TikTokAnswer, type TikTokTrackBody } from "../types";
import { addVersionFix, secretFailure, TOKEN_SECRET } from "./secrets";

/** A standard event name, current and legacy alike (docs/facts/tiktok-events-api.md#events-api-rules). */
export const TEST_EVENT_NAME = "ViewContent";

/** Business API codes (docs/facts/tiktok-events-api.md#events-api-rules). */
const CODE_OK = 0;
const CODE_NO_PERMISSION = 40001;
const CODE_INVALID_PARAMETER = 40002;
const CODE_RATE_LIMITED = 40100;
const CODE_BAD_TOKEN = 40105;

export function testEventBody(ctx: DoctorContext, testEventCode: string): TikTokTrackBody {
  return {
    event_source: "web",
    event_source_id: ctx.env.tiktok.pixelId,
    test_event_code: testEventCode,
    data: [
      {
        event: TEST_EVENT_NAME,
        event_time: Math.floor(ctx.deps.now() / 1000),
        event_id: ctx.deps.newEventId(),
        page: { url: `https://${ctx.env.domain.tagging}/` },
        user: { user_agent: DOCTOR_USER_AGENT },
      },
    ],
  };
}

export const tiktokTestEventCheck: Check = {
  name: "tiktok-test-event",
  doc: {
    passesWhen: `one test event to the Events API is answered with code \`${CODE_OK}\``,
    usualFix: `\`${CODE_BAD_TOKEN}\`: a new token; \`${CODE_INVALID_PARAMETER}\`: the pixel id or a field; others: TikTok's message`,
  },
  async run(ctx) {
    const code = ctx.options.testEventCode ?? ctx.env.tiktok.testEventCode;
    const pixel = ctx.env.tiktok.pixelId;
    if (!code) {
      return skip(
        `no test event code: doctor sends only test events, never a live event to pixel ${pixel}`,
        `copy the code from TikTok Events Manager > pixel ${pixel} > Test events, then run npx sgtm doctor --env ${ctx.env.stackName} --test-event-code <CODE>`,
      );
    }
    let found: TokenFound | undefined;
    try {
      found = await ctx.token();
    } catch (error) {
      const failure = secretFailure(
        error,
        ctx,
        ctx.env.secrets.tiktokAccessToken,
        `roles/secretmanager.secretAccessor on the token secret (or set $${stackTokenVariable(ctx.env.stackName)})`,
      );
      return { ...failure, detail: `the token could not be read: ${failure.detail}` };
    }
    if (!found) {
      return fail(
        `no token: secret ${ctx.env.secrets.tiktokAccessToken} has no version, and $${stackTokenVariable(ctx.env.stackName)} is not set`,
        addVersionFix(ctx, TOKEN_SECRET),
      );
    }
    const body = testEventBody(ctx, code);
    let answer: TikTokAnswer;
    try {
      answer = await ctx.deps.tiktok.track(found.token, body);
    } catch (error) {
      return transportFailure(error, `test event to ${ctx.deps.tiktok.rootUrl}`, "TikTok's Events API");
    }
    return judge(ctx, answer, found, code, body.data[0].event_id);
  },
};

function judge(
  ctx: DoctorContext,
  answer: TikTokAnswer,
  found: TokenFound,
  testEventCode: string,
  eventId: string,
): CheckOutcome {
  const pixel = ctx.env.tiktok.pixelId;
  const where = `TikTok (HTTP ${answer.httpStatus})`;
  if (answer.httpStatus >= 500) {
    const said = typeof answer.json?.message === "string" ? answer.json.message : answer.contentType;
    return transportFailure(
      new RemoteCallError(said || "no message", "http", answer.httpStatus),
      "test event",
      "TikTok's Events API",
    );
  }
  if (!answer.json) {
    return fail(
      `${where} answered ${answer.contentType || "something"} instead of JSON`,
      `something other than TikTok's Events API answers at ${ctx.deps.tiktok.rootUrl} (a proxy, a captive portal, or SGTM_TIKTOK_API_ROOT_URL pointing elsewhere): check this machine's network, then run doctor again`,
    );
  }
  const code = answer.json.code;
  const message = typeof answer.json.message === "string" ? answer.json.message : "";
  const said = `${code}${message ? `: ${message}` : ""}`;
  const tokenFix = [
    `generate a new token for pixel ${pixel} and store it (the token came from ${found.source}):`,
    addVersionFix(ctx, TOKEN_SECRET),
  ].join("\n");
  if (code === CODE_OK) {
    return pass(
      `TikTok accepted a test event for pixel ${pixel} (code 0; event_id ${eventId}): it shows in Events Manager > Test events under ${testEventCode}`,
    );
  }
  if (code === CODE_BAD_TOKEN) return fail(`TikTok refused the access token (${said})`, tokenFix);
  if (code === CODE_NO_PERMISSION) {
    return fail(`the token has no permission for pixel ${pixel} (${said})`, tokenFix);
  }
  if (code === CODE_INVALID_PARAMETER) {
    return fail(
      `TikTok refused the pixel or a field (${said})`,
      `check tiktok.pixelId (${pixel}) in ${ctx.sourceFile}: it must be the pixel whose settings issued the token; TikTok's message says which field`,
    );
  }
  if (code === CODE_RATE_LIMITED) {
    return fail(`TikTok rate-limited the request (${said})`, "run doctor again in a minute");
  }
  if (code === undefined) {
    return fail(
      `${where} answered JSON without a code`,
      "run doctor again; if it stays, TikTok's API has changed: report it",
    );
  }
  return fail(
    `TikTok answered code ${said}`,
    `TikTok says: ${message || firstLine(said)}; see the Events API documentation for code ${code}`,
  );
}
