/** Shared by the review tests: the fixture synths and config folder under test/fixtures/review/. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { looksSecret } from "../../src/config/errors";
import { parseSynthJson, type SynthJson } from "../../src/review/synth-json";

export const REVIEW_FIXTURES = join(__dirname, "..", "fixtures", "review");
/** A config folder with clients `shop` (client.yaml, production, staging) and `north` (production only). */
export const FIXTURE_CONFIG = join(REVIEW_FIXTURES, "config");
/** cdktf.out folders: `base` has shop-production only, `head` has shop-production and shop-staging. */
export const BASE_SYNTH = join(REVIEW_FIXTURES, "synth", "base");
export const HEAD_SYNTH = join(REVIEW_FIXTURES, "synth", "head");

/**
 * Values in the fixture synths that must never be printed: a `secret_data`, an environment variable
 * with a secret-looking name, and one whose value is shaped like a token.
 */
export const SYNTH_SECRETS = [
  "SENTINEL-synth-secret-data-base",
  "SENTINEL-synth-secret-data-head",
  "SENTINEL-synth-debug-token",
  "0123456789abcdef0123456789abcdef01234567",
] as const;

export function fixtureSynth(side: "base" | "head", stack = "shop-production"): SynthJson {
  const path = join(side === "base" ? BASE_SYNTH : HEAD_SYNTH, "stacks", stack, "cdk.tf.json");
  return parseSynthJson(readFileSync(path, "utf8"), path);
}

/** Fails the test when `text` holds any of the fixture secrets. */
export function expectNoFixtureSecret(text: string): void {
  for (const secret of SYNTH_SECRETS) expect(text).not.toContain(secret);
}

/**
 * Fails the test when `text` holds a fixture secret or any word shaped like a pasted token or container
 * config (for renders meant for people; the JSON carries the GTM plan's basis digest, a hash).
 */
export function expectNothingSecretLooking(text: string): void {
  expectNoFixtureSecret(text);
  const words = text.split(/[\s"'`()[\]{}<>|=:,&]+/);
  expect(words.filter((word) => looksSecret(word))).toEqual([]);
}

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped by nature
export type Block = Record<string, any>;

/** A deep copy of a synth, to edit in a test. */
export function editable(synth: SynthJson): Block {
  return structuredClone(synth) as Block;
}
