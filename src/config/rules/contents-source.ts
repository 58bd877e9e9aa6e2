import { eventMapInputOf } from "../effective";
import { describeValue } from "../errors";
import { eventMappings } from "../events";
import type { ConfigRule, RuleFinding } from "./rule";

/** GA4's ecommerce items, at the top of the event data or under `ecommerce`. */
const GA4_ITEMS = /(^|\.)items$/;

/**
 * `contents` is TikTok-keyed contents as a JSON string. The template parses it and, when that fails
 * (GA4's `items` are an array of objects, not a string), sends the value as it is: GA4-shaped items
 * with `item_id` and no `content_id` (docs/facts/tiktok-events-api.md#template-parameters). Without a
 * `contents` source the template converts GA4 items itself.
 */
export const contentsSource: ConfigRule = ({ merged }) => {
  const input = eventMapInputOf(merged);
  if (input.tagLayout === "single") return [];
  const findings: RuleFinding[] = [];
  for (const [ga4Event, mapping] of eventMappings(input.events)) {
    const source = mapping.contents;
    if (!source || !("eventData" in source) || !GA4_ITEMS.test(source.eventData)) continue;
    findings.push({
      path: ["tiktok", "events", ga4Event, "contents", "eventData"],
      message:
        "contents takes TikTok-keyed contents as a JSON string; GA4's items would reach TikTok in GA4's shape (item_id, no content_id)",
      got: describeValue(source.eventData),
      allowed:
        "event data holding a JSON string of [{content_id, content_name, price, quantity, ...}], e.g. tt_contents",
      fix: "send TikTok-keyed contents as a JSON string (e.g. `contents: { eventData: tt_contents }`), or drop the property overrides (value, currency, contents) so the template converts GA4's items itself",
    });
  }
  return findings;
};
