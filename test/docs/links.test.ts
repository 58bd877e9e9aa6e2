import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { documentFiles } from "./generated/registry";

/**
 * Every relative link of the README and the docs reaches a file, and a `#fragment` a heading of it (as
 * GitHub makes anchors), so moving a section between guides cannot leave a dead link behind.
 */
const LINK = /\]\(([^)\s]+)\)/g;

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsIn(file: string): Set<string> {
  const text = readFileSync(file, "utf8").replace(/^```[\s\S]*?^```/gm, "");
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1])));
}

function deadLinks(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(LINK)].flatMap((m) => {
    const target = m[1];
    if (/^[a-z]+:/.test(target)) return [];
    const line = text.slice(0, m.index).split("\n").length;
    const [path, fragment] = target.split("#");
    const resolved = path ? normalize(join(dirname(file), path)) : file;
    if (!existsSync(resolved)) return [`${file}:${line}: ${target}: no file ${resolved}`];
    if (fragment && resolved.endsWith(".md") && !anchorsIn(resolved).has(fragment)) {
      return [`${file}:${line}: ${target}: no heading #${fragment} in ${resolved}`];
    }
    return [];
  });
}

describe("links of the README and the docs", () => {
  it("reach an existing file and heading", () => {
    expect(documentFiles(".").flatMap(deadLinks)).toEqual([]);
  });

  it("use GitHub's anchors", () => {
    expect(anchorOf("Check a deployed environment: `sgtm doctor`")).toBe(
      "check-a-deployed-environment-sgtm-doctor",
    );
    expect(anchorOf("GTM: plan and apply")).toBe("gtm-plan-and-apply");
  });
});
