import { budgetComplete } from "../../../src/config/rules/budget-complete";
import { context } from "./context";

describe("budgetComplete", () => {
  it("passes without a budget, and with a billing account and an amount", () => {
    expect(budgetComplete(context())).toEqual([]);
    expect(
      budgetComplete(context({ budget: { billingAccount: "01ABCD-23EF45-6789AB", monthlyAmount: 150 } })),
    ).toEqual([]);
  });

  it("fails when the billing account is missing", () => {
    expect(budgetComplete(context({ budget: { monthlyAmount: 150 } }))).toEqual([
      {
        path: ["budget", "billingAccount"],
        message: "a budget needs the billing account it is created in",
        allowed: "a billing account id such as 01ABCD-23EF45-6789AB",
        fix: "set budget.billingAccount (`gcloud billing projects describe <project> --format='value(billingAccountName)'`, without billingAccounts/), or remove budget",
      },
    ]);
  });

  it("fails when the amount is missing", () => {
    const findings = budgetComplete(context({ budget: { billingAccount: "01ABCD-23EF45-6789AB" } }));
    expect(findings.map((f) => [f.path, f.fix])).toEqual([
      [["budget", "monthlyAmount"], "set budget.monthlyAmount, or remove budget"],
    ]);
  });
});
