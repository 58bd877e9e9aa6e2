import { join } from "node:path";
import { PLAN_CHECKS } from "../../../src/gtm/plan/checks";
import { describeRuleList } from "../../rule-list";

describeRuleList({
  title: "the check list",
  dir: join(__dirname, "../../../src/gtm/plan/checks"),
  notRules: ["index.ts", "check.ts"],
  listed: PLAN_CHECKS,
  testDir: __dirname,
});
