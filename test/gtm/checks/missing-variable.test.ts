import { desiredContainer } from "../../../src/gtm/model/desired";
import { missingVariable } from "../../../src/gtm/plan/checks/missing-variable";
import { handMade, loadEnv, productionWith } from "../fixtures";
import { checkInput, onlyMessage } from "./input";

/** Purchase with an order_id from `{ variable: name }`. */
const referencing = (name: string) =>
  desiredContainer(
    loadEnv(
      productionWith(
        `  consent: ad-storage-granted\n  events:\n    purchase:\n      customProperties:\n        order_id: { variable: ${name} }\n`,
      ),
    ),
  );

describe("missingVariable", () => {
  const desired = referencing("Transaction ID");

  it("passes when the workspace has the variable, or nothing is referenced", () => {
    expect(missingVariable(checkInput({}))).toEqual([]);
    expect(
      missingVariable(checkInput({ variables: [handMade.variable("Transaction ID")] }, { desired })),
    ).toEqual([]);
  });

  it("passes for enabled built-ins and the built-ins every server container has", () => {
    const builtIns = [{ type: "requestPath", name: "Request Path" }];
    expect(
      missingVariable(checkInput({ builtInVariables: builtIns }, { desired: referencing("Request Path") })),
    ).toEqual([]);
    expect(missingVariable(checkInput({}, { desired: referencing("Event Name") }))).toEqual([]);
    expect(missingVariable(checkInput({}, { desired: referencing("Client Name") }))).toEqual([]);
  });

  it("fails on a referenced variable the workspace does not have", () => {
    const problems = missingVariable(checkInput({ variables: [handMade.variable("Order ID")] }, { desired }));
    expect(problems).toEqual([
      { severity: "error", code: "missing-variable", kind: "variable", name: "Transaction ID" },
    ]);
    expect(onlyMessage(problems)).toBe(
      'the event map references the variable "Transaction ID" ({ variable: Transaction ID }), but the workspace has no variable of that name: create it in GTM or fix the name',
    );
  });

  it("fails on a built-in that is not enabled", () => {
    expect(missingVariable(checkInput({}, { desired: referencing("Request Path") }))).toMatchObject([
      { code: "missing-variable", name: "Request Path" },
    ]);
  });
});
