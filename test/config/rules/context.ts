import { mergeFiles } from "../../../src/config/resolve";
import type { RuleContext } from "../../../src/config/rules/rule";
import type { ConfigFile } from "../../../src/config/schema";

/** The merged form of helpers.ts VALID_CLIENT + VALID_ENV: every rule passes on it. */
const VALID: ConfigFile = {
  tier: "staging",
  gcp: { project: "shop-sgtm-staging", region: "europe-west1" },
  domain: { tagging: "sgtm.shop.com" },
  gtm: { accountId: "6012345678", containerId: "123456" },
  tiktok: { pixelId: "C4A1B2C3D4E5F6G7H8I9", pixelEventNames: "current" },
};

/** A rule's input: the valid config with `overrides` merged over it (the loader's precedence). */
export function context(overrides: ConfigFile = {}, client = "shop", environment = "staging"): RuleContext {
  return { client, environment, stackName: `${client}-${environment}`, merged: mergeFiles(VALID, overrides) };
}

export const production = (tiktok: ConfigFile["tiktok"] = {}): ConfigFile => ({
  tier: "production",
  tiktok,
});
