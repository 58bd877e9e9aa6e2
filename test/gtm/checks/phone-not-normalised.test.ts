import { phoneNotNormalised } from "../../../src/gtm/plan/checks/phone-not-normalised";
import { desiredWithEvents } from "../fixtures";
import { checkInput, onlyMessage } from "./input";

describe("phoneNotNormalised", () => {
  it("passes for an E.164 constant, hashed phones and no phone at all", () => {
    const desired = desiredWithEvents(`    purchase:
      user:
        phone: { constant: "+491701234567" }
    add_to_cart:
      user:
        sha256Phone: { eventData: user_data.sha256_phone_number }
`);
    expect(phoneNotNormalised(checkInput({}, { desired }))).toEqual([]);
    expect(phoneNotNormalised(checkInput({}))).toEqual([]);
  });

  it("fails for a phone from event data and for a constant that is not E.164", () => {
    const desired = desiredWithEvents(`    purchase:
      user:
        phone: { eventData: user_data.phone_number }
    search:
      user:
        phone: { constant: "+49 170 1234567" }
`);
    const problems = phoneNotNormalised(checkInput({}, { desired }));
    expect(problems).toEqual([
      {
        severity: "warning",
        code: "phone-not-normalised",
        source: 'constant "+49 170 1234567"',
        tags: ["TikTok Kit | Search (search)"],
      },
      {
        severity: "warning",
        code: "phone-not-normalised",
        source: "event data user_data.phone_number",
        tags: ["TikTok Kit | CompletePayment (purchase)"],
      },
    ]);
    expect(problems.map((p) => onlyMessage([p]))[1]).toContain("only the E.164 form");
  });
});
