import type { Condition, CustomTemplate, Tag, Trigger } from "../../../src/gtm/core/api";
import { doubleSending } from "../../../src/gtm/plan/checks/double-sending";
import {
  adopted,
  CONTAINER_ID,
  emptyWorkspace,
  galleryTemplate,
  handMade,
  rawTemplate,
  simulateApply,
  stapeTemplate,
} from "../fixtures";
import { checkInput, onlyMessage, production, STACK } from "./input";

/** The gallery template's tag type (the plan reuses it). */
const TIKTOK = "cvt_5TP8W";
const BUILT_IN_ALL_EVENTS = "2147479553";

/** A condition as GTM stores it: `type` on `arg0` against `arg1`, plus flags such as negate. */
function condition(type: string, arg0: string, arg1: string, flags: Record<string, string> = {}): Condition {
  const parameter = Object.entries({ arg0, arg1, ...flags }).map(([key, value]) => ({
    type: "TEMPLATE",
    key,
    value,
  }));
  return { type, parameter };
}

const onEvent = (type: string, event: string, flags?: Record<string, string>) =>
  condition(type, "{{_event}}", event, flags);

function trigger(triggerId: string, fields: Partial<Trigger>): Trigger {
  return { triggerId, name: `Trigger ${triggerId}`, type: "customEvent", ...fields };
}

const tikTokTag = (name: string, firingTriggerId: string[], fields: Partial<Tag> = {}): Tag => ({
  ...handMade.tikTokTag(TIKTOK),
  name,
  firingTriggerId,
  ...fields,
});

/** The check on a workspace with the gallery template and these hand-made triggers and tags. */
const check = (triggers: Trigger[], tags: Tag[]) =>
  doubleSending(checkInput({ templates: [galleryTemplate()], triggers, tags }));

/** The events the only tag is flagged for when it fires on a trigger with these conditions. */
function flagged(conditions: Condition[], fields: Partial<Trigger> = {}): string[] {
  const problems = check(
    [trigger("30", { customEventFilter: conditions, ...fields })],
    [tikTokTag("T", ["30"])],
  );
  expect(problems.length).toBeLessThanOrEqual(1);
  return problems.flatMap((p) => (p.code === "double-sending" ? p.events : [`unexpected ${p.code}`]));
}

describe("doubleSending", () => {
  it("passes with the kit's own tags (adopted ones too), and hand-made tags of other types", () => {
    const existing = { ...emptyWorkspace(), templates: [galleryTemplate()] };
    expect(doubleSending(checkInput(simulateApply(production(), { existing })))).toEqual([]);
    expect(check([], [adopted(tikTokTag("Adopted", [BUILT_IN_ALL_EVENTS]), STACK)])).toEqual([]);
    expect(
      check(
        [handMade.purchaseTrigger()],
        [handMade.ga4Tag(), tikTokTag("GA4", ["20"], { type: "sgtmgaaw" })],
      ),
    ).toEqual([]);
  });

  it("passes when the template is still to be imported (no tag can be of its type)", () => {
    const tags = [tikTokTag("TikTok", [BUILT_IN_ALL_EVENTS])];
    expect(doubleSending(checkInput({ tags }))).toEqual([]);
  });

  it("passes for a paused hand-made tag, and one with no firing trigger (the idle-sender check lists those)", () => {
    expect(check([], [tikTokTag("Paused", [BUILT_IN_ALL_EVENTS], { paused: true })])).toEqual([]);
    expect(check([], [tikTokTag("Never fires", [])])).toEqual([]);
  });

  it("passes for a trigger on events the kit does not send, or of a type that fires on no event", () => {
    expect(flagged([onEvent("equals", "sign_up")])).toEqual([]);
    expect(flagged([], { type: "pageview" })).toEqual([]);
  });

  it("warns of a hand-made TikTok tag firing on an event the kit sends", () => {
    const problems = check([handMade.purchaseTrigger()], [tikTokTag("TikTok - CompletePayment", ["20"])]);
    expect(problems).toEqual([
      {
        severity: "warning",
        code: "double-sending",
        kind: "tag",
        name: "TikTok - CompletePayment",
        template: "TikTok Events API (Official)",
        repository: "tiktok/gtm-template-eapi",
        events: ["purchase"],
      },
    ]);
    expect(onlyMessage(problems)).toBe(
      `double-sending: the hand-made tag "TikTok - CompletePayment" sends to TikTok's Events API (template "TikTok Events API (Official)", tiktok/gtm-template-eapi) and fires on purchase, which the kit's tags send too; TikTok receives those events twice (deduplicated only when both carry the same event_id and event name). Pause or delete "TikTok - CompletePayment" in GTM once the kit's tags are published.`,
    );
  });

  it("a built-in trigger id the workspace does not list matches every event the kit sends", () => {
    const problems = check([], [tikTokTag("Everything", [BUILT_IN_ALL_EVENTS])]);
    expect(problems).toEqual([
      {
        severity: "warning",
        code: "double-sending",
        kind: "tag",
        name: "Everything",
        template: "TikTok Events API (Official)",
        repository: "tiktok/gtm-template-eapi",
        events: ["add_to_cart", "page_view", "purchase"],
      },
    ]);
    expect(onlyMessage(problems)).toContain("and fires on add_to_cart, page_view, purchase,");
  });

  it("reads regex, negated, case-blind and partial conditions on the event name", () => {
    expect(flagged([onEvent("MATCH_REGEX", "^(purchase|add_to_cart)$")])).toEqual([
      "add_to_cart",
      "purchase",
    ]);
    expect(flagged([onEvent("matchRegex", "^PURCHASE$", { ignore_case: "true" })])).toEqual(["purchase"]);
    expect(flagged([onEvent("matchRegex", "(unclosed")])).toEqual(["add_to_cart", "page_view", "purchase"]);
    expect(flagged([onEvent("EQUALS", "purchase", { negate: "true" })])).toEqual([
      "add_to_cart",
      "page_view",
    ]);
    expect(flagged([onEvent("equals", "PURCHASE")])).toEqual([]);
    expect(flagged([onEvent("equals", "PURCHASE", { ignore_case: "true" })])).toEqual(["purchase"]);
    expect(flagged([onEvent("contains", "_")])).toEqual(["add_to_cart", "page_view"]);
    expect(flagged([onEvent("startsWith", "pa")])).toEqual(["page_view"]);
    expect(flagged([onEvent("endsWith", "cart")])).toEqual(["add_to_cart"]);
    expect(flagged([onEvent("endsWith", "cart"), onEvent("startsWith", "pur")])).toEqual([]);
    expect(flagged([condition("equals", "{{Event Name}}", "page_view")])).toEqual(["page_view"]);
  });

  it("assumes conditions on other variables, and of unknown types, may hold", () => {
    const other = condition("equals", "{{Client Name}}", "Universal Analytics");
    expect(flagged([other, onEvent("equals", "purchase")])).toEqual(["purchase"]);
    expect(flagged([onEvent("cssSelector", "x")])).toEqual(["add_to_cart", "page_view", "purchase"]);
    expect(flagged([], { type: "ALWAYS", filter: [onEvent("equals", "page_view")] })).toEqual(["page_view"]);
  });

  it("joins the events of all firing triggers, and lists tags by name", () => {
    const triggers = [
      handMade.purchaseTrigger(),
      trigger("30", { customEventFilter: [onEvent("equals", "add_to_cart")] }),
    ];
    const problems = check(triggers, [tikTokTag("Z tag", ["20", "30"]), tikTokTag("A tag", ["20"])]);
    expect(problems.map((p) => p.code === "double-sending" && [p.name, p.events])).toEqual([
      ["A tag", ["purchase"]],
      ["Z tag", ["add_to_cart", "purchase"]],
    ]);
  });

  describe("any template that may send to TikTok's Events API, not only the official one", () => {
    const purchase = handMade.purchaseTrigger();
    /** The events each hand-made tag is flagged for, by tag name. */
    const flaggedWith = (templates: CustomTemplate[], tags: Tag[]) =>
      doubleSending(checkInput({ templates, triggers: [purchase], tags })).map((p) =>
        p.code === "double-sending" ? [p.name, p.template, p.repository ?? null, p.events] : p.code,
      );

    it("Stape's TikTok Events API tag (stape-io/tiktok-tag)", () => {
      // Before: only tags of the official template counted; this one went unnoticed.
      expect(
        flaggedWith([stapeTemplate()], [tikTokTag("Stape TikTok - purchase", ["20"], { type: "cvt_STP01" })]),
      ).toEqual([["Stape TikTok - purchase", "TikTok Events API", "stape-io/tiktok-tag", ["purchase"]]]);
    });

    it("a template of any origin whose send_http permission allows business-api.tiktok.com", () => {
      const own = rawTemplate("31", "TikTok (our own)", ["https://business-api.tiktok.com/"]);
      const meta = rawTemplate("32", "Meta CAPI (our own)", ["https://graph.facebook.com/"]);
      expect(
        flaggedWith(
          [own, meta],
          [
            tikTokTag("Own TikTok", ["20"], { type: `cvt_${CONTAINER_ID}_31` }),
            tikTokTag("Meta", ["20"], { type: `cvt_${CONTAINER_ID}_32` }),
          ],
        ),
      ).toEqual([["Own TikTok", "TikTok (our own)", null, ["purchase"]]]);
    });

    it("a template that may send anywhere counts only for tags whose fields name the Events API", () => {
      const http = rawTemplate("33", "HTTP Request", "any");
      const tag = (name: string, url: string) =>
        tikTokTag(name, ["20"], {
          type: `cvt_${CONTAINER_ID}_33`,
          parameter: [{ type: "TEMPLATE", key: "url", value: url }],
        });
      expect(
        flaggedWith(
          [http],
          [
            tag("To TikTok", "https://business-api.tiktok.com/open_api/v1.3/event/track/"),
            tag("To our CRM", "https://crm.shop.example/hook"),
          ],
        ),
      ).toEqual([["To TikTok", "HTTP Request", null, ["purchase"]]]);
    });

    it("the official template however it was imported: tags of the local type cvt_<containerId>_<templateId>", () => {
      const { galleryTemplateId: _none, ...reference } = galleryTemplate().galleryReference ?? {};
      const local = {
        ...galleryTemplate({ templateId: "7", infoId: "cvt_temp_public_id" }),
        galleryReference: reference,
      };
      expect(flaggedWith([local], [tikTokTag("By hand", ["20"], { type: `cvt_${CONTAINER_ID}_7` })])).toEqual(
        [["By hand", "TikTok Events API (Official)", "tiktok/gtm-template-eapi", ["purchase"]]],
      );
    });
  });
});
