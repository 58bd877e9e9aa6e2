/**
 * The versions a report names: the kit's (and its commit), the cdktf CLI and Terraform that ran (read
 * by the prerequisite checks), the provider binding and the Terraform provider it was generated from,
 * Node.js. The kit's own files are found from this module, so the report names the kit that ran.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ProcessRunner } from "./process";
import type { Versions } from "./record";

const KIT_PACKAGE = "sgtm-tiktok-kit";

interface PackageJson {
  readonly name?: string;
  readonly version?: string;
  readonly dependencies?: Record<string, string>;
  readonly cdktf?: { readonly provider?: { readonly name?: string; readonly version?: string } };
}

/** The kit's folder: the nearest one above this module whose package.json is the kit's. */
export function kitRoot(from: string = __dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file) && readPackage(file)?.name === KIT_PACKAGE) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The cdktf CLI version the kit pins (its package.json), which the prerequisite check expects on PATH. */
export function pinnedCdktfVersion(root = kitRoot()): string {
  const pinned = root ? readPackage(join(root, "package.json"))?.dependencies?.["cdktf-cli"] : undefined;
  return pinned?.replace(/^[\^~]/, "") ?? "unknown";
}

export function readVersions(
  found: { readonly terraform?: string; readonly cdktf?: string; readonly kitCommit?: string },
  root = kitRoot(),
): Versions {
  const kit = root ? readPackage(join(root, "package.json")) : undefined;
  const binding = root
    ? readPackage(join(root, "node_modules", "@cdktf", "provider-google", "package.json"))
    : undefined;
  const provider = binding?.cdktf?.provider;
  return {
    kit: kit?.version ?? "unknown",
    ...(found.kitCommit ? { kitCommit: found.kitCommit } : {}),
    ...(found.cdktf ? { cdktf: found.cdktf } : {}),
    providerBinding: `@cdktf/provider-google ${binding?.version ?? "unknown"}`,
    terraformProvider: `${provider?.name?.replace(/^registry\.terraform\.io\//, "") ?? "hashicorp/google"} ${provider?.version ?? "unknown"}`,
    ...(found.terraform ? { terraform: found.terraform } : {}),
    node: process.version,
  };
}

function readPackage(file: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PackageJson;
  } catch {
    return undefined;
  }
}

/** The project's git commit (12 characters), when it is a git checkout with git on PATH. */
export async function kitCommit(
  processes: ProcessRunner,
  root: string,
  vars: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const run = await processes.run({ argv: ["git", "rev-parse", "--short=12", "HEAD"], env: vars, cwd: root });
  const commit = run.output.trim();
  return run.exitCode === 0 && /^[0-9a-f]{7,12}$/.test(commit) ? commit : undefined;
}
