import { PIXEL_ID_VARIABLE } from "../../../src/gtm/model/names";
import { sharedContainer } from "../../../src/gtm/plan/checks/shared-container";
import { adopted, handMade } from "../fixtures";
import { checkInput, onlyMessage, STACK } from "./input";

describe("sharedContainer", () => {
  it("passes with hand-made entities and the stack's own", () => {
    expect(sharedContainer(checkInput({ variables: [handMade.variable("Order ID")] }))).toEqual([]);
    expect(sharedContainer(checkInput({ variables: [adopted(handMade.variable("X"), STACK)] }))).toEqual([]);
  });

  it("fails once for the entities of other stacks, naming each stack and counting them", () => {
    const problems = sharedContainer(
      checkInput({
        variables: [adopted(handMade.variable(PIXEL_ID_VARIABLE), "shop-staging")],
        tags: [adopted(handMade.ga4Tag(), "shop-staging"), adopted(handMade.ga4Tag(), "other-dev")],
      }),
    );
    expect(problems).toEqual([
      {
        severity: "error",
        code: "shared-container",
        stack: STACK,
        owners: ["other-dev", "shop-staging"],
        entities: 3,
      },
    ]);
    expect(onlyMessage(problems)).toContain("shop-staging");
  });
});
