import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { posix } from "node:path";

/**
 * Every fact the kit relies on lives in docs/facts/ (docs/facts/README.md), so a clone holds all it
 * needs: no file may cite notes outside the repository, and every `docs/facts/<file>.md#<section>` a
 * comment or README cites must exist.
 */
const SCANNED = ["src", "constructs", "stacks", "test", "bench", "bin", "docs", "README.md"];
const FACTS_DIR = "docs/facts";

/** A path into the notes kept in a `shared` folder beside the repository, however many `../` lead there. */
const OUTSIDE_PATH = /(?<![\w-])shared\//;
/** `docs/facts/<file>.md`, optionally with `#<section>`. */
const FACTS_CITATION = /docs\/facts\/([\w.-]+\.md)(?:#([\w-]+))?/g;
/** A relative Markdown link to a `.md` file, optionally with `#<section>`. */
const MARKDOWN_LINK = /\]\((?!https?:)([^)\s#]+\.md)(?:#([^)\s]+))?\)/g;

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, "")
    .replace(/ /g, "-");
}

/** Anchors of the headings of a Markdown text, fenced code excluded. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) anchors.add(headingAnchor(heading[1]));
  }
  return anchors;
}

/** A fact file's section anchors, or undefined when the file does not exist. */
type FactsLookup = (factsFile: string) => Set<string> | undefined;

/** What is wrong with the citations of one file (its path relative to the repository root). */
function citationProblems(file: string, text: string, lookup: FactsLookup): string[] {
  const problems: string[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    const at = `${file}:${index + 1}`;
    if (OUTSIDE_PATH.test(line)) {
      problems.push(`${at}: cites a path outside the repository; cite the docs/facts/ file instead`);
    }
    const cited = [...line.matchAll(FACTS_CITATION)].map((m) => ({ target: m[1], anchor: m[2] }));
    if (file.endsWith(".md")) {
      for (const m of line.matchAll(MARKDOWN_LINK)) {
        const target = posix.normalize(posix.join(posix.dirname(file), m[1]));
        if (posix.dirname(target) === FACTS_DIR) cited.push({ target: posix.basename(target), anchor: m[2] });
      }
    }
    for (const { target, anchor } of cited) {
      const anchors = lookup(target);
      if (!anchors) problems.push(`${at}: cites ${FACTS_DIR}/${target}, which does not exist`);
      else if (anchor && !anchors.has(anchor)) {
        problems.push(`${at}: cites ${FACTS_DIR}/${target}#${anchor}, a section that does not exist`);
      }
    }
  }
  return problems;
}

function trackedFiles(): string[] {
  return execFileSync("git", ["ls-files", "-z", "--", ...SCANNED], { encoding: "utf8" })
    .split("\0")
    .filter((file) => file.length > 0 && existsSync(file));
}

const readFacts: FactsLookup = (factsFile) => {
  const path = posix.join(FACTS_DIR, factsFile);
  return existsSync(path) ? anchorsOf(readFileSync(path, "utf8")) : undefined;
};

describe("fact citations", () => {
  const facts: FactsLookup = (file) =>
    file === "gtm-api-v2.md" ? new Set(["quota-and-retries", "sources"]) : undefined;

  it("makes GitHub's anchors from headings, ignoring fenced code", () => {
    expect(headingAnchor("Quota and retries")).toBe("quota-and-retries");
    expect(headingAnchor("The `cvt_` tag type, again!")).toBe("the-cvt_-tag-type-again");
    expect([...anchorsOf("# Title\n```sh\n# not a heading\n```\n## Sources\n")]).toEqual([
      "title",
      "sources",
    ]);
  });

  // Sample paths are joined at run time, so that this file does not cite them itself.
  const outside = (...parts: string[]) => parts.join("/");
  const cite = (target: string) => `${FACTS_DIR}/${target}`;

  it("flags notes outside the repository, missing files and missing sections", () => {
    const outsideProblem = "cites a path outside the repository; cite the docs/facts/ file instead";
    expect(citationProblems("src/a.ts", `// see ${outside("..", "shared", "facts", "x.md")}`, facts)).toEqual(
      [`src/a.ts:1: ${outsideProblem}`],
    );
    expect(citationProblems("README.md", `x\nsee ${outside("shared", "facts", "x.md")}`, facts)).toEqual([
      `README.md:2: ${outsideProblem}`,
    ]);
    expect(citationProblems("src/a.ts", `// ${cite("gtm-api-v2.md#quota-and-retries")}`, facts)).toEqual([]);
    expect(citationProblems("src/a.ts", `// ${cite("gtm-api-v2.md")}`, facts)).toEqual([]);
    expect(citationProblems("src/a.ts", `// ${cite("made-up.md")}`, facts)).toEqual([
      `src/a.ts:1: cites ${cite("made-up.md")}, which does not exist`,
    ]);
    expect(citationProblems("src/a.ts", `// ${cite("gtm-api-v2.md#made-up")}`, facts)).toEqual([
      `src/a.ts:1: cites ${cite("gtm-api-v2.md#made-up")}, a section that does not exist`,
    ]);
  });

  it("follows relative Markdown links into docs/facts", () => {
    expect(citationProblems(cite("other.md"), "[q](gtm-api-v2.md#sources)", facts)).toEqual([]);
    expect(citationProblems("docs/adr/0003.md", "[q](../facts/gtm-api-v2.md#made-up)", facts)).toEqual([
      `docs/adr/0003.md:1: cites ${cite("gtm-api-v2.md#made-up")}, a section that does not exist`,
    ]);
    expect(citationProblems("docs/adr/0003.md", "[q](../facts/made-up.md)", facts)).toEqual([
      `docs/adr/0003.md:1: cites ${cite("made-up.md")}, which does not exist`,
    ]);
    expect(citationProblems("docs/adr/0003.md", "[ADR](0001-x.md) [web](https://x.org/a.md)", facts)).toEqual(
      [],
    );
  });

  it("hold in every tracked file", () => {
    const files = trackedFiles();
    expect(files).toContain("README.md");
    expect(files).toContain(`${FACTS_DIR}/README.md`);
    const problems = files.flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return text.includes("\0") ? [] : citationProblems(file, text, readFacts);
    });
    expect(problems).toEqual([]);
  });

  it("index every fact file in docs/facts/README.md", () => {
    const index = readFileSync(`${FACTS_DIR}/README.md`, "utf8");
    const factFiles = readdirSync(FACTS_DIR).filter((f) => f.endsWith(".md") && f !== "README.md");
    expect(factFiles.length).toBeGreaterThan(0);
    expect(factFiles.filter((f) => !index.includes(`](${f})`))).toEqual([]);
  });
});
