import { contentsSource } from "../../../src/config/rules/contents-source";
import { context } from "./context";

const purchase = (contents: { eventData: string } | { variable: string }) => ({
  tiktok: {
    events: { purchase: { value: { eventData: "value" }, currency: { constant: "EUR" }, contents } },
  },
});

describe("contentsSource", () => {
  it("passes with TikTok-keyed contents, a variable, or no contents at all", () => {
    expect(contentsSource(context(purchase({ eventData: "tt_contents" })))).toEqual([]);
    expect(contentsSource(context(purchase({ eventData: "order.line_items_json" })))).toEqual([]);
    expect(contentsSource(context(purchase({ variable: "Contents JSON" })))).toEqual([]);
    expect(contentsSource(context())).toEqual([]);
  });

  it.each(["items", "ecommerce.items"])("fails on contents read from GA4's %s", (keyPath) => {
    expect(contentsSource(context(purchase({ eventData: keyPath })))).toEqual([
      {
        path: ["tiktok", "events", "purchase", "contents", "eventData"],
        message: expect.stringContaining("GA4's items would reach TikTok in GA4's shape"),
        got: `"${keyPath}"`,
        allowed: expect.stringContaining("JSON string"),
        fix: expect.stringContaining("so the template converts GA4's items itself"),
      },
    ]);
  });
});
