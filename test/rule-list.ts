/**
 * A list of rules (config rules, plan checks) read from its folder at run time: each rule file's one
 * exported function is listed exactly once, has a test file beside the list's test, and nothing else
 * is listed.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

export function describeRuleList(options: {
  readonly title: string;
  /** The folder of rule files, one rule each. */
  readonly dir: string;
  /** Files of `dir` that are no rule (the list, the rule type). */
  readonly notRules: readonly string[];
  readonly listed: readonly unknown[];
  /** Where `<file>.test.ts` must be. */
  readonly testDir: string;
}): void {
  const { title, dir, notRules, listed, testDir } = options;
  describe(title, () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(".ts") && !notRules.includes(f))
      .map((f) => f.replace(/\.ts$/, ""));

    it("finds rule files", () => {
      expect(files.length).toBeGreaterThan(0);
    });

    it.each(files)("runs the rule in %s.ts exactly once, and it has a test", (name) => {
      const exported = Object.values(require(join(dir, name)) as Record<string, unknown>).filter(
        (v) => typeof v === "function",
      );
      expect(exported).toHaveLength(1);
      expect(listed.filter((rule) => rule === exported[0])).toHaveLength(1);
      expect(existsSync(join(testDir, `${name}.test.ts`))).toBe(true);
    });

    it("lists nothing that is not a rule file", () => {
      expect(listed).toHaveLength(files.length);
    });
  });
}
