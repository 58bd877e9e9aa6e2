/**
 * Stacks that Terraform still knows but no environment file declares: the synth app warns about them
 * on every `cdktf synth`/`deploy`, because deleting an environment file leaves its resources running,
 * out of sight. Reads only the project's files (local state, cdktf's stack folders); no cloud call.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

export interface StrandedStateInput {
  readonly projectRoot: string;
  /** cdktf's output folder (`cdktf.out`), relative to the project root or absolute. */
  readonly outdir: string;
  readonly configDir: string;
  readonly stackNames: readonly string[];
}

/**
 * Stacks that still have state but no environment file: deleting the file does not delete the
 * resources, it only makes them invisible. Looks at local state files (`terraform.<stack>.tfstate` with
 * resources) and at initialized stack folders (`<outdir>/stacks/<stack>/.terraform`, remote state).
 */
export function findStrandedState(input: StrandedStateInput): string[] {
  const known = new Set(input.stackNames);
  const found = new Map<string, string>();
  for (const name of listDir(input.projectRoot)) {
    const stack = /^terraform\.(.+)\.tfstate$/.exec(name)?.[1];
    if (stack === undefined || known.has(stack)) continue;
    const resources = countResources(join(input.projectRoot, name));
    if (resources > 0) found.set(stack, `${name} holds ${resources} resource(s)`);
  }
  const stacksDir = resolve(input.projectRoot, input.outdir, "stacks");
  const shownStackDir = (stack: string) => relative(input.projectRoot, join(stacksDir, stack));
  for (const stack of listDir(stacksDir)) {
    if (known.has(stack) || found.has(stack)) continue;
    if (existsSync(join(stacksDir, stack, ".terraform"))) {
      found.set(stack, `${shownStackDir(stack)} was initialized, its state may hold resources`);
    }
  }
  return [...found.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([stack, evidence]) => {
      const file = environmentFileFor(stack, input);
      return (
        `stack ${stack} has no environment file but may still own resources (${evidence}). ` +
        `To destroy them: create ${file} with \`retired: true\` (restore it from git history), ` +
        `run \`npx cdktf deploy ${stack}\` and \`npx cdktf destroy ${stack}\`, then delete ${file}` +
        ` and ${shownStackDir(stack)}.`
      );
    });
}

/** `<configDir>/<client>/<env>.yaml` for an existing client folder that prefixes the stack name. */
function environmentFileFor(stack: string, input: StrandedStateInput): string {
  const clients = listDir(input.configDir)
    .filter((client) => stack.startsWith(`${client}-`))
    .sort((a, b) => b.length - a.length);
  const client = clients[0];
  return client
    ? join(input.configDir, client, `${stack.slice(client.length + 1)}.yaml`)
    : join(input.configDir, "<client>", "<env>.yaml");
}

function listDir(dir: string): string[] {
  try {
    return statSync(dir).isDirectory() ? readdirSync(dir).sort() : [];
  } catch {
    return [];
  }
}

function countResources(stateFile: string): number {
  try {
    const state = JSON.parse(readFileSync(stateFile, "utf8")) as { resources?: unknown[] };
    return Array.isArray(state.resources) ? state.resources.length : 0;
  } catch {
    return 1; // unreadable state: report it rather than assume it is empty
  }
}
