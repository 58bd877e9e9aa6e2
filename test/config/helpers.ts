import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../src/config/errors";
import { loadEnvironments } from "../../src/config/load";
import type { EnvironmentConfig } from "../../src/config/model";

/**
 * The config folder the kit's own tests read (two acme environments and their stacks.lock), relative to
 * the project root. config/ belongs to the kit's users: adding or removing a client there must not
 * change what these tests see (test/environments/ checks config/ generically).
 */
export const FIXTURE_CONFIG_DIR = join("test", "fixtures", "config");

export const VALID_CLIENT = `gcp:
  region: europe-west1
gtm:
  accountId: "6012345678"
tiktok:
  pixelId: C4A1B2C3D4E5F6G7H8I9
  pixelEventNames: current
`;

export const VALID_ENV = `tier: staging
gcp:
  project: shop-sgtm-staging
domain:
  tagging: sgtm.shop.com
gtm:
  containerId: "123456"
`;

/** Writes `config/<client>/{client.yaml,<env>.yaml}` into a temp dir and returns the env file path. */
export function writeConfig(files: {
  client?: string;
  env: string;
  envName?: string;
  clientName?: string;
}): string {
  const root = mkdtempSync(join(tmpdir(), "sgtm-config-"));
  const dir = join(root, files.clientName ?? "shop");
  mkdirSync(dir, { recursive: true });
  if (files.client !== undefined) writeFileSync(join(dir, "client.yaml"), files.client);
  const envPath = join(dir, `${files.envName ?? "staging"}.yaml`);
  writeFileSync(envPath, files.env);
  return envPath;
}

export function loadOk(env: string, client = VALID_CLIENT): EnvironmentConfig {
  return loadEnvironments([writeConfig({ client, env })])[0];
}

/** Loads and returns the formatted problems (throws if the config was accepted). */
export function loadProblems(env: string, client = VALID_CLIENT): string[] {
  try {
    loadEnvironments([writeConfig({ client, env })]);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split("\n");
    throw error;
  }
  throw new Error("config was accepted");
}
