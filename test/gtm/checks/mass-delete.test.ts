import { massDelete } from "../../../src/gtm/plan/checks/mass-delete";
import { adopted, handMade } from "../fixtures";
import { checkInput, deletion, onlyMessage, STACK } from "./input";

const owned = (n: number) =>
  Array.from({ length: n }, (_, i) => adopted(handMade.variable(`Kit ${i}`), STACK));

describe("massDelete", () => {
  it("passes when at most half of the kit's entities are deleted", () => {
    const input = checkInput(
      { variables: owned(4) },
      { changes: [deletion("variable", "Kit 0"), deletion("variable", "Kit 1")] },
    );
    expect(massDelete(input)).toEqual([]);
    expect(massDelete(checkInput({ variables: owned(4) }))).toEqual([]);
  });

  it("fails when more than half (here all) are deleted, telling how to proceed", () => {
    const changes = [0, 1, 2].map((i) => deletion("variable", `Kit ${i}`));
    const problems = massDelete(checkInput({ variables: owned(3) }, { changes }));
    expect(problems).toEqual([
      { severity: "warning", code: "mass-delete", stack: STACK, deletes: 3, owned: 3 },
    ]);
    expect(onlyMessage(problems)).toContain("--allow-mass-delete");
  });
});
