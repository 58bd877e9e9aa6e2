import { eventMapInputOf } from "../effective";
import { eventMappings } from "../events";
import type { UserField } from "../schema";
import type { ConfigRule, RuleFinding } from "./rule";

const PLAIN: readonly UserField[] = ["email", "phone", "externalId"];
const HASHED: readonly UserField[] = ["sha256Email", "sha256Phone", "sha256ExternalId"];

/**
 * One event's user fields are all plain or all SHA-256: the template's `hash` setting shows one group
 * in the GTM UI and the kit writes it per tag, so the other group would be sent unseen (and the template
 * prefers a plain value over its hashed twin anyway). docs/facts/tiktok-events-api.md#template-parameters
 */
export const userHashGroups: ConfigRule = ({ merged }) => {
  const input = eventMapInputOf(merged);
  // A single tag takes no per-event user fields; the event-map rule reports them there.
  if (input.tagLayout === "single") return [];
  const findings: RuleFinding[] = [];
  for (const [ga4Event, mapping] of eventMappings(input.events)) {
    const fields = Object.keys(mapping.user ?? {}) as UserField[];
    const plain = fields.filter((f) => PLAIN.includes(f));
    const hashed = fields.filter((f) => HASHED.includes(f));
    if (plain.length === 0 || hashed.length === 0) continue;
    findings.push({
      path: ["tiktok", "events", ga4Event, "user", hashed[0] as string],
      message:
        "one TikTok tag sends either plain user fields (hash: non-hashed) or SHA-256 ones (hash: hashed): the GTM UI shows only one group, and the template prefers the plain value",
      got: `${plain.join(", ")} with ${hashed.join(", ")}`,
      allowed: `${PLAIN.join(", ")}, or ${HASHED.join(", ")}`,
      fix: "map this event's user fields in one group: raw values under the plain fields (the template hashes them), or SHA-256 hashes under the sha256 fields",
    });
  }
  return findings;
};
