import { instancesOf } from "../effective";
import type { ConfigRule } from "./rule";

/** tagging.minInstances <= tagging.maxInstances, counting defaults; reported at the value that was set. */
export const instanceRange: ConfigRule = ({ merged }) => {
  const { minInstances, maxInstances } = instancesOf(merged);
  if (minInstances <= maxInstances) return [];
  return [
    {
      path: ["tagging", merged.tagging?.minInstances !== undefined ? "minInstances" : "maxInstances"],
      message: "minInstances is greater than maxInstances",
      got: `min ${minInstances} > max ${maxInstances}`,
      allowed: `minInstances <= maxInstances`,
      fix: "lower tagging.minInstances or raise tagging.maxInstances",
    },
  ];
};
