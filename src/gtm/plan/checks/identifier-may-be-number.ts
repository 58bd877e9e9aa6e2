/**
 * User ids read from event data keys that usually hold ids (`user_id`, `customer_id`, `userId`, ...)
 * may arrive as numbers. The template hashes external ids with string functions, so a number makes
 * the whole tag fail (docs/facts/tiktok-events-api.md#hashing). The server container has no variable
 * type that turns a number into a string, so the plan warns and the fix is on the web side.
 */

import { compareText } from "../../core/normalize";
import { tagParameterSources } from "../../model/sources";
import type { PlanProblem } from "../problems";
import type { PlanCheck } from "./check";

const ID_FIELDS = ["external_id", "sha256_external_id"] as const;
/** The last key of the path is an id: `id`, `user_id`, `customer-id`, `user.id`, `userId`. */
const ID_KEY = /(^|[._-])id$|[a-z]Id$/;

export const identifierMayBeNumber: PlanCheck = ({ desired }) => {
  const problems: PlanProblem[] = [];
  for (const field of ID_FIELDS) {
    const bySource = new Map<string, string[]>();
    for (const { tag, source } of tagParameterSources(desired, field)) {
      if (source.kind !== "eventData" || !ID_KEY.test(source.keyPath)) continue;
      bySource.set(source.keyPath, [...(bySource.get(source.keyPath) ?? []), tag]);
    }
    for (const [keyPath, tags] of [...bySource].sort(([a], [b]) => compareText(a, b))) {
      problems.push({
        severity: "warning",
        code: "identifier-may-be-number",
        field,
        keyPath,
        tags: [...tags].sort(compareText),
      });
    }
  }
  return problems;
};
