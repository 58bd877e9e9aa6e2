import { kitLabels } from "../../../src/config/rules/kit-labels";
import { context } from "./context";

describe("kitLabels", () => {
  it("passes with no extra labels, or other keys", () => {
    expect(kitLabels(context())).toEqual([]);
    expect(kitLabels(context({ labels: { team: "analytics", "cost-center": "42" } }))).toEqual([]);
  });

  it("fails when a label redefines one of the kit's", () => {
    expect(kitLabels(context({ labels: { client: "other" } }))).toEqual([
      {
        path: ["labels", "client"],
        message: "the kit sets the label client itself (client: shop)",
        got: '"other"',
        allowed: "any other key (client, environment, managed-by are the kit's)",
        fix: "remove labels.client",
      },
    ]);
  });
});
