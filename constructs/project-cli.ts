/**
 * How Terraform's `local-exec` steps run the kit's own CLI: `node bin/sgtm.js` from the project root,
 * never `npx sgtm`, which outside the project would fetch whatever package of that name the registry
 * serves. The root is given relative to Terraform's working directory (`<outdir>/stacks/<stack>`).
 */
import { relative, resolve } from "node:path";

/** The CLI launcher, relative to the project root. */
export const PROJECT_CLI = "bin/sgtm.js";

export interface ProjectCliProps {
  /** The project root, relative to the stack's folder (see `projectRootFromStackDir`). */
  readonly projectRoot: string;
  /** `--config-dir` for the command. Unset: the CLI default, `config`. */
  readonly configDir?: string;
}

/** The path from `<outdir>/stacks/<stack>` back to `projectRoot`: `../../..` for the default `cdktf.out`. */
export function projectRootFromStackDir(outdir: string, stackName: string, projectRoot: string): string {
  const stackDir = resolve(projectRoot, outdir, "stacks", stackName);
  return relative(stackDir, resolve(projectRoot)) || ".";
}

/** `node bin/sgtm.js [--config-dir X] <args>`, run with the project root as working directory. */
function projectCliCommand(props: ProjectCliProps, args: readonly string[]): string {
  const configDir = props.configDir === undefined ? [] : ["--config-dir", props.configDir];
  return ["node", PROJECT_CLI, ...configDir, ...args].map(shellQuote).join(" ");
}

/** The `local-exec` provisioner that runs `sgtm <args>`: the command and its working directory together. */
export function projectCliProvisioner(props: ProjectCliProps, args: readonly string[]) {
  return {
    type: "local-exec" as const,
    command: projectCliCommand(props, args),
    workingDir: props.projectRoot,
  };
}

export function shellQuote(value: string): string {
  return /^[\w./=-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}
