import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_RULES, STACK_NAME_RULES } from "../../../src/config/rules";

const RULES_DIR = join(__dirname, "../../../src/config/rules");

describe("the rule list", () => {
  const files = readdirSync(RULES_DIR)
    .filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "rule.ts")
    .map((f) => f.replace(/\.ts$/, ""));
  const listed = [...STACK_NAME_RULES, ...CONFIG_RULES];

  it.each(files)("runs the rule in %s.ts exactly once, and it has a test", (name) => {
    const exported = Object.values(require(join(RULES_DIR, name)) as Record<string, unknown>).filter(
      (v) => typeof v === "function",
    );
    expect(exported).toHaveLength(1);
    expect(listed.filter((rule) => rule === exported[0])).toHaveLength(1);
    expect(existsSync(join(__dirname, `${name}.test.ts`))).toBe(true);
  });

  it("lists nothing that is not a rule file", () => {
    expect(listed).toHaveLength(files.length);
  });
});
