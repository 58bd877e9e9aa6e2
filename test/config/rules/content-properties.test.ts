import { contentProperties } from "../../../src/config/rules/content-properties";
import { context } from "./context";

describe("contentProperties", () => {
  it("passes with contentType and contentIds beside other custom properties", () => {
    const viewItem = {
      contentType: "product" as const,
      contentIds: { eventData: "tt_content_ids" },
      customProperties: { order_id: { eventData: "transaction_id" } },
    };
    expect(contentProperties(context({ tiktok: { events: { view_item: viewItem } } }))).toEqual([]);
  });

  it("fails when a custom property of the same name is set too", () => {
    const viewItem = {
      contentType: "product" as const,
      contentIds: { eventData: "ids" },
      customProperties: { content_type: { constant: "product_group" }, content_ids: { eventData: "x" } },
    };
    expect(contentProperties(context({ tiktok: { events: { view_item: viewItem } } }))).toEqual([
      {
        path: ["tiktok", "events", "view_item", "customProperties", "content_type"],
        message: "contentType is sent as the property content_type: it cannot also be a custom property",
        got: "contentType and customProperties.content_type",
        allowed: "one of them",
        fix: "remove customProperties.content_type (or contentType)",
      },
      expect.objectContaining({ path: ["tiktok", "events", "view_item", "customProperties", "content_ids"] }),
    ]);
  });
});
