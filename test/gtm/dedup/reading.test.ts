/**
 * How the check reads a web container: ttq calls in Custom HTML, custom event triggers, Custom
 * JavaScript code, template tags without their template, and exports it must refuse.
 */
import { bareReference, objectProperty, stringLiteral, ttqCalls } from "../../../src/gtm/dedup/custom-html";
import { classifyIdValue, judgeCustomJavaScript } from "../../../src/gtm/dedup/id-source";
import { pixelSends } from "../../../src/gtm/dedup/pixel";
import { WebContainerError, webContainerFromExport } from "../../../src/gtm/dedup/source";
import { regexAlternatives, webContainerOf } from "../../../src/gtm/dedup/web-container";
import { GtmExportError } from "../../../src/gtm/export";
import { ALL_PAGES, WebExport } from "./web-export";

describe("ttq calls in Custom HTML", () => {
  it("finds track and page calls with their arguments, strings and variables respected", () => {
    const html = `<script>
  ttq.load('C4A1');
  ttq.page();
  ttq.track("Purchase", {contents: [{content_id: "a,b"}], value: {{DLV - value}}}, {event_id: '{{DLV - event_id}}'});
  ttq.instance('C4A1').track('AddToCart', {}, { "event_id": {{DLV - id}} });
</script>`;
    const calls = ttqCalls(html);
    expect(calls.map((c) => [c.method, c.args])).toEqual([
      ["page", []],
      [
        "track",
        [
          '"Purchase"',
          '{contents: [{content_id: "a,b"}], value: {{DLV - value}}}',
          "{event_id: '{{DLV - event_id}}'}",
        ],
      ],
      ["track", ["'AddToCart'", "{}", '{ "event_id": {{DLV - id}} }']],
    ]);
    expect(objectProperty(calls[1].args[2], "event_id")).toBe("'{{DLV - event_id}}'");
    expect(objectProperty(calls[2].args[2], "event_id")).toBe("{{DLV - id}}");
    expect(objectProperty(calls[1].args[1], "event_id")).toBeUndefined();
    expect(stringLiteral("'it\\'s'")).toBe("it's");
    expect(bareReference(" {{X}} ")).toBe("{{X}}");
  });

  it("reads an event_id among the properties as a question, not as the pixel's id", () => {
    const web = new WebExport().customHtml(
      "TT - Purchase",
      "<script>ttq.track('Purchase', {event_id: '{{DLV}}'});</script>",
      "purchase",
    );
    const [send] = pixelSends(webContainerOf(web.version()));
    expect(send.eventId).toMatchObject({ kind: "unknown", why: expect.stringContaining("third argument") });
  });

  it("judges an id computed inline with Math.random() as new per call", () => {
    const web = new WebExport().customHtml(
      "TT - Lead",
      "<script>ttq.track('Lead', {}, {event_id: 'l' + Math.random()});</script>",
      "generate_lead",
    );
    expect(pixelSends(webContainerOf(web.version()))[0].eventId.kind).toBe("per-call");
  });
});

describe("custom event triggers", () => {
  it("name the events of an equals filter or a plain alternation regex", () => {
    expect(regexAlternatives("^(purchase|add_to_cart)$")).toEqual(["purchase", "add_to_cart"]);
    expect(regexAlternatives("purchase|refund")).toEqual(["purchase", "refund"]);
    expect(regexAlternatives("^gtm\\.dom$")).toEqual(["gtm.dom"]);
    expect(regexAlternatives("^purchase.*")).toBeUndefined();
  });

  it("give one send per data layer event to a template tag named by {{Event}}", () => {
    const web = new WebExport().tiktokPixel("TT - ecommerce", { eventId: "{{DLV}}", on: "view_item" });
    web.tags[0].firingTriggerId?.push(web.trigger("purchase"), web.trigger("wishlist_click"));
    const sends = pixelSends(webContainerOf(web.version()));
    expect(sends.map((s) => s.event)).toEqual(["ViewContent", "CompletePayment", "wishlist_click"]);
  });
});

describe("Custom JavaScript variables", () => {
  it("draw a new value per read when their code calls a random or clock function", () => {
    expect(judgeCustomJavaScript("function(){return crypto.randomUUID()}")).toEqual({
      draws: "crypto.randomUUID()",
      keeps: false,
    });
    expect(judgeCustomJavaScript("function(){return new Date().getTime() + ''}").draws).toBe("new Date()");
    expect(judgeCustomJavaScript("function(){return {{DLV - order}} + '-p'}")).toEqual({ keeps: false });
    expect(
      judgeCustomJavaScript("function(){ sessionStorage.x = Math.random(); return sessionStorage.x }"),
    ).toEqual({
      draws: "Math.random()",
      keeps: true,
    });
  });

  it("built on a stable source are stable; built on a random one are not", () => {
    const web = webContainerOf(
      new WebExport()
        .dataLayerVariable("DLV - order", "transaction_id")
        .customJsVariable("JS - order id", "function(){ return 'o-' + {{DLV - order}}; }")
        .customJsVariable("JS - random", "function(){ return Math.random(); }")
        .customJsVariable("JS - wraps random", "function(){ return 'x' + {{JS - random}}; }")
        .version(),
    );
    expect(classifyIdValue("{{JS - order id}}", web)).toMatchObject({
      kind: "stable",
      identity: "jsm:JS - order id",
    });
    expect(classifyIdValue("{{JS - wraps random}}", web)).toMatchObject({
      kind: "per-call",
      why: expect.stringContaining("reading {{JS - random}}"),
    });
    expect(classifyIdValue("{{DLV - order}}-{{Event}}", web).kind).toBe("stable");
    expect(classifyIdValue("{{Page URL}}", web).kind).toBe("unknown");
    expect(classifyIdValue("", web)).toEqual({ kind: "missing" });
  });
});

describe("template tags", () => {
  it("are recognised by their fields when the export lacks their template", () => {
    const web = new WebExport().tiktokPixel("TT - Purchase", {
      event: "Purchase",
      eventId: "{{X}}",
      on: "purchase",
    });
    web.templates.length = 0;
    expect(pixelSends(webContainerOf(web.version()))).toEqual([
      expect.objectContaining({ tag: "TT - Purchase", kind: "tiktok-template", event: "Purchase" }),
    ]);
  });

  it("are left out when paused", () => {
    const web = new WebExport().customHtml("TT - old", "<script>ttq.track('Purchase')</script>", ALL_PAGES);
    web.tags[0].paused = true;
    expect(pixelSends(webContainerOf(web.version()))).toEqual([]);
  });
});

describe("exports", () => {
  it("refuses a server container's export with what to pass instead", () => {
    const web = new WebExport();
    web.usageContext = ["SERVER"];
    expect(() => webContainerFromExport(web.toJson(), "server.json")).toThrow(
      new WebContainerError(
        "server.json is a server container, not a web container: export the web container (the one the shop's pages load) and pass that file",
      ),
    );
  });

  it("refuses a file that is no export, as plan --from-export does", () => {
    expect(() => webContainerFromExport("{}", "x.json")).toThrow(GtmExportError);
  });

  it("says which version of which container it read", () => {
    expect(webContainerFromExport(new WebExport().toJson(), "web.json").source).toEqual({
      kind: "export",
      where: "web.json",
      publicId: "GTM-W3BSHOP",
      versionId: "12",
    });
  });
});
