import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, formatProblem } from "../../src/config/errors";
import { configJsonSchema } from "../../src/config/json-schema";
import {
  checkConfigDir,
  loadConfigDir,
  loadEnvironments,
  readStackLock,
  renderStackLock,
  STACK_LOCK_FILE,
} from "../../src/config/load";
import { FIXTURE_CONFIG_DIR, loadOk, VALID_CLIENT, VALID_ENV, writeConfig } from "./helpers";

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
    });
    expect(env.tiktok.events[1].properties).toEqual({ source: "ga" });
  });
});

describe("the fixture config", () => {
  it("loads every fixture environment, checked against its lock", () => {
    const envs = loadConfigDir(FIXTURE_CONFIG_DIR);
    expect(envs.map((e) => e.stackName)).toEqual(["acme-production", "acme-staging"]);
    expect(envs.map((e) => e.sourceFiles)).toEqual([
      [join(FIXTURE_CONFIG_DIR, "acme", "client.yaml"), join(FIXTURE_CONFIG_DIR, "acme", "production.yaml")],
      [join(FIXTURE_CONFIG_DIR, "acme", "client.yaml"), join(FIXTURE_CONFIG_DIR, "acme", "staging.yaml")],
    ]);
  });
});

describe("config/", () => {
  it("has a committed JSON Schema that matches the zod schema (run `npm run schema` to update)", () => {
    expect(readFileSync("config/schema.json", "utf8")).toBe(configJsonSchema());
  });
});

describe("resources environments must not share", () => {
  function loadTwo(client: string, staging: string, production: string): string {
    const { writeFileSync } = require("node:fs") as typeof import("node:fs");
    const first = writeConfig({ client, env: staging });
    const second = first.replace(/staging\.yaml$/, "production.yaml");
    writeFileSync(second, production);
    try {
      loadEnvironments([first, second]);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    return "accepted";
  }
  const production = VALID_ENV.replace("tier: staging", "tier: production\ntiktok:\n  consent: not-enforced")
    .replace('containerId: "123456"', 'containerId: "654321"')
    .replace("shop-sgtm-staging", "shop-sgtm-prod")
    .replace("sgtm.shop.com", "sgtm.prod-shop.com");

  it("rejects one Terraform state prefix for two environments (set in client.yaml)", () => {
    const client = `${VALID_CLIENT}backend:\n  type: gcs\n  bucket: shop-tfstate\n  prefix: sgtm/shop\n`;
    const message = loadTwo(client, VALID_ENV, production);
    expect(message).toMatch(
      /client\.yaml:\d+:\d+ backend\.prefix: shop-production uses the same Terraform state as shop-staging/,
    );
  });

  it("rejects the same host in two environments", () => {
    const message = loadTwo(
      VALID_CLIENT,
      VALID_ENV,
      production.replace("sgtm.prod-shop.com", "sgtm.shop.com"),
    );
    expect(message).toContain("domain.tagging: shop-production uses the same host as shop-staging");
  });

  it("rejects one secret id for two environments in one project", () => {
    const client = `${VALID_CLIENT}secrets:\n  tiktokAccessToken: shop-tiktok-token\n`;
    const message = loadTwo(client, VALID_ENV, VALID_ENV.replace("sgtm.shop.com", "sgtm2.shop.com"));
    expect(message).toContain(
      "secrets.tiktokAccessToken: shop-production uses the same secret as shop-staging",
    );
  });

  it("rejects one GTM container for two environments, naming both files", () => {
    const message = loadTwo(
      VALID_CLIENT,
      VALID_ENV,
      production.replace('containerId: "654321"', 'containerId: "123456"'),
    );
    expect(message).toMatch(
      /production\.yaml:\d+:\d+ gtm\.containerId: shop-production uses the same GTM container as shop-staging \([^)]*staging\.yaml\)/,
    );
    expect(message).toContain("give each environment a GTM container of its own");
  });

  it("accepts environments with their own state, secrets, hosts and containers", () => {
    expect(loadTwo(VALID_CLIENT, VALID_ENV, production)).toBe("accepted");
  });
});

describe("stacks.lock: a deleted environment file is an error, not a silent orphan", () => {
  function configDir(lock: string | undefined): string {
    const env = writeConfig({ client: VALID_CLIENT, env: VALID_ENV });
    const dir = join(env, "..", "..");
    if (lock !== undefined) writeFileSync(join(dir, STACK_LOCK_FILE), lock);
    return dir;
  }

  it("passes when the lock lists exactly the environment files", () => {
    expect(loadConfigDir(configDir(renderStackLock(["shop-staging"])))).toHaveLength(1);
  });

  it("names a recorded stack whose file is gone, at its line in the lock, and how to destroy it first", () => {
    const dir = configDir(renderStackLock(["shop-production", "shop-staging"]));
    // Lines 1 and 2 are the lock's comment; the stacks follow, one a line.
    expect(() => loadConfigDir(dir)).toThrow(
      /stacks\.lock:3:1 stack shop-production is recorded here but has no environment file.*retired: true.*cdktf destroy shop-production/,
    );
    const handWritten = configDir("# kept by hand\n\nshop-staging\n\nshop-old\n");
    expect(() => loadConfigDir(handWritten)).toThrow(/stacks\.lock:5:1 stack shop-old is recorded here/);
  });

  it("asks to record a new stack", () => {
    expect(() => loadConfigDir(configDir(renderStackLock([])))).toThrow(
      /new stack shop-staging is not recorded.*stacks --write/,
    );
  });

  it("lets validate (checkConfigDir) return a new stack as unrecorded instead of failing", () => {
    const { environments, unrecorded } = checkConfigDir(configDir(renderStackLock([])));
    expect(environments.map((e) => e.stackName)).toEqual(["shop-staging"]);
    // At the new stack's own file: the lock has no line for it yet.
    expect(unrecorded.map(formatProblem)).toEqual([
      expect.stringMatching(
        /shop\/staging\.yaml:1:1 new stack shop-staging is not recorded in .*stacks\.lock yet.*stacks --write/,
      ),
    ]);
    expect(checkConfigDir(configDir(renderStackLock(["shop-staging"]))).unrecorded).toEqual([]);
  });

  it("fails validate (checkConfigDir) too on a recorded stack whose file is gone", () => {
    const dir = configDir(renderStackLock(["shop-production"]));
    expect(() => checkConfigDir(dir)).toThrow(
      /stack shop-production is recorded here but has no environment file/,
    );
    expect(() => checkConfigDir(dir)).not.toThrow(/new stack/);
  });

  it("is not enforced until the lock file exists", () => {
    expect(loadConfigDir(configDir(undefined))).toHaveLength(1);
  });

  it("reads the recorded stacks, comments and blank lines left out", () => {
    expect(readStackLock(FIXTURE_CONFIG_DIR)).toEqual(["acme-production", "acme-staging"]);
    expect(readFileSync(join(FIXTURE_CONFIG_DIR, STACK_LOCK_FILE), "utf8")).toBe(
      renderStackLock(["acme-staging", "acme-production"]),
    );
  });
});

describe("validate on a client defaults file", () => {
  it("checks client.yaml alone without inventing a stack", () => {
    const env = writeConfig({ client: `${VALID_CLIENT}tier: prod\n`, env: VALID_ENV });
    const client = join(env, "..", "client.yaml");
    expect(() => loadEnvironments([client])).toThrow(/client\.yaml:\d+:\d+ tier: value not allowed/);
    const good = writeConfig({ client: VALID_CLIENT, env: VALID_ENV });
    expect(loadEnvironments([join(good, "..", "client.yaml")])).toEqual([]);
  });
});
