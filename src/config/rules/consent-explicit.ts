import { tierDefaultsOf } from "../effective";
import { CONSENT_POLICIES } from "../tables";
import type { ConfigRule } from "./rule";

/** A tier whose default consent is `required` (production) must write tiktok.consent itself. */
export const consentExplicit: ConfigRule = ({ merged }) => {
  if (merged.tiktok?.consent !== undefined || tierDefaultsOf(merged).consent !== "required") return [];
  return [
    {
      path: ["tiktok", "consent"],
      message: `a ${merged.tier} environment must state its consent policy explicitly`,
      got: "nothing",
      allowed: CONSENT_POLICIES.join(", "),
      fix: "set tiktok.consent (ad-storage-granted if the site runs Google Consent Mode)",
    },
  ];
};
