/**
 * Every generated block of the docs, by the name its markers carry. A new block is one line here (its
 * name, where its facts live, the function that renders them) and its markers in a Markdown file; then
 * `npm run docs` writes it and test/docs/generated.test.ts keeps it in step.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BlockRegistry, Document } from "./blocks";
import { doctorChecksTable } from "./doctor-checks";
import { layersTable } from "./layers";

export const GENERATED_BLOCKS: BlockRegistry = {
  "doctor-checks": {
    source: "the doc of each check in CHECKS (src/doctor/run.ts)",
    render: () => doctorChecksTable(),
  },
  layers: { source: "LAYERS and PLACES (test/infra/layers.ts)", render: () => layersTable() },
};

/** The Markdown that may hold blocks: the README and everything under docs/. */
export function documentFiles(root: string): string[] {
  const under = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return under(path);
      return entry.name.endsWith(".md") ? [path] : [];
    });
  return ["README.md", ...under("docs")].sort();
}

export function readDocuments(root: string): Document[] {
  return documentFiles(root).map((file) => ({ file, text: readFileSync(join(root, file), "utf8") }));
}
