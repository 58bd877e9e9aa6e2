import type { ConfigRule } from "./rule";

/** Keeps `sgtm-<client>-<env>-<suffix>` readable in every GCP name before hashing kicks in. */
export const STACK_NAME_MAX = 40;

export const stackNameLength: ConfigRule = ({ stackName }) =>
  stackName.length > STACK_NAME_MAX
    ? [
        {
          path: [],
          message: "<client>-<env> is too long for readable GCP resource names",
          got: `${stackName} (${stackName.length} chars)`,
          allowed: `at most ${STACK_NAME_MAX} characters`,
          fix: "use a shorter client folder or environment file name",
        },
      ]
    : [];
