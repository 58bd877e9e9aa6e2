import { identifierMayBeNumber } from "../../../src/gtm/plan/checks/identifier-may-be-number";
import { desiredWithEvents } from "../fixtures";
import { checkInput, onlyMessage } from "./input";

describe("identifierMayBeNumber", () => {
  it("passes for ids from keys that do not look like ids, from constants, and without user ids", () => {
    const desired = desiredWithEvents(`    purchase:
      user:
        externalId: { eventData: crm.email_key }
    view_item:
      user:
        externalId: { constant: "12345" }
`);
    expect(identifierMayBeNumber(checkInput({}, { desired }))).toEqual([]);
    expect(identifierMayBeNumber(checkInput({}))).toEqual([]);
  });

  it("fails once per id-like event data key, naming every tag that sends it", () => {
    const desired = desiredWithEvents(`    purchase:
      user:
        externalId: { eventData: user_id }
    add_to_cart:
      user:
        externalId: { eventData: user_id }
`);
    const problems = identifierMayBeNumber(checkInput({}, { desired }));
    expect(problems).toEqual([
      {
        severity: "warning",
        code: "identifier-may-be-number",
        field: "external_id",
        keyPath: "user_id",
        tags: ["TikTok Kit | AddToCart (add_to_cart)", "TikTok Kit | CompletePayment (purchase)"],
      },
    ]);
    expect(onlyMessage(problems)).toContain("send event data user_id as external_id");
  });
});
