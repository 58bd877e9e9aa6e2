/**
 * A parsed YAML config file that remembers where each key sits, so every problem can point at
 * `file:line:col`.
 */
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from "yaml";
import type { ConfigProblem } from "./errors";

export type KeyPath = readonly (string | number)[];

export interface SourceFile {
  /** Path as shown to the user (relative to the working directory when possible). */
  readonly path: string;
  readonly data: unknown;
  /** Line/column of the value at `keyPath`, or of its nearest present ancestor. */
  locate(keyPath: KeyPath, at?: "key" | "value"): { line: number; col: number };
  has(keyPath: KeyPath): boolean;
  /** Every string scalar with its key path (for secret-looking values). */
  strings(): { path: KeyPath; value: string }[];
}

export function parseSource(path: string, text: string): { file?: SourceFile; problems: ConfigProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const problems: ConfigProblem[] = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    if (e.code === "DUPLICATE_KEY") {
      const keyPath = duplicateKeyPath(text, e.pos[0]);
      const isEvent = keyPath.length === 3 && keyPath[0] === "tiktok" && keyPath[1] === "events";
      return {
        file: path,
        line: pos.line,
        col: pos.col,
        path: keyPath.join("."),
        message: isEvent ? "the same GA4 event is mapped twice" : "the same key appears twice in one mapping",
        fix: isEvent ? "map each GA4 event once" : "keep one of the two entries",
      };
    }
    return {
      file: path,
      line: pos.line,
      col: pos.col,
      path: "",
      message: `invalid YAML: ${firstLine(e.message)}`,
      fix: "correct the YAML syntax at this position",
    };
  });
  if (problems.length > 0) return { problems };
  const converted = toData(doc, lineCounter, path);
  if ("problem" in converted) return { problems: [converted.problem] };
  const data = converted.data ?? {};
  if (typeof data !== "object" || Array.isArray(data)) {
    return {
      problems: [
        {
          file: path,
          line: 1,
          col: 1,
          path: "",
          message: "the file must be a mapping of keys",
          got: Array.isArray(data) ? "a list" : JSON.stringify(data),
          fix: "start the file with keys such as `tier:` and `gcp:`",
        },
      ],
    };
  }

  const nodeAt = (keyPath: KeyPath): { node?: Node; keyNode?: Node; depth: number } => {
    let current: unknown = doc.contents;
    let keyNode: Node | undefined;
    for (let depth = 0; depth < keyPath.length; depth++) {
      const segment = keyPath[depth];
      if (isMap(current)) {
        const pair = current.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) return { node: current as Node, depth };
        keyNode = pair.key as Node;
        current = pair.value ?? pair.key;
      } else if (isSeq(current) && typeof segment === "number" && current.items[segment]) {
        current = current.items[segment];
      } else {
        return { node: current as Node, depth };
      }
    }
    return { node: current as Node, keyNode, depth: keyPath.length };
  };

  const position = (node: Node | undefined) => {
    const offset = node?.range?.[0] ?? 0;
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };

  const file: SourceFile = {
    path,
    data,
    locate(keyPath, at = "value") {
      const found = nodeAt(keyPath);
      return position(at === "key" && found.keyNode ? found.keyNode : found.node);
    },
    has(keyPath) {
      return nodeAt(keyPath).depth === keyPath.length;
    },
    strings() {
      const out: { path: KeyPath; value: string }[] = [];
      visit(doc, {
        Scalar(_key, node, ancestors) {
          if (typeof node.value !== "string") return;
          const parent = ancestors[ancestors.length - 1];
          if (isPair(parent) && parent.key === node) return; // keys are not values
          out.push({ path: pathOf(ancestors), value: node.value });
        },
      });
      return out;
    },
  };
  return { file, problems: [] };
}

/**
 * How many times the file's aliases (`*name`) may expand in all: the `yaml` library's own default,
 * named here because an alias bomb (aliases of aliases, growing exponentially) stops at it.
 */
export const MAX_ALIAS_COUNT = 100;

/**
 * The document as plain data, or the one problem of a file whose aliases cannot be resolved: too many
 * expansions (an alias bomb) or an alias before its anchor. The `yaml` library throws for both; caught
 * here, the loader still checks and reports every other file.
 */
function toData(
  doc: Document.Parsed,
  lineCounter: LineCounter,
  path: string,
): { data: unknown } | { problem: ConfigProblem } {
  try {
    return { data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    let offset = 0;
    visit(doc, {
      Alias(_key, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const tooMany = /alias count/i.test(message);
    return {
      problem: {
        file: path,
        ...lineCounter.linePos(offset),
        path: "",
        message: tooMany
          ? `the file's YAML aliases expand to more than ${MAX_ALIAS_COUNT} copies (${firstLine(message)}); it was not read`
          : `invalid YAML: ${firstLine(message)}`,
        fix: tooMany
          ? "write the values out instead of repeating aliases (*name) of aliases"
          : "define the anchor (&name) before any alias (*name) that uses it",
      },
    };
  }
}

/** Key path of the duplicate key starting at `offset` (re-parsed leniently to walk the tree). */
function duplicateKeyPath(text: string, offset: number): KeyPath {
  let found: KeyPath = [];
  visit(parseDocument(text, { uniqueKeys: false }), {
    Pair(_key, pair, ancestors) {
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) {
        found = [...pathOf(ancestors), String(pair.key.value)];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function pathOf(ancestors: readonly unknown[]): KeyPath {
  const path: (string | number)[] = [];
  for (let i = 0; i < ancestors.length; i++) {
    const a = ancestors[i];
    if (isPair(a) && isScalar(a.key)) path.push(String(a.key.value));
    if (isSeq(a)) {
      const child = ancestors[i + 1];
      const index = a.items.indexOf(child as never);
      if (index >= 0) path.push(index);
    }
  }
  return path;
}

function firstLine(message: string): string {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}
