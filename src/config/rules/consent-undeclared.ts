import { tierDefaultsOf } from "../effective";
import { describeValue } from "../errors";
import type { ConfigRule } from "./rule";

/** tiktok.consentUndeclared belongs to a policy that reads a consent state; not-enforced reads none. */
export const consentUndeclared: ConfigRule = ({ merged }) => {
  const choice = merged.tiktok?.consentUndeclared;
  const policy = merged.tiktok?.consent ?? tierDefaultsOf(merged).consent;
  if (choice === undefined || policy !== "not-enforced") return [];
  return [
    {
      path: ["tiktok", "consentUndeclared"],
      message: "consent is not enforced, so there is no consent state whose absence this could decide on",
      got: describeValue(choice),
      allowed:
        "tiktok.consentUndeclared only with ad-storage-granted, ad-user-data-granted or block-if-denied",
      fix: "remove tiktok.consentUndeclared, or choose a consent policy that reads the consent state",
    },
  ];
};
