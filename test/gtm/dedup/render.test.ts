/**
 * The acme shop's report (test/gtm/dedup/shop.ts: every verdict once or more) pinned as text, Markdown
 * and JSON. The export it is read from is pinned too: `sgtm dedup --web-export` and the docs use it.
 */
import { analyzeDedup } from "../../../src/gtm/dedup/analysis";
import { renderDedupJson, renderDedupMarkdown, renderDedupText } from "../../../src/gtm/dedup/render";
import { webContainerFromExport } from "../../../src/gtm/dedup/source";
import { expectGolden } from "../fixtures";
import { acmeProduction, acmeWebContainer, SHOP_EXPORT_FILE } from "./shop";

function report() {
  return analyzeDedup({
    env: acmeProduction(),
    ...webContainerFromExport(acmeWebContainer().toJson(), SHOP_EXPORT_FILE),
  });
}

describe("the deduplication report", () => {
  it("pins the export it reads", () => {
    expectGolden("../dedup/acme-web-export.json.txt", acmeWebContainer().toJson());
  });

  it("as text: each broken or unknown event with its findings and fixes", () => {
    const text = renderDedupText(report(), { color: false });
    expectGolden("../dedup/acme.txt", text);
    expect(text).toContain("  broken    add_to_cart -> AddToCart\n");
    expect(text).toContain("  unknown   generate_lead -> SubmitForm\n");
    expect(text).toContain("  no pixel  search -> Search: ");
    expect(text).toContain("  ok        view_item -> ViewContent: ");
  });

  it("as Markdown: a table of verdicts and the fixes", () => {
    expectGolden("../dedup/acme.md", renderDedupMarkdown(report()));
  });

  it("as JSON: the list of events with their verdicts", () => {
    const json = renderDedupJson(report());
    expectGolden("../dedup/acme.json.txt", json);
    const document = JSON.parse(json);
    expect(document).toMatchObject({ formatVersion: 1, stack: "acme-production", hasBroken: true });
    expect(document.summary).toEqual({ ok: 3, broken: 3, unknown: 1, noPixel: 1 });
    expect(
      document.events.map((e: { ga4Event: string; verdict: string }) => [e.ga4Event, e.verdict]),
    ).toEqual([
      ["add_to_cart", "broken"],
      ["begin_checkout", "ok"],
      ["form_submit", "broken"],
      ["generate_lead", "unknown"],
      ["page_view", "ok"],
      ["purchase", "broken"],
      ["search", "no-pixel"],
      ["view_item", "ok"],
    ]);
  });

  it("colors verdicts on a terminal only", () => {
    expect(renderDedupText(report(), { color: true })).toContain("\u001b[31mbroken");
    expect(renderDedupText(report(), { color: false })).not.toContain("\u001b[");
  });
});
