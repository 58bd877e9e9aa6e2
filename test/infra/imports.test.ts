import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** The one module allowed to import cdktf, constructs and provider bindings (docs/adr/0001). */
const SEAM = "constructs/cdktf.ts";
const SCANNED = ["src", "constructs", "stacks", "test", "bench", "bin"];
/** The benchmark loads the provider root on purpose, to measure what the seam saves. */
const EXEMPT = new Set(["bench/synth.mjs", "test/infra/imports.test.ts"]);

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

/** Module specifiers a file imports or requires. */
function importsOf(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => m[1]);
}

/** What is wrong with `specifier` imported from `file`, or undefined. */
function importProblem(file: string, specifier: string): string | undefined {
  const isProvider = specifier === "@cdktf/provider-google" || specifier.startsWith("@cdktf/provider-google");
  const isCore = specifier === "cdktf" || specifier.startsWith("cdktf/") || specifier === "constructs";
  if (specifier.startsWith("@cdktf/provider-google-beta")) return "the beta provider is not used";
  if (!isProvider && !isCore) return undefined;
  if (file !== SEAM) return `imports ${specifier}: go through ${SEAM}`;
  if (isProvider && !/^@cdktf\/provider-google\/lib\/[a-z0-9-]+$/.test(specifier)) {
    return `imports ${specifier}: deep-import @cdktf/provider-google/lib/<resource> (the root loads ~1,500 resources)`;
  }
  return undefined;
}

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === "__snapshots__") return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

describe("import seam", () => {
  it("flags root, outside-the-seam and beta imports", () => {
    expect(importsOf(`import { App } from "cdktf";\nconst g = require('@cdktf/provider-google');`)).toEqual([
      "cdktf",
      "@cdktf/provider-google",
    ]);
    expect(importProblem("stacks/main.ts", "cdktf")).toMatch(/go through/);
    expect(importProblem("src/x.ts", "constructs")).toMatch(/go through/);
    expect(importProblem(SEAM, "@cdktf/provider-google")).toMatch(/deep-import/);
    expect(importProblem(SEAM, "@cdktf/provider-google/lib/compute-url-map")).toBeUndefined();
    expect(importProblem(SEAM, "@cdktf/provider-google-beta/lib/x")).toMatch(/beta/);
    expect(importProblem("stacks/main.ts", "../constructs/cdktf")).toBeUndefined();
  });

  it("holds in every source file", () => {
    const root = process.cwd();
    const files = SCANNED.flatMap((dir) => sourceFiles(join(root, dir))).map((f) => relative(root, f));
    expect(files).toContain(SEAM);
    const problems = files
      .filter((file) => !EXEMPT.has(file))
      .flatMap((file) =>
        importsOf(readFileSync(file, "utf8"))
          .map((specifier) => importProblem(file, specifier))
          .filter((p): p is string => p !== undefined)
          .map((p) => `${file}: ${p}`),
      );
    expect(problems).toEqual([]);
  });
});
