/**
 * The template only trims and lower-cases a plain phone before hashing it: `+49 170 1234567` and
 * `+491701234567` hash differently, and only the E.164 form matches TikTok's records
 * (docs/facts/tiktok-events-api.md#hashing). A source the kit cannot see into (event data, another
 * variable) must deliver E.164 strings; a constant is checked here.
 */

import { compareText } from "../../core/normalize";
import { type ParameterSource, sourceText, tagParameterSources } from "../../model/sources";
import type { PlanProblem } from "../problems";
import type { PlanCheck } from "./check";

/** `+`, a country code that does not start with 0, at most 15 digits in all, nothing else. */
export const E164 = /^\+[1-9]\d{6,14}$/;

function isE164Constant(source: ParameterSource): boolean {
  return (source.kind === "constant" || source.kind === "literal") && E164.test(source.value);
}

export const phoneNotNormalised: PlanCheck = ({ desired }) => {
  const bySource = new Map<string, string[]>();
  for (const { tag, source } of tagParameterSources(desired, "phone")) {
    if (isE164Constant(source)) continue;
    const text = sourceText(source);
    bySource.set(text, [...(bySource.get(text) ?? []), tag]);
  }
  return [...bySource]
    .sort(([a], [b]) => compareText(a, b))
    .map(
      ([source, tags]): PlanProblem => ({
        severity: "warning",
        code: "phone-not-normalised",
        source,
        tags: [...tags].sort(compareText),
      }),
    );
};
