/**
 * The table of bad configurations: each must be rejected before any cloud call with a message that
 * names the file, the key path and what is allowed (or the fix).
 */
import { loadOk, loadProblems, VALID_CLIENT, VALID_ENV } from "./helpers";

interface BadCase {
  readonly name: string;
  readonly env: string;
  readonly client?: string;
  /** File the problem must be reported in. */
  readonly file: "staging.yaml" | "client.yaml";
  readonly path: string;
  /** Substrings the message must contain (allowed values, fix, value). */
  readonly expect: readonly string[];
}

const production = (extra: string) =>
  `tier: production\ngcp:\n  project: shop-sgtm-prod\ndomain:\n  tagging: sgtm.shop.com\ngtm:\n  containerId: "1"\n${extra}`;

const CASES: readonly BadCase[] = [
  {
    name: "invalid YAML reports line and column",
    env: `tier: staging\ngcp: [unclosed\n`,
    file: "staging.yaml",
    path: "",
    expect: ["invalid YAML", "Fix: correct the YAML syntax"],
  },
  {
    name: "unknown top-level key suggests the right one",
    env: `${VALID_ENV}domian: {}\n`,
    file: "staging.yaml",
    path: "domian",
    expect: ["unknown key", "did you mean `domain`"],
  },
  {
    name: "unknown nested key",
    env: VALID_ENV.replace("tagging: sgtm.shop.com", "tagging: sgtm.shop.com\n  previw: p.shop.com"),
    file: "staging.yaml",
    path: "domain.previw",
    expect: ["did you mean `preview`", "allowed: tagging, preview"],
  },
  {
    name: "wrong type: number for containerId",
    env: VALID_ENV.replace('"123456"', "123456"),
    file: "staging.yaml",
    path: "gtm.containerId",
    expect: ["expected string", "allowed: string", "quote the value"],
  },
  {
    name: "tier not allowed",
    env: VALID_ENV.replace("tier: staging", "tier: prod"),
    file: "staging.yaml",
    path: "tier",
    expect: ["allowed: production, staging, dev", 'got "prod"', "did you mean `production`"],
  },
  {
    name: "domain is not a hostname",
    env: VALID_ENV.replace("sgtm.shop.com", "https://sgtm.shop.com/"),
    file: "staging.yaml",
    path: "domain.tagging",
    expect: ["wrong format", "allowed: a lowercase hostname", "without scheme or path"],
  },
  {
    name: "preview host equal to the domain",
    env: VALID_ENV.replace("tagging: sgtm.shop.com", "tagging: sgtm.shop.com\n  preview: sgtm.shop.com"),
    file: "staging.yaml",
    path: "domain.preview",
    expect: ["must differ", "allowed: another host, e.g. preview.sgtm.shop.com"],
  },
  {
    name: "region that is not a Cloud Run region",
    env: `${VALID_ENV}`,
    client: VALID_CLIENT.replace("europe-west1", "europe-west7"),
    file: "client.yaml",
    path: "gcp.region",
    expect: ["allowed:", "europe-west1", 'got "europe-west7"'],
  },
  {
    name: "min instances above max",
    env: `${VALID_ENV}tagging:\n  minInstances: 4\n  maxInstances: 2\n`,
    file: "staging.yaml",
    path: "tagging.minInstances",
    expect: ["min 4 > max 2", "minInstances <= maxInstances"],
  },
  {
    name: "empty pixel id",
    env: `${VALID_ENV}tiktok:\n  pixelId: ""\n`,
    file: "staging.yaml",
    path: "tiktok.pixelId",
    expect: ["pixel id is empty", "allowed: 10-32 uppercase letters and digits"],
  },
  {
    name: "pasted access token",
    env: `${VALID_ENV}secrets:\n  tiktokAccessToken: 9f8e7d6c5b4a39281706f5e4d3c2b1a0aa11bb22\n`,
    file: "staging.yaml",
    path: "secrets.tiktokAccessToken",
    expect: ["Secret Manager", "not shown", "Fix: delete it"],
  },
  {
    name: "pasted container config",
    env: `${VALID_ENV}secrets:\n  containerConfig: aWQ9R1RNLUFCQ0RFRiZlbnY9MSZhdXRoPXh5eg==\n`,
    file: "staging.yaml",
    path: "secrets.containerConfig",
    expect: ["Secret Manager", "not shown"],
  },
  {
    name: "required key missing names both files",
    env: VALID_ENV.replace("gcp:\n  project: shop-sgtm-staging\n", ""),
    file: "staging.yaml",
    path: "gcp.project",
    expect: ["required key is missing", "client.yaml"],
  },
  {
    name: "production without explicit consent",
    env: production(""),
    file: "staging.yaml",
    path: "tiktok.consent",
    expect: [
      "explicitly",
      "allowed: ad-storage-granted, ad-user-data-granted, block-if-denied, not-enforced",
    ],
  },
  {
    name: "test event code in production",
    env: production("tiktok:\n  consent: not-enforced\n  testEventCode: TEST123\n"),
    file: "staging.yaml",
    path: "tiktok.testEventCode",
    expect: ["not allowed in a production", "remove tiktok.testEventCode"],
  },
  {
    name: "unknown TikTok event name",
    env: `${VALID_ENV}tiktok:\n  events:\n    view_item: ViewContnet\n`,
    file: "staging.yaml",
    path: "tiktok.events.view_item.event",
    expect: ["unknown TikTok event", "allowed: AddPaymentInfo,", "did you mean ViewContent", "custom: true"],
  },
  {
    name: "legacy name with a current-name pixel breaks dedup",
    env: `${VALID_ENV}tiktok:\n  events:\n    purchase: CompletePayment\n`,
    file: "staging.yaml",
    path: "tiktok.events.purchase.event",
    expect: ["legacy name", "allowed: AddPaymentInfo,", "use Purchase"],
  },
  {
    name: "current name with a legacy pixel breaks dedup",
    env: `${VALID_ENV}tiktok:\n  pixelEventNames: legacy\n  events:\n    generate_lead: Lead\n`,
    file: "staging.yaml",
    path: "tiktok.events.generate_lead.event",
    expect: ["deduplication", "allowed: SubmitForm"],
  },
  {
    name: "purchase with custom properties but no contents",
    env: `${VALID_ENV}tiktok:\n  events:\n    purchase:\n      value: { eventData: value }\n      currency: { constant: EUR }\n`,
    file: "staging.yaml",
    path: "tiktok.events.purchase.contents",
    expect: ["needs a contents source", "allowed: { eventData: ... }"],
  },
  {
    name: "currency symbol instead of ISO 4217",
    env: `${VALID_ENV}tiktok:\n  events:\n    add_to_cart:\n      currency: { constant: "$" }\n`,
    file: "staging.yaml",
    path: "tiktok.events.add_to_cart.currency.constant",
    expect: ["ISO 4217", "allowed: three-letter ISO 4217 codes", "write USD"],
  },
  {
    name: "lower-case currency",
    env: `${VALID_ENV}tiktok:\n  events:\n    add_to_cart:\n      currency: { constant: eur }\n`,
    file: "staging.yaml",
    path: "tiktok.events.add_to_cart.currency.constant",
    expect: ["allowed: three-letter ISO 4217 codes", "write EUR"],
  },
  {
    name: "the same GA4 event mapped twice",
    env: `${VALID_ENV}tiktok:\n  events:\n    purchase: Purchase\n    purchase: Purchase\n`,
    file: "staging.yaml",
    path: "tiktok.events.purchase",
    expect: ["mapped twice", "Fix: map each GA4 event once"],
  },
  {
    name: "pre-hashed email sent to the plain field",
    env: `${VALID_ENV}tiktok:\n  events:\n    purchase:\n      user:\n        email: { eventData: user_data.sha256_email_address }\n`,
    file: "staging.yaml",
    path: "tiktok.events.purchase.user.email",
    expect: ["looks already hashed", "allowed: a raw email source here", "user.sha256Email"],
  },
  {
    name: "per-event override with the single tag layout",
    env: `${VALID_ENV}tiktok:\n  tagLayout: single\n  events:\n    purchase:\n      customProperties:\n        order_id: { eventData: transaction_id }\n`,
    file: "staging.yaml",
    path: "tiktok.events.purchase.customProperties",
    expect: ["tagLayout is single", "allowed: event, custom", "per-event"],
  },
  {
    name: "value source of the wrong shape",
    env: `${VALID_ENV}tiktok:\n  events:\n    purchase:\n      value: 12\n`,
    file: "staging.yaml",
    path: "tiktok.events.purchase.value",
    expect: ["allowed: { eventData: <key path> } | { constant: <value> }"],
  },
  {
    name: "GA4 event with no default mapping",
    env: `${VALID_ENV}tiktok:\n  events:\n    login: {}\n`,
    file: "staging.yaml",
    path: "tiktok.events.login",
    expect: ["no default TikTok event", "allowed: GA4 events with defaults", "{ event: <TikTok event> }"],
  },
  {
    name: "image that is not a reference",
    env: `${VALID_ENV}tagging:\n  image: "not an image"\n`,
    file: "staging.yaml",
    path: "tagging.image",
    expect: ["not a container image", "allowed: registry/repository:tag or registry/repository@sha256"],
  },
  {
    name: "token reader that is not an IAM member",
    env: `${VALID_ENV}secrets:\n  tokenReaders: [ci@shop.iam.gserviceaccount.com]\n`,
    file: "staging.yaml",
    path: "secrets.tokenReaders.0",
    expect: ["wrong format", "allowed: an IAM member", "serviceAccount:ci@shop.iam"],
  },
  {
    name: "backend type unknown",
    env: `${VALID_ENV}backend:\n  type: s3\n`,
    file: "staging.yaml",
    path: "backend.type",
    expect: ["allowed: gcs, local"],
  },
  {
    name: "too-short bucket name",
    env: `${VALID_ENV}backend:\n  type: gcs\n  bucket: b\n`,
    file: "staging.yaml",
    path: "backend.bucket",
    expect: ["too short", "allowed: length >= 3"],
  },
  {
    name: "token pasted under an unknown key is still called a secret",
    env: `${VALID_ENV}tiktok:\n  accessToken: 9f8e7d6c5b4a39281706f5e4d3c2b1a0aa11bb22\n`,
    file: "staging.yaml",
    path: "tiktok.accessToken",
    expect: ["Secret Manager", "not shown"],
  },
  {
    name: "a token in a checked field is never echoed",
    env: `${VALID_ENV}tiktok:\n  pixelId: 9f8e7d6c5b4a39281706f5e4d3c2b1a0aa11bb22\n`,
    file: "staging.yaml",
    path: "tiktok.pixelId",
    expect: ["not a TikTok pixel code", "not shown"],
  },
  {
    name: "the public container id GTM-XXXX asks for the numeric id, not a lowercase public id",
    env: VALID_ENV.replace('"123456"', '"GTM-ABC123"'),
    file: "staging.yaml",
    path: "gtm.containerId",
    expect: ['got "GTM-ABC123"', "Fix: use the numeric container id from the GTM URL (.../containers/<id>)"],
  },
  {
    name: "a project id with underscores gets a fix that is itself a valid project id",
    env: VALID_ENV.replace("shop-sgtm-staging", "Shop_Sgtm_Stg"),
    file: "staging.yaml",
    path: "gcp.project",
    expect: ["wrong format", "Fix: write it in lowercase with hyphens: shop-sgtm-stg"],
  },
  {
    name: "a bearer token in a checked field is rejected and never echoed",
    env: `${VALID_ENV}tiktok:\n  pixelId: "Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0aa11bb22"\n`,
    file: "staging.yaml",
    path: "tiktok.pixelId",
    expect: ["Secret Manager", "not shown"],
  },
  {
    name: "token=<hex> inside a constant is a pasted secret",
    env: `${VALID_ENV}tiktok:\n  events:\n    purchase:\n      customProperties:\n        auth: { constant: "token=9f8e7d6c5b4a39281706f5e4d3c2b1a0aa11bb22" }\n`,
    file: "staging.yaml",
    path: "tiktok.events.purchase.customProperties.auth.constant",
    expect: ["Secret Manager", "not shown", "Fix: delete it"],
  },
  {
    name: "contents read from GA4's items",
    env: `${VALID_ENV}tiktok:\n  events:\n    view_item:\n      value: { eventData: value }\n      contents: { eventData: items }\n`,
    file: "staging.yaml",
    path: "tiktok.events.view_item.contents.eventData",
    expect: ["in GA4's shape", "tt_contents"],
  },
  {
    name: "contentType that is not a TikTok content type",
    env: `${VALID_ENV}tiktok:\n  events:\n    view_item:\n      contentType: item\n`,
    file: "staging.yaml",
    path: "tiktok.events.view_item.contentType",
    expect: ["allowed: product, product_group"],
  },
];

describe("bad configurations are rejected with file, key path and what is allowed", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const lines = loadProblems(c.env, c.client ?? VALID_CLIENT);
    const atPath = lines.filter((line) => {
      const [location, rest = ""] = splitLocation(line);
      return location.includes(c.file) && (c.path === "" || rest.startsWith(`${c.path}:`));
    });
    if (atPath.length === 0) throw new Error(`no problem at ${c.file} ${c.path}; got:\n${lines.join("\n")}`);
    // One problem at that place must say all of it (another may say something else, e.g. "unknown key").
    const match = atPath.find((line) => c.expect.every((text) => line.includes(text))) ?? atPath[0];
    expect(match).toMatch(/:\d+:\d+ /);
    for (const text of c.expect) expect(match).toContain(text);
  });

  it("never prints a secret-looking value in full", () => {
    const token = "9f8e7d6c5b4a39281706f5e4d3c2b1a0aa11bb22";
    const env = `${VALID_ENV}tiktok:\n  pixelId: ${token}\n  consent: ${token}\n  testEventCode: ${token}\n`;
    expect(loadProblems(env).join("\n")).not.toContain(token);
    const bearer = VALID_ENV.replace('"123456"', `"Bearer ${token}"`);
    expect(loadProblems(bearer).join("\n")).not.toContain(token);
  });

  it("suggests no fix that would itself be rejected", () => {
    // Lowercase alone leaves an underscore; a leading digit cannot be fixed by case or hyphens.
    const lines = loadProblems(VALID_ENV.replace("shop-sgtm-staging", "9Shop_Stg"));
    const project = lines.find((l) => l.includes("gcp.project:")) ?? "";
    expect(project).toContain("wrong format");
    expect(project).not.toContain("Fix:");
  });

  it("reports schema and cross-field problems of a file together", () => {
    const env = `${VALID_ENV}domian: {}\ntagging:\n  minInstances: 3\n  maxInstances: 1\ntiktok:\n  pixelId: ""\n`;
    const lines = loadProblems(env);
    expect(lines.some((l) => l.includes("domian: unknown key"))).toBe(true);
    expect(lines.some((l) => l.includes("min 3 > max 1"))).toBe(true);
    expect(lines.some((l) => l.includes("pixel id is empty"))).toBe(true);
  });

  it("does not take hyphenated names for pasted tokens", () => {
    const env = `${VALID_ENV}backend:\n  type: gcs\n  bucket: acme-terraform-state-europe-west1-2024\n`;
    expect(() => loadOk(env)).not.toThrow();
  });

  it("reports every problem of a file at once", () => {
    const env = `${VALID_ENV}tagging:\n  minInstances: 3\n  maxInstances: 1\ntiktok:\n  pixelId: ""\n  events:\n    view_item: ViewContnet\n`;
    expect(loadProblems(env)).toHaveLength(3);
  });

  it("reports a clash of two files producing the same stack name", () => {
    const { loadEnvironments } = require("../../src/config/load") as typeof import("../../src/config/load");
    const { writeConfig } = require("./helpers") as typeof import("./helpers");
    const first = writeConfig({ client: VALID_CLIENT, env: VALID_ENV });
    const second = first.replace(/\.yaml$/, ".yml");
    require("node:fs").writeFileSync(second, VALID_ENV);
    expect(() => loadEnvironments([first, second])).toThrow(
      /produces stack shop-staging, like .*staging\.yaml/,
    );
  });
});

function splitLocation(line: string): [string, string] {
  const match = /^(\S+:\d+:\d+) ?(.*)$/.exec(line);
  return match ? [match[1], match[2]] : [line, ""];
}
