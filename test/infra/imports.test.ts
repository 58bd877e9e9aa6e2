/**
 * The import rules of the codebase, checked on the source: the cdktf seam (docs/adr/0001), the layer
 * table, no import cycle (type imports included) and what the synth app loads.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { posix } from "node:path";
import * as ts from "typescript";

/** The one module allowed to import cdktf, constructs and provider bindings (docs/adr/0001). */
const SEAM = "constructs/cdktf.ts";
const SCANNED = ["src", "constructs", "stacks", "test", "bench", "bin"];
/** The benchmark loads the provider root on purpose, to measure what the seam saves. */
const EXEMPT = new Set(["bench/synth.mjs"]);

type Layer =
  | "naming"
  | "config"
  | "errors"
  | "gtm core"
  | "gtm shell"
  | "review"
  | "credentials"
  | "bootstrap"
  | "doctor"
  | "acceptance"
  | "cli"
  | "seam"
  | "constructs"
  | "stacks";

interface LayerRule {
  /** Layers this one may import from (besides itself; cycles are checked on their own). */
  readonly imports: readonly Layer[];
  /** Layers it may import types from, and nothing else. */
  readonly types?: readonly Layer[];
}

/**
 * Who may import whom. Two towers share the bottom (naming, config, errors): gtm core -> gtm shell -> cli
 * for the command line, seam -> constructs -> stacks for the synth app; neither tower imports the other.
 * Tests, bench and bin sit outside the table: they may import any layer.
 */
const LAYERS: Record<Layer, LayerRule> = {
  /** Names derived from a stack: GCP resource names, per-stack variables, the secret commands. */
  naming: { imports: [] },
  /** The YAML loaded, checked and resolved into EnvironmentConfig. */
  config: { imports: ["naming"] },
  /** UserError and how an expected failure reaches the user; for the CLI, the synth app, GTM's refusals. */
  errors: { imports: ["config"] },
  /** Pure: the desired container, the plan against a workspace as read, its text and export. */
  "gtm core": { imports: ["config", "naming"] },
  /** Effects: the API clients, reading a workspace, apply, the token, the fake GTM server. */
  "gtm shell": { imports: ["gtm core", "errors", "config", "naming"] },
  /** Pure: the infrastructure diff between synths, which stacks a change touches, the review plan's renders. */
  review: { imports: ["gtm core", "config", "naming"] },
  /** The Google identity every remote call runs as (Terraform's google provider's), and how to give one. */
  credentials: { imports: ["gtm shell", "gtm core", "errors", "config"] },
  /** `sgtm bootstrap`: the secrets and the container's URL before the first deploy's services. */
  bootstrap: { imports: ["credentials", "gtm shell", "gtm core", "errors", "config", "naming"] },
  /** `sgtm doctor`: checks of a deployed environment over injected remote calls, and their real adapters. */
  doctor: { imports: ["credentials", "gtm shell", "gtm core", "errors", "config", "naming"] },
  /**
   * `sgtm acceptance`: a throwaway environment deployed, checked (doctor in this process, the plans as
   * commands) and destroyed; pure plan and report, a thin runner over an injected process runner.
   */
  acceptance: {
    imports: ["review", "doctor", "credentials", "gtm shell", "gtm core", "errors", "config", "naming"],
  },
  /** The command line: may use everything in src, never the CDKTF code (it would load cdktf). */
  cli: {
    imports: [
      "acceptance",
      "review",
      "bootstrap",
      "doctor",
      "credentials",
      "gtm shell",
      "gtm core",
      "errors",
      "config",
      "naming",
    ],
  },
  /** constructs/cdktf.ts, the one door to cdktf and the provider. */
  seam: { imports: [] },
  /** Constructs take plain props: config's types may name them, config's code is the stack's business. */
  constructs: { imports: ["seam", "naming"], types: ["config"] },
  /** The synth app: one stack per environment. Never the CLI (commander) or GTM. */
  // stacks compose: the pure GTM core gives each stack its desired model (no API client, no effects).
  stacks: { imports: ["constructs", "seam", "gtm core", "errors", "config", "naming"] },
};

/**
 * Where each module sits: a path ending in `/` places a folder, any other one file; the longest match
 * wins. A file under src/, constructs/ or stacks/ that nothing matches fails the test: place it here.
 */
const PLACES: Record<string, Layer> = {
  "src/naming/": "naming",
  "src/config/": "config",
  "src/errors/": "errors",
  "src/gtm/api.ts": "gtm core", // the API's types and error class; the client is googleapis-api.ts
  "src/gtm/export.ts": "gtm core",
  "src/gtm/kinds.ts": "gtm core",
  "src/gtm/model/": "gtm core",
  "src/gtm/normalize.ts": "gtm core",
  "src/gtm/ownership.ts": "gtm core",
  "src/gtm/plan/": "gtm core",
  "src/gtm/progress.ts": "gtm core",
  "src/gtm/render/": "gtm core",
  "src/gtm/sensitive.ts": "gtm core",
  "src/gtm/template.ts": "gtm core",
  "src/gtm/apply.ts": "gtm shell",
  "src/gtm/apply-refused.ts": "gtm shell",
  "src/gtm/connect.ts": "gtm shell",
  "src/gtm/explain.ts": "gtm shell", // what an API failure means for the user: UserErrors
  "src/gtm/fake/": "gtm shell",
  "src/gtm/googleapis-api.ts": "gtm shell",
  "src/gtm/plan-run.ts": "gtm shell",
  "src/gtm/read.ts": "gtm shell",
  "src/gtm/refusals.ts": "gtm shell", // reads the token variable's name from token.ts
  "src/gtm/resilient-api.ts": "gtm shell",
  "src/gtm/token.ts": "gtm shell",
  "src/review/": "review",
  "src/doctor/": "doctor",
  "src/gtm/write-entities.ts": "gtm shell", // the entity writes of apply: bulk_update, read back, one by one
  "src/gtm/workspace-changes.ts": "gtm shell",
  "src/gtm/workspace-lifecycle.ts": "gtm shell",
  "src/gtm/workspace-lock.ts": "gtm shell",
  "src/cli/": "cli",
  // Outside the CLI, as doctor is: bootstrap's three steps and its Secret Manager store.
  "src/bootstrap/": "bootstrap",
  // Which Google identity the kit runs as (Terraform's google provider's), and the one help text.
  "src/credentials/": "credentials",
  // The acceptance run on a sandbox project: its steps, report, prerequisites and runner.
  "src/acceptance/": "acceptance",
  [SEAM]: "seam",
  "constructs/": "constructs",
  "stacks/": "stacks",
};
const LAYERED = ["src/", "constructs/", "stacks/"];

/** Packages the CLI and the GTM code need and the synth app must not load (`cdktf synth` runs it). */
const NOT_FOR_SYNTH = [
  "commander",
  "@google-cloud/secret-manager",
  "@googleapis/tagmanager",
  "google-auth-library",
];
const SYNTH_APP = "stacks/main.ts";

interface ModuleImport {
  readonly specifier: string;
  /** Erased at compile time: `import type`, `export type ... from`, every named binding `type`, `import("x").T`. */
  readonly typeOnly: boolean;
}

interface Edge extends ModuleImport {
  readonly from: string;
  /** The project file it resolves to; unset for a package. */
  readonly to?: string;
}

/** Every module `source` imports, re-exports, requires or `import()`s (string specifiers only). */
function importsOf(source: string, file = "module.ts"): ModuleImport[] {
  const kind = /\.(m|c)?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, kind);
  const found: ModuleImport[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: isTypeOnlyImport(node.importClause) });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const named =
        node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : [];
      const typeOnly = node.isTypeOnly || (named.length > 0 && named.every((e) => e.isTypeOnly));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const ref = node.moduleReference.expression;
      if (ts.isStringLiteral(ref)) found.push({ specifier: ref.text, typeOnly: node.isTypeOnly });
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) {
        found.push({ specifier: arg.literal.text, typeOnly: true });
      }
    } else if (ts.isCallExpression(node) && isImportOrRequire(node.expression)) {
      const [arg] = node.arguments;
      if (arg !== undefined && ts.isStringLiteralLike(arg))
        found.push({ specifier: arg.text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function isTypeOnlyImport(clause: ts.ImportClause | undefined): boolean {
  if (clause === undefined) return false; // `import "x"`: loaded for its effects
  if (clause.isTypeOnly) return true;
  if (clause.name !== undefined || clause.namedBindings === undefined) return false;
  if (!ts.isNamedImports(clause.namedBindings)) return false; // `import * as x`
  const elements = clause.namedBindings.elements;
  return elements.length > 0 && elements.every((e) => e.isTypeOnly);
}

function isImportOrRequire(callee: ts.Expression): boolean {
  return (
    callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require")
  );
}

const RESOLVED_AS = ["", ".ts", ".js", ".mjs", ".cjs", "/index.ts", "/index.js"];

/** The import graph of `sources` (path relative to the root -> text); relative imports that match no file are problems. */
function importGraph(sources: ReadonlyMap<string, string>): { edges: Edge[]; problems: string[] } {
  const edges: Edge[] = [];
  const problems: string[] = [];
  for (const [from, source] of sources) {
    for (const imported of importsOf(source, from)) {
      if (!imported.specifier.startsWith(".")) {
        edges.push({ from, ...imported });
        continue;
      }
      const base = posix.join(posix.dirname(from), imported.specifier);
      const to = RESOLVED_AS.map((suffix) => base + suffix).find((path) => sources.has(path));
      if (to === undefined) problems.push(`${from}: ${imported.specifier} resolves to no file`);
      else edges.push({ from, to, ...imported });
    }
  }
  return { edges, problems };
}

/** The layer of a project file, or undefined (outside the table, or not placed). */
function layerOf(file: string): Layer | undefined {
  const matches = Object.keys(PLACES).filter((place) =>
    place.endsWith("/") ? file.startsWith(place) : file === place,
  );
  const longest = matches.sort((a, b) => b.length - a.length)[0];
  return longest === undefined ? undefined : PLACES[longest];
}

function unplaced(files: Iterable<string>): string[] {
  return [...files]
    .filter((file) => LAYERED.some((dir) => file.startsWith(dir)) && layerOf(file) === undefined)
    .map((file) => `${file} is in no layer: place it in PLACES (test/infra/imports.test.ts)`);
}

/** Imports between project files that the layer table does not allow. */
function layerBreaches(edges: readonly Edge[]): string[] {
  return edges.flatMap((edge) => {
    const from = layerOf(edge.from);
    if (edge.to === undefined || from === undefined) return [];
    const to = layerOf(edge.to);
    const rule = LAYERS[from];
    if (to === from) return [];
    if (to !== undefined && rule.imports.includes(to)) return [];
    if (to !== undefined && edge.typeOnly && rule.types?.includes(to)) return [];
    const may = [...rule.imports, ...(rule.types ?? []).map((layer) => `${layer} (types)`)];
    return [
      `${edge.from} (${from}) imports ${edge.typeOnly ? "types from " : ""}${edge.to} (${to ?? "outside the layers"}); ` +
        `${from} may import ${may.length > 0 ? may.join(", ") : "nothing"}`,
    ];
  });
}

/**
 * Import cycles among project files, type imports included (a type cycle still ties the modules
 * together): one cycle per strongly connected set, as a path `a -> b -> a` (`-type->`: type-only).
 */
function importCycles(edges: readonly Edge[]): string[] {
  const next = new Map<string, Edge[]>();
  for (const edge of edges) {
    if (edge.to !== undefined) next.set(edge.from, [...(next.get(edge.from) ?? []), edge]);
  }
  // Tarjan's strongly connected components.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file) as number);
    stack.push(file);
    onStack.add(file);
    for (const { to } of next.get(file) ?? []) {
      const target = to as string;
      if (!index.has(target)) {
        connect(target);
        low.set(file, Math.min(low.get(file) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) as number, index.get(target) as number));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    components.push(component);
  };
  for (const file of [...next.keys()].sort()) if (!index.has(file)) connect(file);

  return components
    .filter((c) => c.length > 1 || (next.get(c[0]) ?? []).some((e) => e.to === c[0]))
    .map((component) => shortestCycle(component.sort()[0], new Set(component), next))
    .sort();
}

/** The shortest way from `start` back to itself inside `within`, written as a path. */
function shortestCycle(
  start: string,
  within: ReadonlySet<string>,
  next: ReadonlyMap<string, Edge[]>,
): string {
  const reachedBy = new Map<string, Edge>();
  const queue = [start];
  while (!reachedBy.has(start) && queue.length > 0) {
    for (const edge of next.get(queue.shift() as string) ?? []) {
      const to = edge.to as string;
      if (!within.has(to) || reachedBy.has(to)) continue;
      reachedBy.set(to, edge);
      queue.push(to);
    }
  }
  const path: Edge[] = [];
  for (let at = start; path.length === 0 || at !== start; ) {
    const edge = reachedBy.get(at) as Edge;
    path.unshift(edge);
    at = edge.from;
  }
  return path.reduce((text, edge) => `${text} ${edge.typeOnly ? "-type->" : "->"} ${edge.to}`, start);
}

/** Packages loaded at run time by requiring `entry` (type imports are erased, so not followed). */
function packagesLoadedBy(entry: string, edges: readonly Edge[]): Set<string> {
  const packages = new Set<string>();
  const seen = new Set([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    for (const edge of edges) {
      if (edge.from !== file || edge.typeOnly) continue;
      if (edge.to === undefined) packages.add(packageName(edge.specifier));
      else if (!seen.has(edge.to)) {
        seen.add(edge.to);
        queue.push(edge.to);
      }
    }
  }
  return packages;
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
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
    const path = posix.join(dir, name);
    if (name === "node_modules" || name === "__snapshots__") return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

let project: { sources: Map<string, string>; edges: Edge[]; problems: string[] } | undefined;

/** The project's sources, by path relative to the root (jest runs from it), and their import graph. */
function theProject(): { sources: Map<string, string>; edges: Edge[]; problems: string[] } {
  if (project === undefined) {
    const files = SCANNED.flatMap((dir) => sourceFiles(dir));
    const sources = new Map(files.map((file) => [file, readFileSync(file, "utf8")]));
    project = { sources, ...importGraph(sources) };
  }
  return project;
}

const fixture = (files: Record<string, string>) => importGraph(new Map(Object.entries(files)));

describe("import seam", () => {
  it("flags root, outside-the-seam and beta imports", () => {
    const source = `import { App } from "cdktf";\nconst g = require('@cdktf/provider-google');`;
    expect(importsOf(source).map((i) => i.specifier)).toEqual(["cdktf", "@cdktf/provider-google"]);
    expect(importProblem("stacks/main.ts", "cdktf")).toMatch(/go through/);
    expect(importProblem("src/x.ts", "constructs")).toMatch(/go through/);
    expect(importProblem(SEAM, "@cdktf/provider-google")).toMatch(/deep-import/);
    expect(importProblem(SEAM, "@cdktf/provider-google/lib/compute-url-map")).toBeUndefined();
    expect(importProblem(SEAM, "@cdktf/provider-google-beta/lib/x")).toMatch(/beta/);
    expect(importProblem("stacks/main.ts", "../constructs/cdktf")).toBeUndefined();
  });

  it("holds in every source file", () => {
    const { sources, edges } = theProject();
    expect(sources.has(SEAM)).toBe(true);
    const problems = edges
      .filter((edge) => !EXEMPT.has(edge.from))
      .flatMap(({ from, specifier }) => {
        const problem = importProblem(from, specifier);
        return problem === undefined ? [] : [`${from}: ${problem}`];
      });
    expect(problems).toEqual([]);
  });
});

describe("the import checker", () => {
  it("tells type-only imports from the ones that load a module", () => {
    const source = [
      `import type { A } from "./a";`,
      `import { type B, type C } from "./b";`,
      `import { type D, e } from "./c";`,
      `import f, { type G } from "./d";`,
      `import * as h from "./e";`,
      `import "./f";`,
      `export type { I } from "./g";`,
      `export { type J } from "./h";`,
      `export * from "./i";`,
      `let k: import("./j").K;`,
      `const l = require("./k");`,
      `const m = await import("./l");`,
      `const n = "import { fake } from './not-an-import'";`,
    ].join("\n");
    expect(importsOf(source).map((i) => `${i.specifier}${i.typeOnly ? " type" : ""}`)).toEqual([
      "./a type",
      "./b type",
      "./c",
      "./d",
      "./e",
      "./f",
      "./g type",
      "./h type",
      "./i",
      "./j type",
      "./k",
      "./l",
    ]);
  });

  it("resolves a relative import to a .ts file or a folder's index.ts, and reports one that matches nothing", () => {
    const { edges, problems } = fixture({
      "src/a.ts": `import { b } from "./b";\nimport { c } from "./c";\nimport { d } from "./d";\nimport { z } from "zod";`,
      "src/b.ts": "",
      "src/c/index.ts": "",
    });
    expect(edges.map((e) => [e.from, e.specifier, e.to])).toEqual([
      ["src/a.ts", "./b", "src/b.ts"],
      ["src/a.ts", "./c", "src/c/index.ts"],
      ["src/a.ts", "zod", undefined],
    ]);
    expect(problems).toEqual(["src/a.ts: ./d resolves to no file"]);
  });

  it("flags a backward import, a type-only one too, and allows what the table allows", () => {
    const { edges } = fixture({
      "src/gtm/model/desired.ts": `import { runCli } from "../../cli/run";\nimport type { EnvironmentConfig } from "../../config/model";`,
      "src/gtm/read.ts": `import type { Plan } from "../cli/gtm-commands";\nimport { desired } from "./model/desired";`,
      "src/cli/run.ts": "",
      "src/cli/gtm-commands.ts": `import { read } from "../gtm/read";`,
      "src/config/model.ts": "",
    });
    expect(layerBreaches(edges)).toEqual([
      "src/gtm/model/desired.ts (gtm core) imports src/cli/run.ts (cli); gtm core may import config, naming",
      "src/gtm/read.ts (gtm shell) imports types from src/cli/gtm-commands.ts (cli); gtm shell may import gtm core, errors, config, naming",
    ]);
  });

  it("lets constructs import config's types but not its code, and keeps the CLI out of the synth app", () => {
    const { edges } = fixture({
      "constructs/secrets.ts": `import type { EnvironmentConfig } from "../src/config/model";\nimport { loadConfigDir } from "../src/config/load";`,
      "stacks/main.ts": `import { reportError } from "../src/cli/run";\nimport { loadConfigDir } from "../src/config/load";`,
      "src/cli/run.ts": `import { Command } from "commander";`,
      "src/config/model.ts": "",
      "src/config/load.ts": `import type { Command } from "commander";`,
    });
    expect(layerBreaches(edges)).toEqual([
      "constructs/secrets.ts (constructs) imports src/config/load.ts (config); constructs may import seam, naming, config (types)",
      "stacks/main.ts (stacks) imports src/cli/run.ts (cli); stacks may import constructs, seam, gtm core, errors, config, naming",
    ]);
    expect([...packagesLoadedBy("stacks/main.ts", edges)]).toEqual(["commander"]);
    expect([...packagesLoadedBy("src/config/load.ts", edges)]).toEqual([]);
  });

  it("places files by the longest matching entry and reports a src file it cannot place", () => {
    expect(layerOf(SEAM)).toBe("seam");
    expect(layerOf("constructs/secrets.ts")).toBe("constructs");
    expect(layerOf("src/gtm/plan/diff.ts")).toBe("gtm core");
    expect(layerOf("src/gtm/plan-run.ts")).toBe("gtm shell");
    expect(layerOf("test/gtm/plan.test.ts")).toBeUndefined();
    expect(unplaced(["src/gtm/retry.ts", "src/new/x.ts", "src/cli/x.ts", "test/x.test.ts"])).toEqual([
      "src/gtm/retry.ts is in no layer: place it in PLACES (test/infra/imports.test.ts)",
      "src/new/x.ts is in no layer: place it in PLACES (test/infra/imports.test.ts)",
    ]);
  });

  it("finds a cycle and writes its path", () => {
    const { edges } = fixture({
      "src/a.ts": `import { b } from "./b";`,
      "src/b.ts": `import { c } from "./c";`,
      "src/c.ts": `import { a } from "./a";`,
      "src/d.ts": `import { a } from "./a";`,
      "src/e.ts": `import { e } from "./e";`,
    });
    expect(importCycles(edges)).toEqual([
      "src/a.ts -> src/b.ts -> src/c.ts -> src/a.ts",
      "src/e.ts -> src/e.ts",
    ]);
  });

  it("finds a cycle made of type imports and re-exports", () => {
    const { edges } = fixture({
      "src/gtm/model.ts": `import type { Kind } from "./normalize";\nexport const x = 1;`,
      "src/gtm/normalize.ts": `export type { Model } from "./model";`,
      "src/gtm/plan.ts": `import { x } from "./model";`,
    });
    expect(importCycles(edges)).toEqual([
      "src/gtm/model.ts -type-> src/gtm/normalize.ts -type-> src/gtm/model.ts",
    ]);
  });
});

describe("the codebase", () => {
  it("has every relative import resolve to a file", () => {
    const { edges, problems } = theProject();
    expect(problems).toEqual([]);
    expect(edges.filter((e) => e.to !== undefined).length).toBeGreaterThan(100);
  });

  it("has every src, constructs and stacks file in a layer", () => {
    expect(unplaced(theProject().sources.keys())).toEqual([]);
  });

  it("imports only along the layer table", () => {
    expect(layerBreaches(theProject().edges)).toEqual([]);
  });

  it("has no import cycle, type imports included", () => {
    expect(importCycles(theProject().edges)).toEqual([]);
  });

  it("keeps the CLI's and GTM's packages out of the synth app", () => {
    const loaded = packagesLoadedBy(SYNTH_APP, theProject().edges);
    expect(loaded).toContain("cdktf");
    expect(NOT_FOR_SYNTH.filter((name) => loaded.has(name))).toEqual([]);
  });
});
