import { nameClash } from "../../../src/gtm/plan/checks/name-clash";
import { adopted, handMade } from "../fixtures";
import { checkInput, onlyMessage, STACK } from "./input";

const PIXEL_ID = "TikTok Kit | Pixel ID";
const PURCHASE_TRIGGER = "TikTok Kit | Event Name is purchase";
const PURCHASE_TAG = "TikTok Kit | CompletePayment (purchase)";

describe("nameClash", () => {
  it("passes with hand-made entities of other names, and with the stack's own (adopted) entities", () => {
    expect(
      nameClash(
        checkInput({
          variables: [handMade.variable()],
          triggers: [handMade.ga4Trigger()],
          tags: [handMade.ga4Tag()],
        }),
      ),
    ).toEqual([]);
    expect(nameClash(checkInput({ variables: [adopted(handMade.variable(PIXEL_ID), STACK)] }))).toEqual([]);
  });

  it("fails on a hand-made entity with a desired name, saying how to adopt it", () => {
    const problems = nameClash(checkInput({ variables: [handMade.variable(PIXEL_ID)] }));
    expect(problems).toEqual([
      { severity: "error", code: "name-clash", kind: "variable", name: PIXEL_ID, stack: STACK },
    ]);
    const message = onlyMessage(problems);
    expect(message).toContain(
      `variable "${PIXEL_ID}" already exists and was not made by the kit for ${STACK}.`,
    );
    expect(message).toContain(
      `add the line "managed-by: sgtm-tiktok-kit ${STACK}" to its notes in the GTM UI (the next apply then overwrites it); otherwise rename it.`,
    );
  });

  it("leaves another stack's entity to the shared-container check", () => {
    const problems = nameClash(
      checkInput({ variables: [adopted(handMade.variable(PIXEL_ID), "shop-staging")] }),
    );
    expect(problems).toEqual([]);
  });

  it("checks every kind, variables then triggers then tags, and a clash needs the same kind", () => {
    const trigger = { ...handMade.purchaseTrigger(), name: PURCHASE_TRIGGER };
    const tag = { ...handMade.ga4Tag(), name: PURCHASE_TAG };
    const problems = nameClash(
      checkInput({ tags: [tag], triggers: [trigger], variables: [handMade.variable(PURCHASE_TAG)] }),
    );
    expect(problems.map((p) => ["kind" in p && p.kind, "name" in p && p.name])).toEqual([
      ["trigger", PURCHASE_TRIGGER],
      ["tag", PURCHASE_TAG],
    ]);
  });
});
