import { App } from "../../constructs/cdktf";
import { configDigest } from "../../src/config/digest";
import { loadConfigDir } from "../../src/config/load";
import { kitMetadata, type SynthJson } from "../../src/review/synth-json";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { FIXTURE_CONFIG_DIR } from "../config/helpers";
import { fixture, variant } from "./helpers";

describe("what a synth records for the review", () => {
  const production = fixture("acme-production");
  const recorded = (env: typeof production) =>
    kitMetadata(new EnvironmentStack(new App({ skipValidation: true }), env).toTerraform() as SynthJson);

  it("the digest of the config it was made from, and the tier", () => {
    expect(recorded(production)).toEqual({ inputs: configDigest(production), tier: "production" });
    expect(configDigest(production)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("a digest that follows the config, not where its files are", () => {
    expect(configDigest(variant(production, { tagging: { maxInstances: 11 } }))).not.toBe(
      configDigest(production),
    );
    const moved = {
      ...production,
      sourceFiles: ["../elsewhere/acme/client.yaml", "../elsewhere/acme/production.yaml"],
    };
    expect(configDigest(moved)).toBe(configDigest(production));
    // Loaded again: the same digest (nothing in a resolved config depends on the load).
    const again = loadConfigDir(FIXTURE_CONFIG_DIR).find((env) => env.stackName === production.stackName);
    expect(configDigest(again as typeof production)).toBe(configDigest(production));
  });
});
