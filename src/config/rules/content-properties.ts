import { eventMapInputOf } from "../effective";
import { eventMappings } from "../events";
import type { ConfigRule, RuleFinding } from "./rule";

const PROPERTY_OF = { contentType: "content_type", contentIds: "content_ids" } as const;

/**
 * `contentType` and `contentIds` are sent as the custom properties `content_type` and `content_ids`:
 * a `customProperties` entry with the same name would be a second value for one property.
 */
export const contentProperties: ConfigRule = ({ merged }) => {
  const input = eventMapInputOf(merged);
  if (input.tagLayout === "single") return [];
  const findings: RuleFinding[] = [];
  for (const [ga4Event, mapping] of eventMappings(input.events)) {
    for (const key of ["contentType", "contentIds"] as const) {
      const property = PROPERTY_OF[key];
      if (mapping[key] === undefined || mapping.customProperties?.[property] === undefined) continue;
      findings.push({
        path: ["tiktok", "events", ga4Event, "customProperties", property],
        message: `${key} is sent as the property ${property}: it cannot also be a custom property`,
        got: `${key} and customProperties.${property}`,
        allowed: `one of them`,
        fix: `remove customProperties.${property} (or ${key})`,
      });
    }
  }
  return findings;
};
