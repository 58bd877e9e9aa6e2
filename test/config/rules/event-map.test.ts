import { eventMap } from "../../../src/config/rules/event-map";
import { context } from "./context";

describe("eventMap", () => {
  it("passes with the default map and with a valid one", () => {
    expect(eventMap(context())).toEqual([]);
    expect(eventMap(context({ tiktok: { events: { purchase: "Purchase", view_item: {} } } }))).toEqual([]);
  });

  it("fails on an unknown TikTok event name, at the event key", () => {
    expect(eventMap(context({ tiktok: { events: { view_item: "ViewContnet" } } }))).toEqual([
      {
        path: ["tiktok", "events", "view_item", "event"],
        message: "unknown TikTok event name",
        got: '"ViewContnet"',
        allowed: expect.stringContaining("AddPaymentInfo, AddToCart,"),
        fix: "did you mean ViewContent? (or add `custom: true` for a custom event)",
      },
    ]);
  });

  it("reports every problem of the map, in GA4 event order", () => {
    const events = { view_item: "ViewContnet", login: {} };
    expect(eventMap(context({ tiktok: { events } })).map((f) => f.path.join("."))).toEqual([
      "tiktok.events.login",
      "tiktok.events.view_item.event",
    ]);
  });

  it("warns, with did-you-mean, of a key GA4 does not send even when event: is given", () => {
    expect(eventMap(context({ tiktok: { events: { purchse: { event: "Purchase" } } } }))).toEqual([
      {
        severity: "warning",
        path: ["tiktok", "events", "purchse"],
        message: expect.stringContaining("not a GA4 event the kit knows"),
        got: '"purchse"',
        allowed: "GA4's event names, or the site's own events marked customGa4Event: true",
        fix: "did you mean purchase? If purchse is the site's own event, add `customGa4Event: true`",
      },
    ]);
  });

  it("knows recommended and enhanced-measurement events, and lets marked custom events be", () => {
    const events = {
      add_payment_info: "AddPaymentInfo",
      file_download: "Download",
      newsletter_signup: { event: "Subscribe", customGa4Event: true },
      quiz_done: { event: "QuizDone", custom: true },
    };
    expect(eventMap(context({ tiktok: { events } }))).toEqual([]);
  });

  it("warns without a suggestion when no known event is near", () => {
    const [finding] = eventMap(context({ tiktok: { events: { newsletter_optin: "Subscribe" } } }));
    expect(finding).toMatchObject({ severity: "warning", path: ["tiktok", "events", "newsletter_optin"] });
    expect(finding.fix).toBe("If newsletter_optin is the site's own event, add `customGa4Event: true`");
  });

  it("suggests the nearest event when a key without event: has no default", () => {
    expect(eventMap(context({ tiktok: { events: { purchse: {} } } }))).toEqual([
      expect.objectContaining({
        path: ["tiktok", "events", "purchse"],
        message: "no default TikTok event for this GA4 event",
        fix: "did you mean purchase? Otherwise set `purchse: { event: <TikTok event> }`",
      }),
    ]);
  });
});
