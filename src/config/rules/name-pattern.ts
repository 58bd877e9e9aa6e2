import { describeValue } from "../errors";
import type { ConfigRule } from "./rule";

const NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const NAME_PATTERN_TEXT = "lowercase letters, digits and single hyphens, starting with a letter";

/** The client folder and environment file names go into every resource name. */
export const namePattern: ConfigRule = ({ client, environment }) => {
  const names = [
    ["client folder", client],
    ["environment file", environment],
  ] as const;
  return names
    .filter(([, name]) => !NAME_PATTERN.test(name))
    .map(([what, name]) => ({
      path: [],
      message: `the ${what} name is not usable in resource names`,
      got: describeValue(name),
      allowed: NAME_PATTERN_TEXT,
      fix: `rename the ${what}`,
    }));
};
