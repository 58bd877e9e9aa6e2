import { describeValue } from "../errors";
import type { ConfigRule } from "./rule";

/** `domain.certificateSwitch` steps an environment onto Certificate Manager: only with that kind. */
export const certificateSwitch: ConfigRule = ({ merged }) => {
  const step = merged.domain?.certificateSwitch;
  if (step === undefined || merged.domain?.certificates === "certificate-manager") return [];
  return [
    {
      path: ["domain", "certificateSwitch"],
      message:
        "certificateSwitch moves an environment to Certificate Manager, but certificates is not certificate-manager",
      got: describeValue(step),
      allowed: "certificateSwitch together with `certificates: certificate-manager`",
      fix: "set domain.certificates: certificate-manager, or remove domain.certificateSwitch",
    },
  ];
};
