import { tierDefaultsOf } from "../effective";
import { describeValue } from "../errors";
import type { ConfigRule } from "./rule";

/** tiktok.testEventCode only where the tier allows it: with one set, events show only under Test Events. */
export const testEventCodeTier: ConfigRule = ({ merged }) => {
  const code = merged.tiktok?.testEventCode;
  if (code === undefined || tierDefaultsOf(merged).testEventCodeAllowed) return [];
  return [
    {
      path: ["tiktok", "testEventCode"],
      message: `test event codes are not allowed in a ${merged.tier} environment (events would only show under Test Events)`,
      got: describeValue(code),
      fix: "remove tiktok.testEventCode",
    },
  ];
};
