/**
 * The deduplication verdicts, each from a web container export written for it (test/gtm/dedup/
 * web-export.ts): what makes an event ok, broken, unknown or without pixel, and the exact fix of each
 * broken one. The environment is the default event map with current pixel names and the tagging host
 * sgtm.shop.com unless a test says otherwise.
 */
import type { EnvironmentConfig } from "../../../src/config/model";
import { analyzeDedup } from "../../../src/gtm/dedup/analysis";
import { webContainerFromExport } from "../../../src/gtm/dedup/source";
import type { DedupReport, EventDedup } from "../../../src/gtm/dedup/types";
import { loadOk, VALID_CLIENT, VALID_ENV } from "../../config/helpers";
import { acmeProduction, acmeWebContainer } from "./shop";
import { ALL_PAGES, shopBase, WebExport } from "./web-export";

const HOST = "sgtm.shop.com";
const GA4 = "{{CONST - GA4 ID}}";
const DLV = "{{DLV - event_id}}";

let shopEnv: EnvironmentConfig;
beforeAll(() => {
  shopEnv = loadOk(VALID_ENV, VALID_CLIENT);
});

function check(web: WebExport, env: EnvironmentConfig = shopEnv): DedupReport {
  return analyzeDedup({ env, ...webContainerFromExport(web.toJson(), "web.json") });
}

function eventOf(report: DedupReport, ga4Event: string): EventDedup {
  const found = report.events.find((e) => e.ga4Event === ga4Event);
  if (!found) throw new Error(`no ${ga4Event} in the report`);
  return found;
}

/** The shop base with a GA4 purchase tag sending `ga4Id` as event_id. */
function purchase(ga4Id: string | undefined): WebExport {
  return shopBase(HOST).ga4Event("GA4 - purchase", {
    event: "purchase",
    measurementId: GA4,
    ...(ga4Id === undefined ? {} : { eventSettings: { event_id: ga4Id } }),
  });
}

describe("ok", () => {
  it("when both sides read one Data Layer Variable and send the server's name", () => {
    const report = check(
      purchase(DLV).tiktokPixel("TT - Purchase", { event: "Purchase", eventId: DLV, on: "purchase" }),
    );
    const event = eventOf(report, "purchase");
    expect(event.verdict).toBe("ok");
    expect(event.findings).toEqual([]);
    expect(event.summary).toBe(
      "GA4 tag 'GA4 - purchase' and pixel tag 'TT - Purchase' send Purchase with event_id {{DLV - event_id}} (data layer key event_id)",
    );
    expect(event.ga4Tags).toEqual([
      {
        tag: "GA4 - purchase",
        kind: "ga4-event",
        event: "purchase",
        eventId: "{{DLV - event_id}} (data layer key event_id)",
        destination: "https://sgtm.shop.com",
      },
    ]);
  });

  it("when two Data Layer Variables read the same key", () => {
    const web = purchase(DLV)
      .dataLayerVariable("dlv.eventId", "event_id")
      .tiktokPixel("TT - Purchase", { event: "Purchase", eventId: "{{dlv.eventId}}", on: "purchase" });
    expect(eventOf(check(web), "purchase").verdict).toBe("ok");
  });

  it("when the event-scoped Unique Event ID template feeds both tags of one trigger", () => {
    const web = purchase("{{Unique Event ID}}")
      .templateVariable("Unique Event ID", "uniqueEventId")
      .customHtml(
        "TT - Purchase",
        "<script>ttq.track('Purchase', {value: 1}, {event_id: '{{Unique Event ID}}'});</script>",
        "purchase",
      );
    expect(eventOf(check(web), "purchase")).toMatchObject({ verdict: "ok", findings: [] });
  });

  it("when the GA4 tag inherits event_id from its Google tag's event settings variable", () => {
    const web = new WebExport()
      .dataLayerVariable("DLV - event_id", "event_id")
      .eventSettingsVariable("GT - shared event settings", { event_id: DLV })
      .googleTag("GT - shop", {
        tagId: "G-SHOP1234",
        config: { server_container_url: `https://${HOST}/` },
        eventSettingsVariable: "{{GT - shared event settings}}",
      })
      .ga4Event("GA4 - purchase", { event: "purchase", measurementId: "G-SHOP1234" })
      .stapePixel("TT - Purchase", { event: "Purchase", eventId: DLV, on: "purchase" })
      // The Google tag's page view carries the id too, so the pixel's page view must.
      .customHtml(
        "TT - Base",
        "<script>ttq.load('X'); ttq.track('Pageview', {}, {event_id: {{DLV - event_id}}});</script>",
        ALL_PAGES,
      );
    const report = check(web);
    expect(eventOf(report, "purchase").verdict).toBe("ok");
    expect(eventOf(report, "page_view").verdict).toBe("ok");
  });

  it("for page views when neither the pixel nor GA4 sends an event_id", () => {
    const event = eventOf(check(shopBase(HOST).baseCode()), "page_view");
    expect(event.verdict).toBe("ok");
    expect(event.summary).toBe(
      "Google tag 'GT - G-SHOP1234' and pixel tag 'TT - Base code' send the page view without event_id on both sides: TikTok matches them on _ttp",
    );
  });
});

describe("broken", () => {
  it("when one random Custom JavaScript variable is shared by both tags", () => {
    const random = "{{JS - event id}}";
    const web = shopBase(HOST)
      .customJsVariable(
        "JS - event id",
        "function(){ return Date.now() + '' + Math.floor(Math.random()*1e6); }",
      )
      .ga4Event("GA4 - purchase", {
        event: "purchase",
        measurementId: GA4,
        eventSettings: { event_id: random },
      })
      .tiktokPixel("TT - Purchase", { event: "Purchase", eventId: random, on: "purchase" });
    expect(eventOf(check(web), "purchase")).toMatchObject({
      verdict: "broken",
      findings: [
        {
          severity: "broken",
          message:
            "GA4 tag 'GA4 - purchase' and pixel tag 'TT - Purchase' both read {{JS - event id}}, a Custom JavaScript variable whose code calls Math.random() and which web GTM runs anew for every tag that reads it, so they get different ids for the same purchase",
          fix: "push an id with every purchase (dataLayer.push({event: 'purchase', event_id: '<unique id>'})), then add the event parameter event_id = {{DLV - event_id}} to tag 'GA4 - purchase' and set event_id of tag 'TT - Purchase' to {{DLV - event_id}}",
        },
      ],
    });
  });

  it("when a container without an id variable shares {{Random Number}}: the fix creates the variable", () => {
    const web = new WebExport()
      .googleTag("GT", { tagId: "G-1", config: { server_container_url: `https://${HOST}` } })
      .ga4Event("GA4 - purchase", {
        event: "purchase",
        measurementId: "G-1",
        eventSettings: { event_id: "{{Random Number}}" },
      })
      .tiktokPixel("TT - Purchase", { event: "Purchase", eventId: "{{Random Number}}", on: "purchase" });
    expect(eventOf(check(web), "purchase").findings[0].fix).toBe(
      "push an id with every purchase (dataLayer.push({event: 'purchase', event_id: '<unique id>'})), create the Data Layer Variable {{DLV - event_id}} reading event_id, then add the event parameter event_id = {{DLV - event_id}} to tag 'GA4 - purchase' and set event_id of tag 'TT - Purchase' to {{DLV - event_id}}",
    );
  });

  it("when the pixel sends no event_id", () => {
    const event = eventOf(
      check(purchase(DLV).tiktokPixel("TT - Purchase", { event: "Purchase", on: "purchase" })),
      "purchase",
    );
    expect(event.verdict).toBe("broken");
    expect(event.findings).toEqual([
      {
        severity: "broken",
        message:
          "pixel tag 'TT - Purchase' sends Purchase without event_id, while GA4 tag 'GA4 - purchase' sends purchase with event_id {{DLV - event_id}} (data layer key event_id): TikTok cannot merge them",
        fix: "set event_id of tag 'TT - Purchase' to {{DLV - event_id}}",
      },
    ]);
  });

  it("when the GA4 tag passes no event_id to the server container", () => {
    const event = eventOf(
      check(
        purchase(undefined).tiktokPixel("TT - Purchase", { event: "Purchase", eventId: DLV, on: "purchase" }),
      ),
      "purchase",
    );
    expect(event.findings).toEqual([
      expect.objectContaining({
        message:
          "GA4 tag 'GA4 - purchase' sends purchase without an event_id parameter, while pixel tag 'TT - Purchase' sends event_id {{DLV - event_id}} (data layer key event_id): the server's TikTok tag has no event_id to send",
        fix: "add the event parameter event_id = {{DLV - event_id}} to tag 'GA4 - purchase'",
      }),
    ]);
  });

  it("when the two sides read different data layer keys", () => {
    const web = purchase(DLV)
      .dataLayerVariable("DLV - transaction_id", "ecommerce.transaction_id")
      .customHtml(
        "TT - Purchase",
        "<script>\nttq.track('Purchase', {}, {\n  event_id: '{{DLV - transaction_id}}'\n});\n</script>",
        "purchase",
      );
    expect(eventOf(check(web), "purchase").findings).toEqual([
      {
        severity: "broken",
        message:
          "GA4 tag 'GA4 - purchase' sends event_id {{DLV - event_id}} (data layer key event_id), pixel tag 'TT - Purchase' {{DLV - transaction_id}} (data layer key ecommerce.transaction_id): different sources, different ids",
        fix: "in tag 'TT - Purchase', pass {event_id: '{{DLV - event_id}}'} as the third argument of ttq.track('Purchase', {}, { event_id: '{{DLV - transaction_id}}' })",
      },
    ]);
  });

  it("when the id is a constant: TikTok would merge every purchase into one", () => {
    const web = purchase("{{CONST - GA4 ID}}").tiktokPixel("TT - Purchase", {
      event: "Purchase",
      eventId: "{{CONST - GA4 ID}}",
      on: "purchase",
    });
    expect(eventOf(check(web), "purchase").findings[0].message).toBe(
      "GA4 tag 'GA4 - purchase' sends event_id {{CONST - GA4 ID}}, a Constant variable, the same for every event, so TikTok would merge different Purchase events into one",
    );
  });

  it("when the pixel sends the legacy name and the server the current one", () => {
    // TikTok's template with its default {{Event}} sends `purchase` as CompletePayment.
    const web = purchase(DLV).tiktokPixel("TT - Purchase", { eventId: DLV, on: "purchase" });
    const event = eventOf(check(web), "purchase");
    expect(event.pixelTags).toEqual([
      {
        tag: "TT - Purchase",
        kind: "tiktok-template",
        event: "CompletePayment",
        eventId: "{{DLV - event_id}} (data layer key event_id)",
      },
    ]);
    expect(event.findings).toEqual([
      {
        severity: "broken",
        message:
          "pixel tag 'TT - Purchase' sends CompletePayment ({{Event}} = purchase, which the template sends as CompletePayment), the server sends Purchase: TikTok merges only events of the same name, so each purchase counts twice",
        fix: expect.stringMatching(
          /^set tiktok\.pixelEventNames: legacy in .*staging\.yaml \(the server then sends CompletePayment\), or set event of tag 'TT - Purchase' to Purchase$/,
        ),
      },
    ]);
  });

  it("when the pixel sends the current name and the server, by an explicit event, the legacy one", () => {
    const env = loadOk(
      `${VALID_ENV}tiktok:\n  events:\n    purchase: { event: CompletePayment, custom: true }\n`,
    );
    const web = purchase(DLV).stapePixel("TT - Purchase", {
      event: "Purchase",
      eventId: DLV,
      on: "purchase",
    });
    expect(eventOf(check(web, env), "purchase").findings[0].fix).toMatch(
      /^set tiktok\.events\.purchase\.event: Purchase in .*staging\.yaml, or set the event name of tag 'TT - Purchase' to CompletePayment$/,
    );
  });

  it("when the GA4 tags send to another server container", () => {
    const web = new WebExport()
      .googleTag("GT - old", { tagId: "G-1", config: { server_container_url: "https://gtm.other-shop.com" } })
      .ga4Event("GA4 - purchase", {
        event: "purchase",
        measurementId: "G-1",
        eventSettings: { event_id: DLV },
      })
      .dataLayerVariable("DLV - event_id", "event_id")
      .tiktokPixel("TT - Purchase", { event: "Purchase", eventId: DLV, on: "purchase" });
    expect(eventOf(check(web), "purchase")).toMatchObject({
      verdict: "broken",
      findings: [
        {
          message:
            "GA4 tag 'GA4 - purchase' sends purchase through Google tag 'GT - old' to https://gtm.other-shop.com, not to this environment's server container https://sgtm.shop.com: the server container never receives it",
          fix: "set server_container_url of Google tag 'GT - old' to https://sgtm.shop.com",
        },
      ],
    });
  });

  it("when the Google tag has no server container URL (legacy transport_url read too)", () => {
    const direct = new WebExport()
      .googleTag("GT", { tagId: "G-1" })
      .ga4Event("GA4 - search", { event: "search", measurementId: "G-1" });
    expect(eventOf(check(direct), "search").findings).toEqual([
      {
        severity: "broken",
        message:
          "GA4 tag 'GA4 - search' sends search through Google tag 'GT', which has no server_container_url: it goes to Google Analytics directly and the server container never receives it",
        fix: "add the configuration setting server_container_url = https://sgtm.shop.com to Google tag 'GT'",
      },
    ]);
    const legacy = new WebExport()
      .googleTag("GT", { tagId: "G-1", config: { transport_url: "https://sgtm.shop.com" } })
      .ga4Event("GA4 - search", { event: "search", measurementId: "G-1" });
    expect(eventOf(check(legacy), "search").verdict).toBe("no-pixel");
  });

  it("for page views when GA4 sends an event_id and the pixel's base code none", () => {
    const web = shopBase(HOST).baseCode();
    web.tags[0].parameter?.push({
      type: "LIST",
      key: "eventSettingsTable",
      list: [
        {
          type: "MAP",
          map: [
            { type: "TEMPLATE", key: "parameter", value: "event_id" },
            { type: "TEMPLATE", key: "parameterValue", value: DLV },
          ],
        },
      ],
    });
    expect(eventOf(check(web), "page_view").findings).toEqual([
      {
        severity: "broken",
        message:
          "pixel tag 'TT - Base code' sends Pageview without event_id, while Google tag 'GT - G-SHOP1234' sends page_view with event_id {{DLV - event_id}} (data layer key event_id): TikTok cannot merge them",
        fix: "in tag 'TT - Base code', replace ttq.page() with ttq.track('Pageview', {}, {event_id: '{{DLV - event_id}}'}), or send page_view without event_id",
      },
    ]);
  });

  it("when an event-scoped id is read on two different data layer events", () => {
    const web = purchase("{{Unique Event ID}}")
      .templateVariable("Unique Event ID", "uniqueEventId")
      .tiktokPixel("TT - Purchase", {
        event: "Purchase",
        eventId: "{{Unique Event ID}}",
        on: "checkout_complete",
      });
    expect(eventOf(check(web), "purchase").findings).toEqual([
      {
        severity: "broken",
        message:
          "GA4 tag 'GA4 - purchase' fires on purchase, pixel tag 'TT - Purchase' on checkout_complete: {{Unique Event ID}} comes from the event id template stape-io/unique-event-id-variable, one id per data layer event, so each of them gets its own id",
        fix: "make 'TT - Purchase' and 'GA4 - purchase' fire on the same data layer event",
      },
    ]);
  });
});

describe("unknown", () => {
  it("when the pixel's id is computed in its own code", () => {
    const web = purchase(DLV).customHtml(
      "TT - Purchase",
      "<script>ttq.track('Purchase', {}, {event_id: window.orderId + '-p'});</script>",
      "purchase",
    );
    expect(eventOf(check(web), "purchase")).toMatchObject({
      verdict: "unknown",
      findings: [
        {
          severity: "unknown",
          message:
            "pixel tag 'TT - Purchase': event_id is computed in the tag's code (window.orderId + '-p'), which the kit cannot compare with the GA4 side",
          fix: "in tag 'TT - Purchase', pass {event_id: '{{DLV - event_id}}'} as the third argument of ttq.track('Purchase', {}, {event_id: window.orderId + '-p'})",
        },
      ],
    });
  });

  it("when a Custom JavaScript variable draws a random id but stores it", () => {
    const cached = "{{JS - cached id}}";
    const web = purchase(cached)
      .customJsVariable(
        "JS - cached id",
        "function(){ window.eid = window.eid || Math.random().toString(36); return window.eid; }",
      )
      .tiktokPixel("TT - Purchase", { event: "Purchase", eventId: cached, on: "purchase" });
    expect(eventOf(check(web), "purchase").verdict).toBe("unknown");
  });

  it("when the GA4 tag's measurement id has no Google tag in the container", () => {
    const web = new WebExport()
      .dataLayerVariable("DLV - event_id", "event_id")
      .ga4Event("GA4 - purchase", {
        event: "purchase",
        measurementId: "G-PAGECODE",
        eventSettings: { event_id: DLV },
      })
      .tiktokPixel("TT - Purchase", { event: "Purchase", eventId: DLV, on: "purchase" });
    expect(eventOf(check(web), "purchase").findings).toEqual([
      expect.objectContaining({
        severity: "unknown",
        fix: "add a Google tag for G-PAGECODE with the configuration setting server_container_url = https://sgtm.shop.com",
      }),
    ]);
  });

  it("when no GA4 tag sends the event the pixel sends", () => {
    const web = shopBase(HOST).tiktokPixel("TT - Search", { event: "Search", eventId: DLV, on: "search" });
    expect(eventOf(check(web), "search")).toMatchObject({ verdict: "unknown", ga4Tags: [] });
  });
});

describe("no pixel", () => {
  it("when no pixel tag sends the event, and says the server's event needs no deduplication", () => {
    const event = eventOf(check(purchase(DLV)), "purchase");
    expect(event).toMatchObject({ verdict: "no-pixel", pixelTags: [], findings: [] });
    expect(event.summary).toBe(
      "no pixel tag in the web container sends Purchase: only the server sends it, nothing to deduplicate (pixel events set up in TikTok's Event Builder or in page code are not visible here)",
    );
  });

  it("tells generate_lead and form_submit apart by the trigger of the Lead pixel", () => {
    const web = shopBase(HOST)
      .ga4Event("GA4 - generate_lead", {
        event: "generate_lead",
        measurementId: GA4,
        eventSettings: { event_id: DLV },
      })
      .ga4Event("GA4 - form_submit", {
        event: "form_submit",
        measurementId: GA4,
        eventSettings: { event_id: DLV },
      })
      .tiktokPixel("TT - Lead", { event: "{{CONST - Lead}}", eventId: DLV, on: "generate_lead" })
      .constantVariable("CONST - Lead", "Lead");
    const report = check(web);
    expect(eventOf(report, "generate_lead").verdict).toBe("ok");
    expect(eventOf(report, "form_submit").verdict).toBe("no-pixel");
  });
});

it("reads the acme shop's container: every verdict at once, broken ones first in the summary", () => {
  const report = analyzeDedup({
    env: acmeProduction(),
    ...webContainerFromExport(acmeWebContainer().toJson(), "acme.json"),
  });
  expect(Object.fromEntries(report.events.map((e) => [e.ga4Event, e.verdict]))).toEqual({
    add_to_cart: "broken",
    begin_checkout: "ok",
    form_submit: "broken",
    generate_lead: "unknown",
    page_view: "ok",
    purchase: "broken",
    search: "no-pixel",
    view_item: "ok",
  });
});
