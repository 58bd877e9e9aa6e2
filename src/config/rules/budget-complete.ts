import type { ConfigRule, RuleFinding } from "./rule";

/**
 * A budget needs the billing account it belongs to and an amount (either may come from client.yaml, so
 * the schema leaves both optional and this rule checks the merged files).
 */
export const budgetComplete: ConfigRule = ({ merged }) => {
  const budget = merged.budget;
  if (budget === undefined) return [];
  const findings: RuleFinding[] = [];
  if (budget.billingAccount === undefined) {
    findings.push({
      path: ["budget", "billingAccount"],
      message: "a budget needs the billing account it is created in",
      allowed: "a billing account id such as 01ABCD-23EF45-6789AB",
      fix: "set budget.billingAccount (`gcloud billing projects describe <project> --format='value(billingAccountName)'`, without billingAccounts/), or remove budget",
    });
  }
  if (budget.monthlyAmount === undefined) {
    findings.push({
      path: ["budget", "monthlyAmount"],
      message: "a budget needs its monthly amount",
      allowed: "a whole number of the billing account's currency units, e.g. 150",
      fix: "set budget.monthlyAmount, or remove budget",
    });
  }
  return findings;
};
