import { inspect } from "node:util";
import { UserError } from "../../src/errors/report";
import { SCRUBBED_TEXT, scrub } from "../../src/errors/scrub";
import {
  acceptedToken,
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

describe("a token as it enters the kit", () => {
  const variable = "SGTM_TIKTOK_ACCESS_TOKEN_ACME_PRODUCTION";
  const token = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";

  it("is held without surrounding whitespace or a Bearer prefix: what is sent and written is the token alone", () => {
    for (const given of [`${token}\n`, `  ${token}\r\n`, `Bearer ${token}`, `bearer   ${token} \n`]) {
      expect(tokenFromEnvironment("acme-production", { [variable]: given })?.reveal()).toBe(token);
    }
    // Nothing but whitespace is no token.
    expect(tokenFromEnvironment("acme-production", { [variable]: " \n" })).toBeUndefined();
  });

  it("is refused with whitespace inside, naming where it came from and how to set it again, never showing it", () => {
    const given = `${token.slice(0, 20)}\n${token.slice(20)}`;
    const refusal = (() => {
      try {
        tokenFromEnvironment("acme-production", { [variable]: given });
      } catch (error) {
        return error as Error;
      }
      throw new Error("not refused");
    })();
    expect(refusal).toBeInstanceOf(UserError);
    expect(refusal.message).toBe(
      `$${variable} holds a line break, a space or another control character inside the token (the value is not shown): a TikTok access token is a single word. Set it again with the token alone: read -rs ${variable} && export ${variable}`,
    );
    expect(refusal.message).not.toContain(token.slice(0, 12));
  });

  it("registers the form it arrived in and every random-looking 12-character piece with the scrubber", () => {
    const raw = "\n5f0e1d2c3b4a59687f6e5d4c3b2a190817263544\n";
    acceptedToken(raw, "$X", "");
    // An API error quoting the token cut short (20 characters), as Google's 400s quote request bodies.
    const quoted = `Invalid value: {"value":"${raw.trim().slice(0, 20)}`;
    expect(scrub(quoted)).toBe(`Invalid value: {"value":"${SCRUBBED_TEXT}`);
    // Eleven characters are not enough to be sure; ordinary words never match.
    expect(scrub(`id ${raw.trim().slice(3, 14)} here`)).toBe(`id ${raw.trim().slice(3, 14)} here`);
    new SecretValue("demo-token-not-a-real-tiktok-token");
    expect(scrub("secret sgtm-shop-staging-tiktok-token")).toBe("secret sgtm-shop-staging-tiktok-token");
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
