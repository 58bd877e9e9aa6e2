/**
 * Generated blocks in Markdown: the text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`
 * (each marker on a line of its own) is written by the generator registered under NAME, never by hand.
 * Pure: finding the blocks, writing them, and saying which ones differ from their generator.
 */

export interface BlockGenerator {
  /** Where the facts come from, named in the block and in the test's message: `CHECKS in src/doctor/run.ts`. */
  readonly source: string;
  /** The block's Markdown (without the markers). */
  render(): string;
}

export type BlockRegistry = Readonly<Record<string, BlockGenerator>>;

/**
 * Why the documents are not as the registry writes them. `stale` is what `npm run docs` fixes; `markers`
 * and `unknown` keep it from writing; `unused` is a registration without a place in any document.
 */
export interface BlockProblem {
  readonly kind: "markers" | "unknown" | "stale" | "unused";
  readonly message: string;
}

export interface Document {
  /** Relative to the repository root, as problems name it. */
  readonly file: string;
  readonly text: string;
}

interface Block {
  readonly name: string;
  /** 1-based line of the opening marker. */
  readonly line: number;
  /** Indexes (0-based) of the opening and closing marker lines. */
  readonly open: number;
  readonly close: number;
  /** The text between the markers. */
  readonly content: string;
}

const OPEN = /^<!-- generated:([a-z0-9-]+) -->$/;
const CLOSE = /^<!-- \/generated:([a-z0-9-]+) -->$/;

/** The command that rewrites every block: the fix every stale block names. */
export const WRITE_COMMAND = "npm run docs";

/** The blocks of a document, or the marker problems that keep it from being read (`file:line: ...`). */
export function findBlocks(doc: Document): { blocks: Block[]; problems: BlockProblem[] } {
  const blocks: Block[] = [];
  const problems: BlockProblem[] = [];
  const markers = (message: string) => problems.push({ kind: "markers", message });
  let current: { name: string; open: number } | undefined;
  const lines = doc.text.split("\n");
  lines.forEach((text, index) => {
    const at = `${doc.file}:${index + 1}`;
    const opened = OPEN.exec(text)?.[1];
    const closed = CLOSE.exec(text)?.[1];
    if (opened !== undefined) {
      if (current) markers(`${at}: generated:${opened} opens inside generated:${current.name}`);
      current = { name: opened, open: index };
    } else if (closed !== undefined) {
      if (current?.name !== closed) {
        markers(`${at}: /generated:${closed} closes ${current ? `generated:${current.name}` : "no block"}`);
      } else {
        const { open } = current;
        blocks.push({
          name: closed,
          line: open + 1,
          open,
          close: index,
          content: lines.slice(open + 1, index).join("\n"),
        });
      }
      current = undefined;
    }
  });
  if (current) {
    markers(
      `${doc.file}:${current.open + 1}: generated:${current.name} is never closed (add <!-- /generated:${current.name} -->)`,
    );
  }
  return { blocks, problems };
}

/** What the registry writes between the markers of NAME: a line naming the source, then the Markdown. */
export function blockContent(name: string, generator: BlockGenerator): string {
  const note = `<!-- from ${generator.source}; edit it there, then run \`${WRITE_COMMAND}\` (${name}) -->`;
  return `${note}\n${generator.render().trimEnd()}`;
}

/** The document with every block rewritten from its generator; blocks of unknown names are left as they are. */
export function rewrite(doc: Document, registry: BlockRegistry): string {
  const lines = doc.text.split("\n");
  const { blocks } = findBlocks(doc);
  // From the last block up, so the earlier blocks' line indexes stay valid.
  for (const block of [...blocks].reverse()) {
    const generator = registry[block.name];
    if (!generator) continue;
    const content = blockContent(block.name, generator).split("\n");
    lines.splice(block.open + 1, block.close - block.open - 1, ...content);
  }
  return lines.join("\n");
}

/**
 * Every reason the documents are not as the registry would write them: marker problems, unknown names,
 * stale blocks, and registered blocks no document holds. Empty when all is in order.
 */
export function blockProblems(docs: readonly Document[], registry: BlockRegistry): BlockProblem[] {
  const problems: BlockProblem[] = [];
  const used = new Set<string>();
  for (const doc of docs) {
    const found = findBlocks(doc);
    problems.push(...found.problems);
    for (const block of found.blocks) {
      used.add(block.name);
      const generator = registry[block.name];
      if (!generator) {
        problems.push({
          kind: "unknown",
          message: `${doc.file}:${block.line}: no generator is registered as ${block.name} (known: ${Object.keys(registry).join(", ")})`,
        });
      } else if (block.content !== blockContent(block.name, generator)) {
        problems.push({
          kind: "stale",
          message: `${doc.file}:${block.line}: ${block.name} differs from ${generator.source}: run \`${WRITE_COMMAND}\``,
        });
      }
    }
  }
  for (const name of Object.keys(registry)) {
    if (!used.has(name)) {
      problems.push({
        kind: "unused",
        message: `${name} is registered but no document holds it: add <!-- generated:${name} --> and <!-- /generated:${name} --> where it belongs, then run \`${WRITE_COMMAND}\``,
      });
    }
  }
  return problems;
}

/** A Markdown table; `|` inside a cell is escaped, so a cell never splits. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  return [row(header), `|${header.map(() => "---").join("|")}|`, ...rows.map(row)].join("\n");
}
