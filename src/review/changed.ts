/**
 * Which stacks a change touches, from the files it changes (`git diff --name-only base...HEAD`):
 *
 * - `<config>/<client>/<env>.yaml` -> stack `<client>-<env>`;
 * - `<config>/<client>/client.yaml` -> every stack of that client;
 * - `<config>/stacks.lock` -> the stacks it adds or drops;
 * - the kit's code (KIT_CODE: what the synth or the GTM reconciler runs) -> every stack;
 * - anything else (docs, tests, workflows, other files under the config folder) -> none.
 *
 * A deleted environment file is not deployed: when the lock at HEAD still lists its stack it is reported
 * in `retireFirst` (its resources may still exist: docs/deploy.md, "Retiring an environment"), otherwise in
 * `removed` (retired and dropped from the lock in this change).
 */
import { posix } from "node:path";
import { CLIENT_DEFAULTS_FILE, STACK_LOCK_FILE, stackNameOf } from "../config/load";
import { compareText } from "../gtm/core/normalize";

/** Files and folders whose change can change every stack's synth or GTM plan. */
export const KIT_CODE: readonly string[] = [
  "src/",
  "constructs/",
  "stacks/",
  "bin/",
  "package.json",
  "package-lock.json",
  "cdktf.json",
  "tsconfig.json",
  "tsconfig.build.json",
];

const YAML_FILE = /\.ya?ml$/;

export interface ChangeInput {
  /** Files changed between base and HEAD, relative to the repository root, `/`-separated. */
  readonly changedFiles: readonly string[];
  /** The config folder, relative to the repository root (`config`). */
  readonly configDir: string;
  /** The environment files at HEAD, relative to the repository root. */
  readonly environmentFiles: readonly string[];
  /** The stack lock at HEAD and at base; undefined when that side has none. */
  readonly headLock?: readonly string[];
  readonly baseLock?: readonly string[];
}

export interface ChangedStacks {
  /** Stacks to plan and deploy, sorted. */
  readonly stacks: readonly string[];
  /** For each of `stacks`, the changed files that selected it, sorted. */
  readonly reasons: Readonly<Record<string, readonly string[]>>;
  /** Stacks whose environment file was deleted and which the lock no longer lists: nothing to deploy. */
  readonly removed: readonly string[];
  /** Stacks whose environment file was deleted while the lock still lists them: retire them first. */
  readonly retireFirst: readonly string[];
}

export function changedStacks(input: ChangeInput): ChangedStacks {
  const configDir = posix
    .normalize(input.configDir)
    .replace(/^\.\/?$/, "")
    .replace(/\/$/, "");
  const inConfig = (file: string) => (configDir === "" ? file : file.slice(configDir.length + 1));
  const isUnderConfig = (file: string) => configDir === "" || file.startsWith(`${configDir}/`);

  const headStacks = new Map<string, string>(); // stack -> client
  for (const file of input.environmentFiles) {
    const [client, name] = inConfig(posix.normalize(file)).split("/");
    if (client && name) headStacks.set(stackNameOf(file), client);
  }
  const headLock = new Set(input.headLock ?? []);
  const reasons = new Map<string, Set<string>>();
  const removed = new Set<string>();
  const retireFirst = new Set<string>();
  const touch = (stack: string, file: string) => {
    if (!headStacks.has(stack)) return;
    reasons.set(stack, (reasons.get(stack) ?? new Set()).add(file));
  };
  const deleted = (stack: string) => (headLock.has(stack) ? retireFirst : removed).add(stack);

  for (const raw of input.changedFiles) {
    const file = posix.normalize(raw.trim());
    if (file === "" || file === ".") continue;
    if (KIT_CODE.some((code) => (code.endsWith("/") ? file.startsWith(code) : file === code))) {
      for (const stack of headStacks.keys()) touch(stack, file);
      continue;
    }
    if (!isUnderConfig(file)) continue;
    const parts = inConfig(file).split("/");
    if (parts.length === 1 && parts[0] === STACK_LOCK_FILE) {
      const base = new Set(input.baseLock ?? []);
      for (const stack of headLock) if (!base.has(stack)) touch(stack, file);
      for (const stack of base) {
        if (headLock.has(stack)) continue;
        if (headStacks.has(stack)) touch(stack, file);
        else removed.add(stack);
      }
    } else if (parts.length === 2 && YAML_FILE.test(parts[1])) {
      const [client, name] = parts;
      if (name === CLIENT_DEFAULTS_FILE) {
        for (const [stack, owner] of headStacks) if (owner === client) touch(stack, file);
      } else {
        const stack = stackNameOf(file);
        if (headStacks.has(stack)) touch(stack, file);
        else deleted(stack);
      }
    }
  }
  const stacks = [...reasons.keys()].sort(compareText);
  return {
    stacks,
    reasons: Object.fromEntries(stacks.map((s) => [s, [...(reasons.get(s) ?? [])].sort(compareText)])),
    removed: [...removed].filter((s) => !retireFirst.has(s)).sort(compareText),
    retireFirst: [...retireFirst].sort(compareText),
  };
}
