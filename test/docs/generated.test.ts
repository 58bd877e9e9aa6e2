import type { Check } from "../../src/doctor/context";
import { CHECKS } from "../../src/doctor/run";
import {
  type BlockRegistry,
  blockContent,
  blockProblems,
  type Document,
  findBlocks,
  markdownTable,
  rewrite,
} from "./generated/blocks";
import { doctorChecksTable } from "./generated/doctor-checks";
import { documentFiles, GENERATED_BLOCKS, readDocuments } from "./generated/registry";

/**
 * Docs that cannot drift: every generated block (`<!-- generated:NAME -->`) in the README and under
 * docs/ is what its registered generator writes today. The fix for a failure is `npm run docs`.
 */
describe("generated blocks of the docs", () => {
  it("are what their generators write (fix: npm run docs)", () => {
    expect(blockProblems(readDocuments("."), GENERATED_BLOCKS).map((p) => p.message)).toEqual([]);
  });

  it("are looked for in the README and every Markdown file under docs/", () => {
    const files = documentFiles(".");
    expect(files).toEqual(
      expect.arrayContaining([
        "README.md",
        "docs/doctor.md",
        "docs/adr/0008-doctor-checks-a-deployed-environment.md",
      ]),
    );
  });
});

const one: BlockRegistry = { numbers: { source: "NUMBERS in test", render: () => "| n |\n|---|\n| 1 |\n" } };
const doc = (text: string): Document => ({ file: "docs/x.md", text });
const written = (name: string) =>
  `<!-- generated:${name} -->\n${blockContent(name, one[name])}\n<!-- /generated:${name} -->`;

describe("the generated-block mechanism", () => {
  it("writes the generator's Markdown between the markers and nothing else", () => {
    const before =
      "# T\n\nintro\n<!-- generated:numbers -->\nold table\n<!-- /generated:numbers -->\nafter\n";
    expect(rewrite(doc(before), one)).toBe(`# T\n\nintro\n${written("numbers")}\nafter\n`);
  });

  it("is idempotent: a written document has nothing to rewrite and no problem", () => {
    const once = rewrite(doc("a\n<!-- generated:numbers -->\n<!-- /generated:numbers -->\nb"), one);
    expect(rewrite(doc(once), one)).toBe(once);
    expect(blockProblems([doc(once)], one)).toEqual([]);
  });

  it("names a stale block at its line, with the source and the command that fixes it", () => {
    const stale = doc("a\n\n<!-- generated:numbers -->\n| n |\n<!-- /generated:numbers -->\n");
    expect(blockProblems([stale], one)).toEqual([
      { kind: "stale", message: "docs/x.md:3: numbers differs from NUMBERS in test: run `npm run docs`" },
    ]);
  });

  it("reports broken markers and unknown names, and leaves unknown blocks as they are", () => {
    const unclosed = doc("<!-- generated:numbers -->\nx\n");
    const mismatched = doc("<!-- generated:numbers -->\n<!-- /generated:other -->\n");
    const unknown = doc("<!-- generated:other -->\nkept\n<!-- /generated:other -->\n");
    expect(findBlocks(unclosed).problems.map((p) => p.message)).toEqual([
      "docs/x.md:1: generated:numbers is never closed (add <!-- /generated:numbers -->)",
    ]);
    expect(findBlocks(mismatched).problems.map((p) => p.message)).toEqual([
      "docs/x.md:2: /generated:other closes generated:numbers",
    ]);
    expect(blockProblems([unknown], one).map((p) => p.kind)).toEqual(["unknown", "unused"]);
    expect(rewrite(unknown, one)).toBe(unknown.text);
  });

  it("reports a registered block that no document holds", () => {
    expect(blockProblems([doc("no blocks here\n")], one)).toEqual([
      {
        kind: "unused",
        message:
          "numbers is registered but no document holds it: add <!-- generated:numbers --> and <!-- /generated:numbers --> where it belongs, then run `npm run docs`",
      },
    ]);
  });

  it("escapes a | inside a table cell", () => {
    expect(markdownTable(["a", "b"], [["x | y", "z"]])).toBe("| a | b |\n|---|---|\n| x \\| y | z |");
  });
});

describe("the doctor checks table", () => {
  const rowsOf = (table: string) => table.split("\n").slice(2);

  it("has every check of CHECKS once, in report order", () => {
    const firstCell = (row: string) => row.split(" | ")[0].replace(/^\| /, "");
    const names = rowsOf(doctorChecksTable()).flatMap((row) =>
      firstCell(row).replaceAll("`", "").split(", "),
    );
    expect(names).toEqual(CHECKS.map((c) => c.name));
  });

  it("shares a row between consecutive checks with the same texts only", () => {
    const check = (name: string, passesWhen: string): Check => ({
      name,
      doc: { passesWhen, usualFix: "fix it" },
      run: async () => ({ status: "pass", detail: "", fix: "" }),
    });
    const table = doctorChecksTable([
      check("a", "same"),
      check("b", "same"),
      check("c", "other"),
      check("d", "same"),
    ]);
    expect(rowsOf(table)).toEqual([
      "| `a`, `b` | same | fix it |",
      "| `c` | other | fix it |",
      "| `d` | same | fix it |",
    ]);
  });
});
