import { join } from "node:path";
import { CONFIG_RULES, STACK_NAME_RULES } from "../../../src/config/rules";
import { describeRuleList } from "../../rule-list";

describeRuleList({
  title: "the rule list",
  dir: join(__dirname, "../../../src/config/rules"),
  notRules: ["index.ts", "rule.ts"],
  listed: [...STACK_NAME_RULES, ...CONFIG_RULES],
  testDir: __dirname,
});
