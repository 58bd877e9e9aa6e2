import { isOwnedBy, ownerOf } from "../../src/gtm/core/ownership";
import { ACCESS_TOKEN_MARKER } from "../../src/gtm/core/sensitive";
import {
  TAG_TYPE_PLACEHOLDER,
  TIKTOK_GALLERY,
  TIKTOK_TEMPLATE_EVENT_OPTIONS,
  TIKTOK_TEMPLATE_PARAMETER_KEYS,
  templateInfoId,
  templateTagType,
} from "../../src/gtm/core/tiktok-template";
import { TIKTOK_TEMPLATE_FIELDS } from "../../src/gtm/fake/gallery";
import { templateParameterProblem } from "../../src/gtm/fake/template-fields";
import { toApiBody, withTagType } from "../../src/gtm/model/api-body";
import { desiredContainer } from "../../src/gtm/model/desired";
import {
  ACCESS_TOKEN_VARIABLE,
  EVENT_LOOKUP_VARIABLE,
  eventNameVariableName,
  reference,
} from "../../src/gtm/model/names";
import type { DesiredContainer, DesiredParameter } from "../../src/gtm/model/types";
import { galleryTemplate, loadEnv, PRODUCTION_ENV, productionWith, TOKEN_SENTINEL } from "./fixtures";

const production = () => desiredContainer(loadEnv(PRODUCTION_ENV));

/** A staging config using every kind of source and user field: the widest set of tag parameters. */
const RICH = productionWith(`  consent: block-if-denied
  pixelEventNames: current
  testEventCode: TEST123
  events:
    purchase:
      value: { constant: "49.90" }
      currency: { eventData: currency }
      contents: { variable: Contents JSON }
      contentType: product
      contentIds: { eventData: tt_content_ids }
      customProperties:
        order_id: { eventData: transaction_id }
        coupon: { constant: SUMMER }
      user:
        email: { eventData: user_data.email_address }
        phone: { eventData: user_data.phone_number }
        externalId: { eventData: user_id }
    sign_up:
      event: CompleteRegistration
      user:
        sha256Email: { eventData: user_data.sha256_email_address }
        sha256Phone: { eventData: user_data.sha256_phone_number }
        sha256ExternalId: { eventData: hashed_user_id }
    view_item: {}
`).replace("tier: production", "tier: staging");

/** The tag sending `ga4Event`. */
const tagOf = (desired: DesiredContainer, ga4Event: string) => {
  const tag = desired.tags.find((t) => t.name.endsWith(`(${ga4Event})`));
  if (!tag) throw new Error(`no tag for ${ga4Event}`);
  return tag;
};

function topLevelKeys(parameters: readonly DesiredParameter[]): string[] {
  return parameters.map((p) => p.key ?? "(no key)");
}

describe("desiredContainer", () => {
  test("pins the TikTok gallery template and needs the eventName and clientName built-ins", () => {
    const desired = production();
    expect(desired.template.gallery).toEqual({
      owner: "tiktok",
      repository: "gtm-template-eapi",
      sha: "908cfa1f15a7af0d00d5859f98daaa75940225c9",
    });
    expect(desired.builtIns).toEqual(["clientName", "eventName"]);
  });

  test("names carry the kit's prefix and every owned entity the ownership marker of its stack", () => {
    const desired = production();
    const entities = [...desired.variables, ...desired.triggers, ...desired.tags];
    expect(entities.length).toBeGreaterThan(0);
    for (const entity of entities) {
      expect(entity.name.startsWith("TikTok Kit | ")).toBe(true);
      expect(ownerOf(entity.notes)).toBe("shop-production");
      expect(isOwnedBy(entity, "shop-production")).toBe(true);
      expect(entity.notes).toContain("reverted by the next apply");
    }
    expect(desired.tags.map((t) => t.name)).toEqual([
      "TikTok Kit | AddToCart (add_to_cart)",
      "TikTok Kit | CompletePayment (purchase)",
      "TikTok Kit | Pageview (page_view)",
    ]);
    expect(desired.triggers.map((t) => t.name)).toContain("TikTok Kit | Event Name is purchase");
  });

  test.each([
    ["production (per-event)", PRODUCTION_ENV],
    ["rich sources (per-event)", RICH],
    ["single layout", productionWith("  consent: not-enforced\n  tagLayout: single\n")],
  ])("%s: tags use only the template's real parameter keys", (_label, yaml) => {
    const desired = desiredContainer(loadEnv(yaml));
    const allowed = new Set<string>(TIKTOK_TEMPLATE_PARAMETER_KEYS);
    for (const tag of desired.tags) {
      const outside = topLevelKeys(tag.parameter).filter((key) => !allowed.has(key));
      expect({ tag: tag.name, outside }).toEqual({ tag: tag.name, outside: [] });
    }
  });

  test("the rich config maps every user field and property to the template's keys", () => {
    const desired = desiredContainer(loadEnv(RICH));
    const purchase = tagOf(desired, "purchase");
    const byKey = new Map(purchase.parameter.map((p) => [p.key, p]));
    expect(topLevelKeys(purchase.parameter)).toEqual([
      "access_token",
      "contents",
      "currency",
      "custom_properties",
      "email",
      "event",
      "event_id",
      "external_id",
      "hash",
      "logType",
      "object_property_source",
      "phone",
      "pixel_code",
      "single_multi_product",
      "test_event_code",
      "value",
    ]);
    expect(topLevelKeys(tagOf(desired, "sign_up").parameter)).toEqual([
      "access_token",
      "event",
      "event_id",
      "hash",
      "logType",
      "object_property_source",
      "pixel_code",
      "sha256_email",
      "sha256_external_id",
      "sha256_phone",
      "test_event_code",
    ]);
    expect(byKey.get("contents")?.value).toBe("{{Contents JSON}}");
    expect(byKey.get("value")?.value).toBe("{{TikTok Kit | Constant 49.90}}");
    expect(byKey.get("test_event_code")?.value).toBe("TEST123");
    // content_type and content_ids belong to the event's properties (catalog matching), where the
    // template copies custom properties; it never sets them there itself.
    expect(byKey.get("custom_properties")?.list?.map((row) => row.map?.map((c) => c.value))).toEqual([
      ["content_ids", "{{TikTok Kit | Event Data tt_content_ids}}"],
      ["content_type", "product"],
      ["coupon", "{{TikTok Kit | Constant SUMMER}}"],
      ["order_id", "{{TikTok Kit | Event Data transaction_id}}"],
    ]);
  });

  test("hash is written whenever user fields are: non-hashed for plain ones, hashed for sha256 ones", () => {
    const hashOf = (desired: DesiredContainer, ga4Event: string) =>
      tagOf(desired, ga4Event).parameter.find((p) => p.key === "hash");
    const rich = desiredContainer(loadEnv(RICH));
    expect(hashOf(rich, "purchase")).toEqual({ type: "template", key: "hash", value: "non-hashed" });
    expect(hashOf(rich, "sign_up")).toEqual({ type: "template", key: "hash", value: "hashed" });
    // No user field: the template reads GA4's user_data itself, and hash stays unset.
    expect(hashOf(rich, "view_item")).toBeUndefined();
    expect(hashOf(production(), "purchase")?.value).toBe("non-hashed");
    expect(hashOf(production(), "add_to_cart")).toBeUndefined();
  });

  test.each([
    ["production (per-event)", PRODUCTION_ENV],
    ["rich sources (per-event)", RICH],
    ["single layout", productionWith("  consent: not-enforced\n  tagLayout: single\n")],
  ])("%s: every parameter fits the template's real fields as GTM's tag editor shows them", (_label, yaml) => {
    // Checked with the fake's own copy of the template's ___TEMPLATE_PARAMETERS___ (kept apart from
    // the kit's code on purpose), as the fake checks every write.
    for (const tag of desiredContainer(loadEnv(yaml)).tags) {
      const body = toApiBody("tag", withTagType(tag, "cvt_5TP8W"), {
        triggerIds: new Map(tag.firingTriggerNames.map((name) => [name, "1"])),
      });
      expect({
        tag: tag.name,
        problem: templateParameterProblem(TIKTOK_TEMPLATE_FIELDS, body.parameter ?? [], "cvt_5TP8W"),
      }).toEqual({
        tag: tag.name,
        problem: undefined,
      });
    }
  });

  test("every tag reads one access token constant, the pixel constant and event_id from event data", () => {
    for (const desired of [production(), desiredContainer(loadEnv(RICH))]) {
      const tokenVariables = desired.variables.filter((v) =>
        v.parameter.some((p) => typeof p.value === "object"),
      );
      expect(tokenVariables.map((v) => v.name)).toEqual([ACCESS_TOKEN_VARIABLE]);
      expect(tokenVariables[0]?.parameter).toEqual([
        { type: "template", key: "value", value: ACCESS_TOKEN_MARKER },
      ]);
      for (const tag of desired.tags) {
        const value = (key: string) => tag.parameter.find((p) => p.key === key)?.value;
        expect(value("access_token")).toBe(reference(ACCESS_TOKEN_VARIABLE));
        expect(value("pixel_code")).toBe("{{TikTok Kit | Pixel ID}}");
        expect(value("event_id")).toBe("{{TikTok Kit | Event Data event_id}}");
        expect(tag.tagFiringOption).toBe("oncePerEvent");
      }
      const eventId = desired.variables.find((v) => v.name === "TikTok Kit | Event Data event_id");
      expect(eventId?.parameter).toEqual([{ type: "template", key: "keyPath", value: "event_id" }]);
    }
  });

  test("triggers: exactly one customEventFilter on {{_event}}, the client in filter", () => {
    const desired = production();
    for (const trigger of desired.triggers) {
      expect(trigger.type).toBe("customEvent");
      expect(trigger.customEventFilter).toHaveLength(1);
      expect(trigger.customEventFilter[0].parameter[0]).toEqual({
        type: "template",
        key: "arg0",
        value: "{{_event}}",
      });
      expect(trigger.filter[0]).toEqual({
        type: "equals",
        parameter: [
          { type: "template", key: "arg0", value: "{{Client Name}}" },
          { type: "template", key: "arg1", value: "GA4" },
        ],
      });
    }
  });

  const consentCondition = (policy: string) =>
    desiredContainer(loadEnv(productionWith(`  consent: ${policy}\n`))).triggers[0]?.filter.slice(1);

  test("consent ad-storage-granted: x-ga-gcs starts with G11", () => {
    expect(consentCondition("ad-storage-granted")).toEqual([
      {
        type: "startsWith",
        parameter: [
          { type: "template", key: "arg0", value: "{{TikTok Kit | Event Data x-ga-gcs}}" },
          { type: "template", key: "arg1", value: "G11" },
        ],
      },
    ]);
  });

  test("consent block-if-denied: x-ga-gcs does not start with G10 (sites without Consent Mode still send)", () => {
    expect(consentCondition("block-if-denied")).toEqual([
      {
        type: "startsWith",
        parameter: [
          { type: "template", key: "arg0", value: "{{TikTok Kit | Event Data x-ga-gcs}}" },
          { type: "template", key: "arg1", value: "G10" },
          { type: "boolean", key: "negate", value: "true" },
        ],
      },
    ]);
  });

  const gcs = "{{TikTok Kit | Event Data x-ga-gcs}}";
  const gcd = "{{TikTok Kit | Event Data x-ga-gcd}}";
  const cond = (type: string, arg0: string, arg1: string, negate = false) => ({
    type,
    parameter: [
      { type: "template", key: "arg0", value: arg0 },
      { type: "template", key: "arg1", value: arg1 },
      ...(negate ? [{ type: "boolean", key: "negate", value: "true" }] : []),
    ],
  });

  test.each([
    // Policy defaults: what the policies did before the choice existed.
    ["ad-storage-granted", "", [cond("startsWith", gcs, "G11")]],
    ["block-if-denied", "", [cond("startsWith", gcs, "G10", true)]],
    // G1- (Consent Mode present, ad_storage not declared) sent, or blocked.
    ["ad-storage-granted", "send", [cond("matchRegex", gcs, "^G1[1-]")]],
    ["ad-storage-granted", "block", [cond("startsWith", gcs, "G11")]],
    ["block-if-denied", "block", [cond("matchRegex", gcs, "^G1[0-]", true)]],
    ["block-if-denied", "send", [cond("startsWith", gcs, "G10", true)]],
    // Consent Mode v2: ad_user_data granted (or, with send, not set) as well as ad_storage.
    [
      "ad-user-data-granted",
      "",
      [cond("startsWith", gcs, "G11"), cond("matchRegex", gcd, "^1[0-9A-Za-z_-]{5}[nrtv]")],
    ],
    [
      "ad-user-data-granted",
      "send",
      [cond("matchRegex", gcs, "^G1[1-]"), cond("matchRegex", gcd, "^1[0-9A-Za-z_-]{5}[lnrtv]")],
    ],
  ])("consent %s, undeclared %s: the trigger conditions", (policy, undeclared, expected) => {
    const choice = undeclared ? `  consentUndeclared: ${undeclared}\n` : "";
    const desired = desiredContainer(loadEnv(productionWith(`  consent: ${policy}\n${choice}`)));
    for (const trigger of desired.triggers) expect(trigger.filter.slice(1)).toEqual(expected);
  });

  test.each([
    // ad_storage, then ad_user_data: the letter after `1` and five characters.
    ["G111", "13r3r3r3r5l1", true],
    ["G111", "13v3v3v3v5l1", true],
    ["G111", "11t1t1t1t5", true],
    ["G111", "13n3n3n3n5", true],
    ["G111", "13r3r3q3r5", false], // ad_user_data denied by default and update
    ["G111", "13r3r3p3r5", false], // denied by default
    ["G111", "13r3r3u3r5", false], // granted by default, denied by update
    ["G111", "13r3r3l3r5", false], // not set
    ["G111", undefined, false], // no Consent Mode v2 state
    ["G100", "13v3v3v3v5", false],
    ["G1--", "13l3l3l3l5", false],
  ])("ad-user-data-granted: gcs %s with gcd %s fires: %s", (gcsValue, gcdValue, fires) => {
    const desired = desiredContainer(loadEnv(productionWith("  consent: ad-user-data-granted\n")));
    expect(
      conditionsHold(desired.triggers[0]?.filter.slice(1) ?? [], { [gcs]: gcsValue, [gcd]: gcdValue }),
    ).toBe(fires);
  });

  test.each([
    // gcs: granted, denied, undeclared (G1-), absent (no Consent Mode).
    ["ad-storage-granted", "block", [true, false, false, false]],
    ["ad-storage-granted", "send", [true, false, true, false]],
    ["block-if-denied", "send", [true, false, true, true]],
    ["block-if-denied", "block", [true, false, false, true]],
  ])("consent %s, undeclared %s fires for G111, G100, G1--, none: %j", (policy, undeclared, fires) => {
    const desired = desiredContainer(
      loadEnv(productionWith(`  consent: ${policy}\n  consentUndeclared: ${undeclared}\n`)),
    );
    const filter = desired.triggers[0]?.filter.slice(1) ?? [];
    expect(
      ["G111", "G100", "G1--", undefined].map((value) => conditionsHold(filter, { [gcs]: value })),
    ).toEqual(fires);
  });

  test("trigger notes name the gate; the undeclared choice only when written in the file", () => {
    const notesOf = (tiktok: string) =>
      desiredContainer(loadEnv(productionWith(tiktok))).triggers[0]?.notes.split("\n")[1];
    expect(notesOf("  consent: ad-storage-granted\n")).toBe(
      "Fires on the GA4 event add_to_cart from the GA4 client; consent: ad-storage-granted (fires only when x-ga-gcs starts with G11).",
    );
    expect(notesOf("  consent: ad-user-data-granted\n  consentUndeclared: send\n")).toBe(
      "Fires on the GA4 event add_to_cart from the GA4 client; consent: ad-user-data-granted, undeclared: send (fires only when x-ga-gcs matches ^G1[1-] and x-ga-gcd matches ^1[0-9A-Za-z_-]{5}[lnrtv] (ad_storage and ad_user_data granted or undeclared)).",
    );
  });

  test("consent not-enforced: no condition and no consent variable", () => {
    expect(consentCondition("not-enforced")).toEqual([]);
    const desired = desiredContainer(loadEnv(productionWith("  consent: not-enforced\n")));
    expect(desired.variables.map((v) => v.name)).not.toContain("TikTok Kit | Event Data x-ga-gcs");
    expect(desired.environment.consent.statement).toContain("NOT enforced");
  });

  test("a tier default consent policy is labelled as such", () => {
    const staging = desiredContainer(
      loadEnv(
        PRODUCTION_ENV.replace("tier: production", "tier: staging").replace(
          "  consent: ad-storage-granted\n",
          "",
        ),
        {
          envName: "staging",
        },
      ),
    );
    expect(staging.environment.consent).toMatchObject({
      policy: "ad-storage-granted",
      explicit: false,
      origin: "tier default",
    });
    expect(staging.environment.consent.statement).toContain("default of the staging tier");
  });

  test("legacy pixel names send CompletePayment and say so; current names send Purchase", () => {
    const legacy = production();
    expect(legacy.tags.map((t) => t.parameter.find((p) => p.key === "event")?.value)).toContain(
      "CompletePayment",
    );
    expect(legacy.environment.pixelEventNames.statement).toBe(
      "pixel sends legacy names: purchase -> CompletePayment so pixel and server deduplicate",
    );
    const current = desiredContainer(
      loadEnv(PRODUCTION_ENV, {
        client:
          'gtm:\n  accountId: "6012345678"\ngcp:\n  region: europe-west1\ntiktok:\n  pixelId: C4A1B2C3D4E5F6G7H8I9\n  pixelEventNames: current\n',
      }),
    );
    expect(current.tags.map((t) => t.name)).toContain("TikTok Kit | Purchase (purchase)");
    expect(current.environment.pixelEventNames.statement).toBe(
      "pixel sends current names: purchase -> Purchase so pixel and server deduplicate",
    );
  });

  test("single layout: one tag, one regex trigger, a lookup table on Event Name", () => {
    const desired = desiredContainer(
      loadEnv(
        productionWith(
          "  consent: ad-storage-granted\n  tagLayout: single\n  events:\n    purchase: {}\n    page_view: {}\n    search: {}\n",
        ),
      ),
    );
    expect(desired.tags).toHaveLength(1);
    expect(desired.triggers).toHaveLength(1);
    const [trigger] = desired.triggers;
    expect(trigger?.customEventFilter).toEqual([
      {
        type: "matchRegex",
        parameter: [
          { type: "template", key: "arg0", value: "{{_event}}" },
          { type: "template", key: "arg1", value: "^(page_view|purchase|search)$" },
        ],
      },
    ]);
    expect(desired.tags[0]?.parameter.find((p) => p.key === "event")?.value).toBe(
      reference(EVENT_LOOKUP_VARIABLE),
    );
    const lookup = desired.variables.find((v) => v.name === EVENT_LOOKUP_VARIABLE);
    expect(lookup?.type).toBe("smm");
    expect(lookup?.parameter[0]).toEqual({ type: "template", key: "input", value: "{{Event Name}}" });
    expect(lookup?.parameter[1]?.list?.map((row) => row.map?.map((c) => c.value))).toEqual([
      ["page_view", "Pageview"],
      ["purchase", "CompletePayment"],
      ["search", "Search"],
    ]);
  });

  test("is deterministic and sorted", () => {
    const a = production();
    const b = production();
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const names = (list: readonly { name: string }[]) => list.map((e) => e.name);
    for (const list of [a.variables, a.triggers, a.tags])
      expect(names(list)).toEqual([...names(list)].sort());
  });

  test("the model holds no token: the marker only", () => {
    expect(JSON.stringify(production())).not.toContain(TOKEN_SENTINEL);
    expect(JSON.stringify(production())).toContain('{"sensitive":"tiktokAccessToken"}');
  });
});

describe("several clients (gtm.clients)", () => {
  const withClients = (
    clients: string,
    tiktok = "  consent: ad-storage-granted\n  events:\n    purchase: {}\n",
  ) =>
    desiredContainer(
      loadEnv(
        productionWith(tiktok).replace(
          'gtm:\n  containerId: "123456789"\n',
          `gtm:\n  containerId: "123456789"\n  clients: ${clients}\n`,
        ),
      ),
    );
  const condition = (type: string, arg0: string, arg1: string, negate = false) => ({
    type,
    parameter: [
      { type: "template", key: "arg0", value: arg0 },
      { type: "template", key: "arg1", value: arg1 },
      ...(negate ? [{ type: "boolean", key: "negate", value: "true" }] : []),
    ],
  });

  test("GA4 and Data Client: a trigger each, on its own consent signal; the tag fires on either", () => {
    const desired = withClients("[GA4, Data Client]");
    expect(desired.triggers.map((t) => [t.name, t.filter])).toEqual([
      [
        "TikTok Kit | Event Name is purchase",
        [
          condition("equals", "{{Client Name}}", "GA4"),
          condition("startsWith", "{{TikTok Kit | Event Data x-ga-gcs}}", "G11"),
        ],
      ],
      [
        "TikTok Kit | Event Name is purchase (Data Client)",
        [
          condition("equals", "{{Client Name}}", "Data Client"),
          condition("equals", "{{TikTok Kit | Event Data consent_state.ad_storage}}", "true"),
        ],
      ],
    ]);
    expect(desired.tags.map((t) => t.firingTriggerNames)).toEqual([
      ["TikTok Kit | Event Name is purchase", "TikTok Kit | Event Name is purchase (Data Client)"],
    ]);
    expect(desired.triggers[1]?.notes).toContain(
      "Fires on the GA4 event purchase from the Data Client client; consent: ad-storage-granted (fires only when consent_state.ad_storage is true).",
    );
    // The plan's Consent line says which signal each client's events are judged on.
    expect(desired.environment.consent.signals).toEqual([
      "x-ga-gcs (ad_storage) from the GA4 client",
      "consent_state.ad_storage (ad_storage) from the Data Client client",
    ]);
    expect(desired.environment.consent.statement).toContain(
      "events from the GA4 client are judged on x-ga-gcs (ad_storage); events from the Data Client client are judged on consent_state.ad_storage (ad_storage) (true = granted)",
    );
  });

  test("clients of one signal share a trigger whose client condition accepts each name", () => {
    const desired = withClients("[GA4, GA4 (app)]");
    expect(desired.triggers.map((t) => [t.name, t.filter[0]])).toEqual([
      [
        "TikTok Kit | Event Name is purchase",
        condition("matchRegex", "{{Client Name}}", "^(GA4|GA4 \\(app\\))$"),
      ],
    ]);
    expect(desired.environment.consent.signals).toEqual(["x-ga-gcs (ad_storage)"]);
  });

  test("consent_state: undeclared sends unless false; ad-user-data-granted reads both consent types", () => {
    const send = withClients(
      "[{ name: Data Client, consentFrom: consent_state }]",
      "  consent: ad-user-data-granted\n  consentUndeclared: send\n  events:\n    purchase: {}\n",
    );
    expect(send.triggers.map((t) => [t.name, t.filter.slice(1)])).toEqual([
      [
        "TikTok Kit | Event Name is purchase",
        [
          condition("equals", "{{TikTok Kit | Event Data consent_state.ad_storage}}", "false", true),
          condition("equals", "{{TikTok Kit | Event Data consent_state.ad_user_data}}", "false", true),
        ],
      ],
    ]);
  });

  test("single layout: a trigger per client group too, the one tag firing on each", () => {
    const single = withClients(
      "[GA4, Data Client]",
      "  consent: block-if-denied\n  tagLayout: single\n  events:\n    purchase: {}\n    add_to_cart: {}\n",
    );
    expect(single.triggers.map((t) => t.name)).toEqual([
      "TikTok Kit | Mapped GA4 events",
      "TikTok Kit | Mapped GA4 events (Data Client)",
    ]);
    expect(single.tags[0]?.firingTriggerNames).toEqual(single.triggers.map((t) => t.name));
  });
});

describe("the tag's event field (a SELECT of the pinned template)", () => {
  /** Current pixel names: Pageview, Purchase and Lead are not select options; a custom name neither. */
  const CURRENT = productionWith(`  consent: not-enforced
  pixelEventNames: current
  events:
    page_view: {}
    add_to_cart: {}
    purchase: {}
    generate_lead: {}
    sign_up: Lead
    login: { event: MyLogin, custom: true }
`);
  const eventOf = (desired: DesiredContainer, tagName: string) =>
    desired.tags.find((t) => t.name === tagName)?.parameter.find((p) => p.key === "event")?.value;

  test("a select option stays literal and needs no constant", () => {
    const desired = production();
    expect(eventOf(desired, "TikTok Kit | AddToCart (add_to_cart)")).toBe("AddToCart");
    expect(eventOf(desired, "TikTok Kit | CompletePayment (purchase)")).toBe("CompletePayment");
    const names = desired.variables.map((v) => v.name);
    expect(names).not.toContain(eventNameVariableName("AddToCart"));
    expect(names).not.toContain(eventNameVariableName("CompletePayment"));
  });

  test.each([
    ["Pageview", "TikTok Kit | Pageview (page_view)"],
    ["Purchase", "TikTok Kit | Purchase (purchase)"],
    ["Lead", "TikTok Kit | Lead (generate_lead)"],
    ["MyLogin", "TikTok Kit | MyLogin (login)"],
  ])("%s is not an option: the tag reads it from a kit-owned constant", (name, tagName) => {
    const desired = desiredContainer(loadEnv(CURRENT));
    const variableName = `TikTok Kit | Event ${name}`;
    expect(eventNameVariableName(name)).toBe(variableName);
    expect(eventOf(desired, tagName)).toBe(`{{${variableName}}}`);
    const constant = desired.variables.find((v) => v.name === variableName);
    expect(constant).toMatchObject({
      type: "c",
      parameter: [{ type: "template", key: "value", value: name }],
    });
    expect(isOwnedBy(constant ?? { notes: "" }, "shop-production")).toBe(true);
    expect(constant?.notes).toContain(`TikTok event name ${name}: not an option`);
  });

  test("tags sending the same name share one constant; every literal is an option", () => {
    const desired = desiredContainer(loadEnv(CURRENT));
    const lead = reference(eventNameVariableName("Lead"));
    expect(eventOf(desired, "TikTok Kit | Lead (generate_lead)")).toBe(lead);
    expect(eventOf(desired, "TikTok Kit | Lead (sign_up)")).toBe(lead);
    expect(
      desired.variables.filter((v) => v.name.startsWith("TikTok Kit | Event ") && v.type === "c"),
    ).toEqual(
      ["Lead", "MyLogin", "Pageview", "Purchase"].map((name) =>
        expect.objectContaining({ name: eventNameVariableName(name) }),
      ),
    );
    const options = new Set<string>(TIKTOK_TEMPLATE_EVENT_OPTIONS);
    const constants = new Set(desired.variables.filter((v) => v.type === "c").map((v) => reference(v.name)));
    for (const tag of desired.tags) {
      const value = tag.parameter.find((p) => p.key === "event")?.value as string;
      expect(options.has(value) || constants.has(value)).toBe(true);
    }
  });

  test("names that are not plain get a stable digest name, never a readable one", () => {
    const spaced = eventNameVariableName("Newsletter Signup");
    expect(spaced).toMatch(/^TikTok Kit \| Event #[0-9a-f]{12}$/);
    expect(eventNameVariableName("Newsletter Signup")).toBe(spaced);
    expect(eventNameVariableName("Newsletter  Signup")).not.toBe(spaced);
    expect(eventNameVariableName("{{x}}")).toMatch(/^TikTok Kit \| Event #/);
    expect(eventNameVariableName("A".repeat(41))).toMatch(/^TikTok Kit \| Event #/);
  });

  test("single layout: the lookup table names the event, no event constant", () => {
    const desired = desiredContainer(
      loadEnv(productionWith("  consent: not-enforced\n  tagLayout: single\n  pixelEventNames: current\n")),
    );
    expect(eventOf(desired, desired.tags[0]?.name ?? "")).toBe(reference(EVENT_LOOKUP_VARIABLE));
    expect(
      desired.variables.filter((v) => v.name.startsWith("TikTok Kit | Event ") && v.type === "c"),
    ).toEqual([]);
  });
});

describe("toApiBody", () => {
  const desired: DesiredContainer = production();
  const tag = desired.tags[0];
  const trigger = desired.triggers[0];
  const token = desired.variables.find((v) => v.name === ACCESS_TOKEN_VARIABLE);
  if (!tag || !trigger || !token) throw new Error("fixture");

  test("substitutes the token, the template's tag type and trigger ids", () => {
    expect(toApiBody("variable", token, { accessToken: TOKEN_SENTINEL }).parameter).toEqual([
      { type: "template", key: "value", value: TOKEN_SENTINEL },
    ]);
    const body = toApiBody("tag", tag, {
      tagType: "cvt_5TP8W",
      triggerIds: new Map([[tag.firingTriggerNames[0] ?? "", "42"]]),
    });
    expect(body.type).toBe("cvt_5TP8W");
    expect(body.firingTriggerId).toEqual(["42"]);
    expect(body).not.toHaveProperty("firingTriggerNames");
    expect(toApiBody("trigger", trigger, {}).customEventFilter).toHaveLength(1);
  });

  test("refuses to send a placeholder, a marker or a trigger name", () => {
    expect(tag.type).toBe(TAG_TYPE_PLACEHOLDER);
    expect(() => toApiBody("tag", tag, { triggerIds: new Map() })).toThrow(/tag type is not known/);
    expect(() => toApiBody("tag", tag, { tagType: "cvt_X", triggerIds: new Map() })).toThrow(/has no id yet/);
    expect(() => toApiBody("variable", token, {})).toThrow(/access token is needed/);
  });

  test("withTagType resolves only the placeholder", () => {
    expect(withTagType(tag, "cvt_A").type).toBe("cvt_A");
    expect(withTagType(withTagType(tag, "cvt_A"), "cvt_B").type).toBe("cvt_A");
    expect(withTagType(tag, undefined).type).toBe(TAG_TYPE_PLACEHOLDER);
  });
});

describe("template tag type resolution", () => {
  test("___INFO___.id when resolved", () => {
    expect(templateTagType(galleryTemplate({ infoId: "cvt_ABCDE", galleryTemplateId: "5TP8W" }), "9")).toBe(
      "cvt_ABCDE",
    );
  });
  test("cvt_<galleryTemplateId> when ___INFO___.id is cvt_temp_public_id", () => {
    expect(templateTagType(galleryTemplate({ infoId: "cvt_temp_public_id" }), "9")).toBe("cvt_5TP8W");
  });
  test("unknown (undefined) for a gallery template with neither a resolved ___INFO___.id nor a gallery id", () => {
    const withoutGalleryId = (template: ReturnType<typeof galleryTemplate>) => ({
      ...template,
      galleryReference: { ...template.galleryReference, galleryTemplateId: undefined },
    });
    expect(
      templateTagType(
        withoutGalleryId(galleryTemplate({ templateId: "31", infoId: "cvt_temp_public_id" })),
        "123",
      ),
    ).toBeUndefined();
    const noInfo = { ...withoutGalleryId(galleryTemplate({ templateId: "31" })), templateData: undefined };
    expect(templateTagType(noInfo, "123")).toBeUndefined();
    // A resolved ___INFO___.id still wins.
    expect(templateTagType(withoutGalleryId(galleryTemplate({ infoId: "cvt_ABCDE" })), "123")).toBe(
      "cvt_ABCDE",
    );
  });
  test("cvt_<containerId>_<templateId> only for a template created from raw data (no galleryReference)", () => {
    const template = {
      ...galleryTemplate({ templateId: "31", infoId: "cvt_temp_public_id" }),
      galleryReference: undefined,
    };
    expect(templateTagType(template, "123")).toBe("cvt_123_31");
  });
  test("reads ___INFO___ between sections and tolerates broken data", () => {
    expect(
      templateInfoId('___INFO___\n\n{"id": "cvt_Q"}\n\n___SANDBOXED_JS_FOR_SERVER___\n\ncode();\n'),
    ).toBe("cvt_Q");
    expect(templateInfoId("___INFO___\n\nnot json")).toBeUndefined();
    expect(templateInfoId("")).toBeUndefined();
  });
  test("gallery coordinates are the facts' pinned ones", () => {
    expect(`${TIKTOK_GALLERY.owner}/${TIKTOK_GALLERY.repository}@${TIKTOK_GALLERY.sha}`).toBe(
      "tiktok/gtm-template-eapi@908cfa1f15a7af0d00d5859f98daaa75940225c9",
    );
  });
});

/**
 * The kit's trigger conditions run on sample consent states: all must hold, `negate` inverts one. An
 * absent value is compared as the text "undefined", which none of the consent patterns (all anchored
 * at `G1` or `1`) matches, whatever text GTM uses for it.
 */
function conditionsHold(
  conditions: readonly { type: string; parameter: readonly DesiredParameter[] }[],
  values: Readonly<Record<string, string | undefined>>,
): boolean {
  return conditions.every((c) => {
    const arg = (key: string) => c.parameter.find((p) => p.key === key)?.value as string;
    const subject = String(values[arg("arg0")]);
    const pattern = arg("arg1");
    const holds =
      c.type === "startsWith"
        ? subject.startsWith(pattern)
        : c.type === "matchRegex"
          ? new RegExp(pattern).test(subject)
          : subject === pattern;
    return c.parameter.some((p) => p.key === "negate" && p.value === "true") ? !holds : holds;
  });
}
