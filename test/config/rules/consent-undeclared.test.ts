import { consentUndeclared } from "../../../src/config/rules/consent-undeclared";
import { context, production } from "./context";

describe("consentUndeclared", () => {
  it("passes with a policy that reads the consent state, or without a choice", () => {
    for (const consent of ["ad-storage-granted", "ad-user-data-granted", "block-if-denied"] as const) {
      for (const choice of ["send", "block"] as const) {
        expect(consentUndeclared(context(production({ consent, consentUndeclared: choice })))).toEqual([]);
      }
    }
    expect(consentUndeclared(context(production({ consent: "not-enforced" })))).toEqual([]);
    // The staging tier's default policy reads the state.
    expect(consentUndeclared(context({ tiktok: { consentUndeclared: "send" } }))).toEqual([]);
  });

  it("fails with not-enforced, which reads no consent state", () => {
    expect(
      consentUndeclared(context(production({ consent: "not-enforced", consentUndeclared: "block" }))),
    ).toEqual([
      {
        path: ["tiktok", "consentUndeclared"],
        message: "consent is not enforced, so there is no consent state whose absence this could decide on",
        got: '"block"',
        allowed:
          "tiktok.consentUndeclared only with ad-storage-granted, ad-user-data-granted or block-if-denied",
        fix: "remove tiktok.consentUndeclared, or choose a consent policy that reads the consent state",
      },
    ]);
  });
});
