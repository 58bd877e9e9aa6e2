/**
 * The acme shop's web container as the golden reports see it (acme production: legacy pixel names,
 * tagging host sgtm.acme-shop.com), with one event for each thing that goes right or wrong:
 * page_view ok (base code and Google tag both without event_id), view_item ok (one Data Layer
 * Variable on both sides), add_to_cart broken (one random Custom JavaScript variable shared by both
 * tags), begin_checkout ok (the community Unique Event ID template on the same trigger), purchase
 * broken (Stape's pixel inherits the current name Purchase, the server sends CompletePayment),
 * generate_lead unknown (the id is computed in the Custom HTML's own code), form_submit broken (its
 * GA4 tag sends to another server container), search without a pixel.
 */
import { join } from "node:path";
import { loadEnvironments } from "../../../src/config/load";
import type { EnvironmentConfig } from "../../../src/config/model";
import { FIXTURE_CONFIG_DIR } from "../../config/helpers";
import { WebExport } from "./web-export";

export const ACME_PRODUCTION_FILE = join(FIXTURE_CONFIG_DIR, "acme", "production.yaml");

export function acmeProduction(): EnvironmentConfig {
  return loadEnvironments([ACME_PRODUCTION_FILE])[0];
}

export const SHOP_EXPORT_FILE = join("test", "fixtures", "dedup", "acme-web-export.json.txt");

export function acmeWebContainer(): WebExport {
  const dlv = "{{DLV - event_id}}";
  const random = "{{JS - random event id}}";
  const unique = "{{Unique Event ID}}";
  const ga4 = "{{CONST - GA4 ID}}";
  return (
    new WebExport()
      .dataLayerVariable("DLV - event_id", "event_id")
      .customJsVariable(
        "JS - random event id",
        "function() {\n  return Date.now() + '.' + Math.random().toString(36).slice(2);\n}",
      )
      .templateVariable("Unique Event ID", "uniqueEventId")
      .constantVariable("CONST - GA4 ID", "G-ACME1234")
      .constantVariable("CONST - sGTM URL", "https://sgtm.acme-shop.com")
      .googleTag("GT - G-ACME1234", { tagId: ga4, config: { server_container_url: "{{CONST - sGTM URL}}" } })
      .googleTag("GT - G-OLDPROP1", {
        tagId: "G-OLDPROP1",
        config: { server_container_url: "https://sgtm-old-abc123-ew.a.run.app", send_page_view: "false" },
      })
      .baseCode()
      // view_item: ok
      .ga4Event("GA4 - view_item", {
        event: "view_item",
        measurementId: ga4,
        eventSettings: { event_id: dlv },
      })
      .tiktokPixel("TT - ViewContent", { event: "ViewContent", eventId: dlv, on: "view_item" })
      // add_to_cart: one random Custom JavaScript variable, read by both tags
      .ga4Event("GA4 - add_to_cart", {
        event: "add_to_cart",
        measurementId: ga4,
        eventSettings: { event_id: random },
      })
      .tiktokPixel("TT - AddToCart", { event: "AddToCart", eventId: random, on: "add_to_cart" })
      // begin_checkout: the Unique Event ID template on the same trigger, pixel in Custom HTML
      .ga4Event("GA4 - begin_checkout", {
        event: "begin_checkout",
        measurementId: ga4,
        eventSettings: { event_id: unique },
      })
      .customHtml(
        "TT - InitiateCheckout",
        `<script>\n  ttq.track('InitiateCheckout', {value: {{DLV - value}}, currency: 'EUR'}, {event_id: '${unique}'});\n</script>`,
        "begin_checkout",
      )
      .dataLayerVariable("DLV - value", "ecommerce.value")
      // purchase: Stape's pixel inherits the data layer name, in TikTok's current naming
      .ga4Event("GA4 - purchase", { event: "purchase", measurementId: ga4, eventSettings: { event_id: dlv } })
      .stapePixel("TT - Purchase (Stape)", { inherit: true, eventId: dlv, on: "purchase" })
      // generate_lead: the pixel computes its id in its own code
      .ga4Event("GA4 - generate_lead", {
        event: "generate_lead",
        measurementId: ga4,
        eventSettings: { event_id: dlv },
      })
      .customHtml(
        "TT - SubmitForm",
        "<script>\n  ttq.track('SubmitForm', {}, {event_id: window.leadEventId});\n</script>",
        "generate_lead",
      )
      // form_submit: sent through the old property's Google tag, to another server container
      .ga4Event("GA4 - form_submit", {
        event: "form_submit",
        measurementId: "G-OLDPROP1",
        eventSettings: { event_id: dlv },
      })
      // search: no pixel
      .ga4Event("GA4 - search", { event: "search", measurementId: ga4, eventSettings: { event_id: dlv } })
  );
}
