import { inspect } from "node:util";
import {
  SecretValue,
  stackTokenVariable,
  tokenFromEnvironment,
  tokenOverride,
  tokenSources,
} from "../../src/gtm/client/access-token";
import { loadEnv, PRODUCTION_ENV } from "./fixtures";

describe("the TikTok token override", () => {
  it("prefers the stack's own variable over the generic one", () => {
    const variables = {
      SGTM_TIKTOK_ACCESS_TOKEN: "generic",
      SGTM_TIKTOK_ACCESS_TOKEN_ACME_PRODUCTION: "own",
    };
    expect(tokenOverride("acme-production", variables)?.variable).toBe(
      "SGTM_TIKTOK_ACCESS_TOKEN_ACME_PRODUCTION",
    );
    expect(tokenFromEnvironment("acme-production", variables)?.reveal()).toBe("own");
    expect(tokenFromEnvironment("acme-staging", {})).toBeUndefined();
  });

  it("takes the generic variable only against the local fake, never for a real container", () => {
    const generic = { SGTM_TIKTOK_ACCESS_TOKEN: "generic" };
    // Against Google's API one value for every environment would write one client's token into another's.
    expect(tokenFromEnvironment("acme-staging", generic)).toBeUndefined();
    expect(
      tokenFromEnvironment("acme-staging", {
        ...generic,
        SGTM_GTM_ROOT_URL: "https://tagmanager.googleapis.com/",
      }),
    ).toBeUndefined();
    expect(
      tokenFromEnvironment("acme-staging", {
        ...generic,
        SGTM_GTM_ROOT_URL: "http://127.0.0.1:4010/",
      })?.reveal(),
    ).toBe("generic");
  });

  it("names every place the token is read from, in order: the fake reads no secret", () => {
    const env = loadEnv(PRODUCTION_ENV);
    expect(tokenSources(env, { SGTM_GTM_ROOT_URL: "http://127.0.0.1:4010/" })).toEqual([
      "$SGTM_TIKTOK_ACCESS_TOKEN_SHOP_PRODUCTION",
      "$SGTM_TIKTOK_ACCESS_TOKEN",
    ]);
    expect(tokenSources(env, {})).toEqual([
      "$SGTM_TIKTOK_ACCESS_TOKEN_SHOP_PRODUCTION",
      `secret ${env.secrets.tiktokAccessToken} (project ${env.gcp.project})`,
    ]);
  });

  it("names the variable after the stack", () => {
    expect(stackTokenVariable("big-client-eu-prod")).toBe("SGTM_TIKTOK_ACCESS_TOKEN_BIG_CLIENT_EU_PROD");
  });
});

describe("SecretValue", () => {
  it("never shows its value when printed, stringified or inspected", () => {
    const secret = new SecretValue("SENTINEL-abc123");
    const shown = [
      String(secret),
      `${secret}`,
      JSON.stringify({ secret }),
      inspect(secret),
      inspect({ secret }),
    ];
    for (const text of shown) expect(text).not.toContain("SENTINEL");
    expect(secret.reveal()).toBe("SENTINEL-abc123");
    expect(secret.hash()).toMatch(/^[0-9a-f]{64}$/);
  });
});
