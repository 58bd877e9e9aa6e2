/** Shared by the infra tests: fixture and variant environments, synth to typed JSON, lookups. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "../../constructs/cdktf";
import { loadConfigDir } from "../../src/config/load";
import type { EnvironmentConfig } from "../../src/config/model";
import { EnvironmentStack, type EnvironmentStackOptions } from "../../stacks/environment-stack";
import { FIXTURE_CONFIG_DIR } from "../config/helpers";

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped by nature
export type Block = Record<string, any>;

export interface Synth {
  readonly text: string;
  readonly json: Block;
  /** Resources of `type`, by logical ID (empty when absent). */
  of(type: string): Record<string, Block>;
  /** The one resource of `type`; fails the test when there is not exactly one. */
  one(type: string): Block;
  /** `${type.id...}` reference prefix of a resource, to compare references. */
  ref(type: string, resource: Block): string;
  output(name: string): Block;
}

let fixtures: EnvironmentConfig[] | undefined;

/** The fixture environments under test/fixtures/config/, lock checked (loaded once per test file). */
export function fixtureEnvironments(): EnvironmentConfig[] {
  fixtures ??= loadConfigDir(FIXTURE_CONFIG_DIR);
  return fixtures;
}

export function fixture(stackName: string): EnvironmentConfig {
  const env = fixtureEnvironments().find((e) => e.stackName === stackName);
  if (!env) throw new Error(`no fixture environment ${stackName}`);
  return env;
}

type DeepPartial<T> = { -readonly [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** `base` with `patch` merged in (objects key by key; arrays and scalars replaced). */
export function variant(base: EnvironmentConfig, patch: DeepPartial<EnvironmentConfig>): EnvironmentConfig {
  return merge(base, patch) as EnvironmentConfig;
}

function merge(base: unknown, patch: unknown): unknown {
  if (patch === undefined) return base;
  if (!isObject(base) || !isObject(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  // An explicit `undefined` removes the key (e.g. `dnsZone: undefined`).
  for (const [key, value] of Object.entries(patch))
    out[key] = value === undefined ? undefined : merge(base[key], value);
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function synth(env: EnvironmentConfig, options?: EnvironmentStackOptions): Synth {
  const app = Testing.app();
  const stack = new EnvironmentStack(app, env, options);
  const text = Testing.synth(stack);
  const json = JSON.parse(text) as Block;
  const of = (type: string): Record<string, Block> => json.resource?.[type] ?? {};
  return {
    text,
    json,
    of,
    one(type) {
      const all = Object.values(of(type));
      if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
      return all[0];
    },
    ref(type, resource) {
      const id = Object.entries(of(type)).find(([, r]) => r === resource)?.[0];
      if (!id) throw new Error(`resource not found in ${type}`);
      return `\${${type}.${id}.`;
    },
    output(name) {
      const output = json.output?.[name];
      if (!output) throw new Error(`no output ${name}`);
      return output;
    },
  };
}

/** Every resource of the synth as `[type, logicalId, block]`. */
export function allResources(s: Synth): [string, string, Block][] {
  return Object.entries(s.json.resource ?? {}).flatMap(([type, byId]) =>
    Object.entries(byId as Record<string, Block>).map(([id, block]): [string, string, Block] => [
      type,
      id,
      block,
    ]),
  );
}

/** Writes `<client>/<env>.yaml` files into a fresh temp config folder and returns its path. */
export function tempConfig(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "sgtm-config-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** A minimal valid environment file (override lines by appending YAML keys that are not set here). */
export function minimalEnvironmentYaml(tier: "production" | "staging" | "dev", extra = ""): string {
  return [
    `tier: ${tier}`,
    "gcp: { project: demo-project, region: europe-west1 }",
    "domain: { tagging: sgtm.demo-shop.com }",
    'gtm: { accountId: "1234", containerId: "5678" }',
    "tiktok:",
    "  pixelId: C4A1B2C3D4E5F6G7H8I9",
    "  pixelEventNames: current",
    tier === "production" ? "  consent: ad-storage-granted" : "",
    extra,
  ]
    .filter(Boolean)
    .join("\n");
}
