import { environmentLabels } from "../../naming/gcp";
import { describeValue } from "../errors";
import type { ConfigRule } from "./rule";

/** Extra labels may not redefine the kit's own (billing splits per client and environment on them). */
export const kitLabels: ConfigRule = ({ merged, client, environment }) => {
  const kit = environmentLabels(client, environment);
  return Object.keys(merged.labels ?? {})
    .filter((key) => key in kit)
    .map((key) => ({
      path: ["labels", key],
      message: `the kit sets the label ${key} itself (${key}: ${kit[key]})`,
      got: describeValue(merged.labels?.[key]),
      allowed: `any other key (${Object.keys(kit).join(", ")} are the kit's)`,
      fix: `remove labels.${key}`,
    }));
};
