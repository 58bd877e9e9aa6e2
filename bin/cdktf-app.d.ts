/** Types of bin/cdktf-app.js for the tests (the launcher itself is plain JavaScript: it runs before any build). */
export declare const SOURCE_DIRS: readonly string[];
export declare function isSource(file: string): boolean;
/** Source path (`src/a.ts`) -> mtime in ms. */
export type Mtimes = Readonly<Record<string, number>>;
export interface BuildPlan {
  readonly compile: string[];
  readonly remove: string[];
}
export declare function planBuild(sources: Mtimes, outputs: Mtimes): BuildPlan;
export interface Transpiler {
  transformSync(code: string, options: object): { code: string };
}
export declare function freshen(options?: {
  root?: string;
  outDir?: string;
  transpiler?: () => Transpiler;
}): BuildPlan;
