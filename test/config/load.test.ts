import { readFileSync } from "node:fs";
import { configJsonSchema } from "../../src/config/json-schema";
import { findEnvironmentFiles, loadEnvironments } from "../../src/config/load";
import { loadOk, VALID_CLIENT, VALID_ENV } from "./helpers";

describe("config precedence and tier defaults", () => {
  it("applies staging defaults: min 0, no deletion protection, preview.<domain>, strict consent", () => {
    const env = loadOk(VALID_ENV);
    expect(env.stackName).toBe("shop-staging");
    expect(env.tagging).toMatchObject({ minInstances: 0, maxInstances: 10, deletionProtection: false });
    expect(env.domain.preview).toBe("preview.sgtm.shop.com");
    expect(env.tiktok).toMatchObject({
      consent: "ad-storage-granted",
      consentExplicit: false,
      tagLayout: "per-event",
    });
    expect(env.backend).toEqual({ type: "local", path: "terraform.shop-staging.tfstate" });
    expect(env.secrets.tiktokAccessToken).toBe("sgtm-shop-staging-tiktok-token");
  });

  it("applies production defaults: min 2, deletion protection, publish", () => {
    const env = loadOk(
      `tier: production\ngcp: { project: shop-sgtm-prod }\ndomain: { tagging: sgtm.shop.com }\ngtm: { containerId: "9" }\ntiktok: { consent: block-if-denied }\n`,
    );
    expect(env.tagging).toMatchObject({ minInstances: 2, deletionProtection: true });
    expect(env.gtm.publish).toBe(true);
    expect(env.tiktok.consentExplicit).toBe(true);
  });

  it("environment file beats client file, which beats the defaults", () => {
    const client = `${VALID_CLIENT}tagging:\n  maxInstances: 4\n  minInstances: 1\n`;
    const env = loadOk(`${VALID_ENV}tagging:\n  maxInstances: 6\n`, client);
    expect(env.tagging.maxInstances).toBe(6);
    expect(env.tagging.minInstances).toBe(1);
  });

  it("replaces the event map whole instead of merging it", () => {
    const client = `${VALID_CLIENT}  events:\n    purchase: {}\n    search: {}\n`;
    const env = loadOk(`${VALID_ENV}tiktok:\n  events:\n    view_item: {}\n`, client);
    expect(env.tiktok.events.map((e) => e.ga4Event)).toEqual(["view_item"]);
  });

  it("defaults to the article's events in the pixel's naming", () => {
    const current = loadOk(VALID_ENV).tiktok.events;
    expect(current.map((e) => `${e.ga4Event}>${e.tiktokEvent}`)).toEqual([
      "add_to_cart>AddToCart",
      "begin_checkout>InitiateCheckout",
      "form_submit>Lead",
      "generate_lead>Lead",
      "page_view>Pageview",
      "purchase>Purchase",
      "search>Search",
      "view_item>ViewContent",
    ]);
    const legacy = loadOk(
      VALID_ENV,
      VALID_CLIENT.replace("pixelEventNames: current", "pixelEventNames: legacy"),
    );
    expect(legacy.tiktok.events.find((e) => e.ga4Event === "purchase")?.tiktokEvent).toBe("CompletePayment");
    expect(legacy.tiktok.events.find((e) => e.ga4Event === "generate_lead")?.tiktokEvent).toBe("SubmitForm");
  });

  it("switches an event to custom properties when any property source is set", () => {
    const env = loadOk(
      `${VALID_ENV}tiktok:\n  events:\n    purchase:\n      value: { eventData: value }\n      currency: { constant: EUR }\n      contents: { eventData: tt_contents }\n    search: {}\n`,
    );
    expect(env.tiktok.events[0].properties).toEqual({
      source: "custom",
      value: { eventData: "value" },
      currency: { constant: "EUR" },
      contents: { eventData: "tt_contents" },
      contentType: undefined,
    });
    expect(env.tiktok.events[1].properties).toEqual({ source: "ga" });
  });
});

describe("the example config", () => {
  it("loads every example environment", () => {
    const envs = loadEnvironments(findEnvironmentFiles("config"));
    expect(envs.map((e) => e.stackName)).toEqual(["acme-production", "acme-staging"]);
  });

  it("has a committed JSON Schema that matches the zod schema (run `npm run schema` to update)", () => {
    expect(readFileSync("config/schema.json", "utf8")).toBe(configJsonSchema());
  });

  it("references the JSON Schema from every YAML file", () => {
    for (const file of [...findEnvironmentFiles("config"), "config/acme/client.yaml"]) {
      expect(readFileSync(file, "utf8")).toMatch(/^# yaml-language-server: \$schema=\.\.\/schema\.json/);
    }
  });
});
