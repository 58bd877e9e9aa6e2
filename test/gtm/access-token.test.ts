import { inspect } from "node:util";
import {
  SecretValue,
  stackTokenVariable,
  tokenFromEnvironment,
  tokenOverride,
} from "../../src/gtm/client/access-token";

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
