/**
 * `npm run docs`: rewrites every generated block from its generator (registry.ts) and names the files it
 * changed. Broken markers or an unknown block name stop it before anything is written (exit 1).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { blockProblems, rewrite } from "./blocks";
import { GENERATED_BLOCKS, readDocuments } from "./registry";

const root = join(__dirname, "..", "..", "..");
const docs = readDocuments(root);
const problems = blockProblems(docs, GENERATED_BLOCKS);
const blocking = problems.filter((p) => p.kind === "markers" || p.kind === "unknown");
if (blocking.length > 0) {
  process.stderr.write(`${blocking.map((p) => p.message).join("\n")}\nNothing written.\n`);
  process.exit(1);
}
const changed = docs.filter((doc) => {
  const text = rewrite(doc, GENERATED_BLOCKS);
  if (text !== doc.text) writeFileSync(join(root, doc.file), text);
  return text !== doc.text;
});
process.stdout.write(
  changed.length > 0
    ? `wrote ${changed.map((d) => d.file).join(", ")}\n`
    : "generated blocks are up to date\n",
);
const unused = problems.filter((p) => p.kind === "unused");
if (unused.length > 0) {
  process.stderr.write(`${unused.map((p) => p.message).join("\n")}\n`);
  process.exit(1);
}
