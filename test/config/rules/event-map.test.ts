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
});
