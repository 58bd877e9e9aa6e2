import { consentExplicit } from "../../../src/config/rules/consent-explicit";
import { context, production } from "./context";

describe("consentExplicit", () => {
  it("passes in production with a stated policy, and in staging without one", () => {
    expect(consentExplicit(context(production({ consent: "block-if-denied" })))).toEqual([]);
    expect(consentExplicit(context())).toEqual([]);
  });

  it("fails in production without a stated policy", () => {
    expect(consentExplicit(context(production()))).toEqual([
      {
        path: ["tiktok", "consent"],
        message: "a production environment must state its consent policy explicitly",
        got: "nothing",
        allowed: "ad-storage-granted, ad-user-data-granted, block-if-denied, not-enforced",
        fix: "set tiktok.consent (ad-storage-granted if the site runs Google Consent Mode)",
      },
    ]);
  });
});
