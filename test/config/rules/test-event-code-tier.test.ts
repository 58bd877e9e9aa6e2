import { testEventCodeTier } from "../../../src/config/rules/test-event-code-tier";
import { context, production } from "./context";

describe("testEventCodeTier", () => {
  it("passes with a test event code in staging, and in production without one", () => {
    expect(testEventCodeTier(context({ tiktok: { testEventCode: "TEST123" } }))).toEqual([]);
    expect(testEventCodeTier(context(production({ consent: "not-enforced" })))).toEqual([]);
  });

  it("fails with a test event code in production", () => {
    const ctx = context(production({ consent: "not-enforced", testEventCode: "TEST123" }));
    expect(testEventCodeTier(ctx)).toEqual([
      {
        path: ["tiktok", "testEventCode"],
        message:
          "test event codes are not allowed in a production environment (events would only show under Test Events)",
        got: '"TEST123"',
        fix: "remove tiktok.testEventCode",
      },
    ]);
  });
});
