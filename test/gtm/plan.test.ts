import fc from "fast-check";
import type { EnvironmentConfig, ResolvedEvent } from "../../src/config/model";
import type { Tag, Variable } from "../../src/gtm/core/api";
import { normalizeEntity } from "../../src/gtm/core/normalize";
import { sha256 } from "../../src/gtm/core/sensitive";
import { TAG_TYPE_PLACEHOLDER, TIKTOK_TEMPLATE_EVENT_OPTIONS } from "../../src/gtm/core/tiktok-template";
import { TIKTOK_TEMPLATE_FIELDS } from "../../src/gtm/fake/gallery";
import { templateParameterProblem } from "../../src/gtm/fake/template-fields";
import { toApiBody, withTagType } from "../../src/gtm/model/api-body";
import { desiredContainer } from "../../src/gtm/model/desired";
import { ACCESS_TOKEN_VARIABLE, EVENT_LOOKUP_VARIABLE, reference } from "../../src/gtm/model/names";
import type { DesiredContainer } from "../../src/gtm/model/types";
import { plan } from "../../src/gtm/plan";
import type { ActualWorkspace } from "../../src/gtm/plan/actual";
import { computeBasis } from "../../src/gtm/plan/basis";
import { renderJson, renderText } from "../../src/gtm/render";
import { planDocument } from "../../src/gtm/render/document";
import { problemMessage, publishReason } from "../../src/gtm/render/wording";
import {
  adopted,
  CONTAINER_ID,
  desiredWithEvents,
  emptyWorkspace,
  expectGolden,
  galleryTemplate,
  handMade,
  loadEnv,
  PRODUCTION_ENV,
  productionWith,
  SEARCH,
  simulateApply,
  TOKEN_SENTINEL,
  versionOf,
  withHandMade,
} from "./fixtures";

const STACK = "shop-production";
const production = () => desiredContainer(loadEnv(PRODUCTION_ENV));
const text = (p: ReturnType<typeof plan>) => renderText(p, { color: false });
const tokenHash = sha256(TOKEN_SENTINEL);

/** Edits one owned tag of a workspace the way a person would in the UI. */
function editTag(workspace: ActualWorkspace, name: string, edit: (tag: Tag) => Tag): ActualWorkspace {
  return { ...workspace, tags: workspace.tags.map((t) => (t.name === name ? edit(t) : t)) };
}

describe("plan: golden scenarios", () => {
  test("empty container: import the template, enable built-ins, create everything in dependency order", () => {
    const result = plan(production(), emptyWorkspace(), {});
    expect(result.template).toMatchObject({ action: "import" });
    expect(result.template.tagType).toBeUndefined();
    expect(result.builtIns).toEqual(["clientName", "eventName"]);
    expect(result.changes.every((c) => c.action === "create")).toBe(true);
    const kinds = result.changes.map((c) => c.kind);
    expect(kinds.lastIndexOf("variable")).toBeLessThan(kinds.indexOf("trigger"));
    expect(kinds.lastIndexOf("trigger")).toBeLessThan(kinds.indexOf("tag"));
    expect(result.publish.liveDiffers).toBe(true);
    expect(result.errors).toEqual([]);
    expectGolden("plan/empty.txt", text(result));
    expectGolden("plan/empty.json.txt", renderJson(result));
  });

  test("no-op: the workspace as the API returns it after an apply diffs to nothing", () => {
    const desired = production();
    const actual = simulateApply(desired, { publish: true });
    const result = plan(desired, actual, { tokenHash });
    expect(result.changes).toEqual([]);
    expect(result.hasChanges).toBe(false);
    expect(result.template).toMatchObject({ action: "reuse", templateId: "50", tagType: "cvt_5TP8W" });
    expect(result.token.status).toBe("unchanged");
    expect(result.publish).toMatchObject({ liveDiffers: false });
    expectGolden("plan/no-op.txt", text(result));
  });

  test("no-op without the token: the token is not compared and no update is planned for it", () => {
    const desired = production();
    const result = plan(desired, simulateApply(desired, { token: "another-token", publish: true }), {});
    expect(result.changes).toEqual([]);
    expect(result.token.status).toBe("not compared");
    expect(text(result)).toContain("Access token: (sensitive, not compared)");
  });

  test("a rotated token is an update of the token constant, shown only as (sensitive)", () => {
    const desired = production();
    const result = plan(desired, simulateApply(desired, { token: "old-token" }), { tokenHash });
    expect(result.token.status).toBe("changed");
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({
      action: "update",
      kind: "variable",
      name: ACCESS_TOKEN_VARIABLE,
    });
    expect(planDocument(result).changes[0]?.diff).toEqual([
      {
        field: "parameter.value",
        before: "(sensitive)",
        after: "(sensitive)",
        note: "value differs (compared by SHA-256)",
      },
    ]);
  });

  test("drift: a hand edit of an owned tag is one update with field diffs, path and fingerprint", () => {
    const desired = production();
    const applied = simulateApply(desired, { publish: true });
    const drifted = editTag(applied, "TikTok Kit | CompletePayment (purchase)", (tag) => ({
      ...tag,
      fingerprint: "1800000000000",
      parameter: (tag.parameter ?? [])
        .map((p) =>
          p.key === "event"
            ? { ...p, value: "Purchase" }
            : p.key === "logType"
              ? { ...p, value: "always" }
              : p,
        )
        .filter((p) => p.key !== "event_id"),
      paused: true,
    }));
    const result = plan(desired, drifted, { tokenHash });
    expect(result.changes).toHaveLength(1);
    const [change] = result.changes;
    expect(change).toMatchObject({
      action: "update",
      kind: "tag",
      name: "TikTok Kit | CompletePayment (purchase)",
      fingerprint: "1800000000000",
    });
    expect(change?.action === "update" && change.path).toMatch(/\/tags\/\d+$/);
    const desiredTag = desired.tags.find((t) => t.name === change?.name);
    expect(desiredTag).toBeDefined();
    // The full desired body (a PUT replaces the whole tag), with the reused template's type resolved.
    expect(change?.action === "update" && change.body).toEqual(
      desiredTag && withTagType(desiredTag, result.template.tagType),
    );
    expect(change?.diff).toEqual([
      { field: "parameter.event", before: "Purchase", after: "CompletePayment" },
      { field: "parameter.event_id", before: null, after: "{{TikTok Kit | Event Data event_id}}" },
      { field: "parameter.logType", before: "always", after: "debug" },
      { field: "paused", before: "true", after: null },
    ]);
    // Not yet published either: the live version still holds the drifted-from state, which matches.
    expect(result.publish.liveDiffers).toBe(false);
    expectGolden("plan/drift.txt", text(result));
    expectGolden("plan/drift.json.txt", renderJson(result));
  });

  test("an owned entity no longer desired is deleted: tags before triggers before variables", () => {
    const before = SEARCH.before();
    const after = SEARCH.after();
    const result = plan(after, simulateApply(before), { tokenHash });
    expect(result.changes.map((c) => `${c.action} ${c.kind} ${c.name}`)).toEqual([
      "delete tag TikTok Kit | Search (search)",
      "delete trigger TikTok Kit | Event Name is search",
      "delete variable TikTok Kit | Event Data search_term",
    ]);
    expect(
      result.changes.every((c) => c.action === "delete" && c.path && c.fingerprint && !("body" in c)),
    ).toBe(true);
    expectGolden("plan/delete.txt", text(result));
  });

  test("hand-made entities are never touched, even next to owned ones", () => {
    const desired = production();
    const existing: ActualWorkspace = {
      ...emptyWorkspace(),
      tags: [handMade.ga4Tag()],
      triggers: [handMade.ga4Trigger()],
      variables: [handMade.variable()],
    };
    const result = plan(desired, simulateApply(desired, { existing }), { tokenHash });
    expect(result.changes).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    const fresh = plan(desired, existing, {});
    expect(fresh.changes.map((c) => c.name)).not.toContain("GA4 All Events");
    expect(fresh.changes.every((c) => c.action === "create")).toBe(true);
  });

  test("name clash: a hand-made entity with a desired name is an error explaining adoption", () => {
    const desired = production();
    const clash: Variable = { ...handMade.variable("TikTok Kit | Pixel ID"), type: "c" };
    const result = plan(desired, { ...emptyWorkspace(), variables: [clash] }, {});
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({
      code: "name-clash",
      kind: "variable",
      name: "TikTok Kit | Pixel ID",
    });
    expect(result.errors.map(problemMessage)[0]).toContain(
      'add the line "managed-by: sgtm-tiktok-kit shop-production" to its notes',
    );
    expect(result.errors.map(problemMessage)[0]).toContain("rename it");
    expect(result.changes.map((c) => c.name)).not.toContain("TikTok Kit | Pixel ID");
    expectGolden("plan/name-clash.txt", text(result));

    // Adopted (marker added in the UI): the next plan overwrites it instead.
    const adoptedPlan = plan(desired, { ...emptyWorkspace(), variables: [adopted(clash, STACK)] }, {});
    expect(adoptedPlan.errors).toEqual([]);
    expect(adoptedPlan.changes.find((c) => c.name === "TikTok Kit | Pixel ID")?.action).toBe("update");
  });

  test("another environment's entities: one shared-container error, no name clashes, no double-sending, no advice to adopt", () => {
    // shop-staging applied to this container first (two environments on one container).
    const staging = loadEnv(PRODUCTION_ENV, { envName: "staging" });
    const theirs = simulateApply(desiredContainer(staging), { publish: true });
    const result = plan(production(), theirs, {});
    expect(result.errors).toEqual([
      {
        severity: "error",
        code: "shared-container",
        stack: STACK,
        owners: ["shop-staging"],
        entities: theirs.tags.length + theirs.triggers.length + theirs.variables.length,
      },
    ]);
    expect(result.warnings.map((w) => w.code)).not.toContain("double-sending");
    const message = problemMessage(result.errors[0]);
    expect(message).toContain("two environments cannot share a GTM container");
    expect(message).toContain(`Give ${STACK} a container of its own (gtm.containerId)`);
    expect(message).toMatch(/^the container holds \d+ entities the kit manages for shop-staging/);
    // Adoption is offered only for a stack that no longer exists.
    expect(message).toContain("Only if shop-staging no longer exists");
  });

  test("template imported by hand and a hand-made TikTok tag on purchase: reuse the type, warn of double-sending", () => {
    const desired = production();
    const template = galleryTemplate({
      templateId: "7",
      galleryTemplateId: "QW3RT",
      version: "0123456789abcdef",
    });
    const existing: ActualWorkspace = {
      ...emptyWorkspace(),
      templates: [template],
      triggers: [handMade.purchaseTrigger(), handMade.ga4Trigger()],
      tags: [handMade.tikTokTag("cvt_QW3RT"), handMade.ga4Tag()],
      builtInVariables: [{ type: "EVENT_NAME", name: "Event Name" }],
    };
    const result = plan(desired, existing, {});
    expect(result.template).toMatchObject({ action: "reuse", templateId: "7", tagType: "cvt_QW3RT" });
    expect(result.builtIns).toEqual(["clientName"]);
    const tagBodies = result.changes
      .filter((c) => c.kind === "tag")
      .map((c) => ("body" in c ? c.body.type : undefined));
    expect(new Set(tagBodies)).toEqual(new Set(["cvt_QW3RT"]));
    const codes = result.warnings.map((w) => w.code);
    expect(codes).toEqual(["template-version", "double-sending"]);
    const doubleSending = result.warnings.find((w) => w.code === "double-sending");
    expect(doubleSending && problemMessage(doubleSending)).toContain(
      '"TikTok - CompletePayment" sends to TikTok\'s Events API (template "TikTok Events API (Official)", tiktok/gtm-template-eapi) and fires on purchase,',
    );
    expectGolden("plan/hand-made-tiktok.txt", text(result));
  });

  test("a TikTok template added by hand without a gallery id: the type its tags carry is used, double-sending flagged", () => {
    const desired = production();
    const { galleryTemplateId: _unknown, ...reference } = galleryTemplate().galleryReference ?? {};
    const template = {
      ...galleryTemplate({ templateId: "7", infoId: "cvt_temp_public_id" }),
      galleryReference: reference,
    };
    const localType = `cvt_${CONTAINER_ID}_7`;
    const existing: ActualWorkspace = {
      ...emptyWorkspace(),
      templates: [template],
      triggers: [handMade.purchaseTrigger()],
      tags: [handMade.tikTokTag(localType)],
    };
    const result = plan(desired, existing, {});
    expect(result.template).toMatchObject({ action: "reuse", templateId: "7", tagType: localType });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.code)).toContain("double-sending");
    const tagTypes = result.changes.flatMap((c) => (c.kind === "tag" && "body" in c ? [c.body.type] : []));
    expect(tagTypes.length).toBeGreaterThan(0);
    expect(new Set(tagTypes)).toEqual(new Set([localType]));

    // Without such tags, GTM's form for a template without a gallery id: the same type.
    const untagged = plan(desired, { ...existing, tags: [] }, {});
    expect(untagged.errors).toEqual([]);
    expect(untagged.template.tagType).toBe(localType);
  });

  test("double-sending: regex and built-in triggers, paused tags, other templates", () => {
    const desired = production();
    const allEvents = handMade.tikTokTag("cvt_5TP8W");
    const base: ActualWorkspace = {
      ...emptyWorkspace(),
      templates: [galleryTemplate()],
      triggers: [handMade.ga4Trigger()],
    };
    const warned = (tag: Tag) =>
      plan(desired, { ...base, tags: [tag] }, {})
        .warnings.filter((w) => w.code === "double-sending")
        .map(problemMessage);
    expect(warned({ ...allEvents, firingTriggerId: ["10"] })[0]).toContain(
      "fires on add_to_cart, page_view, purchase",
    );
    expect(warned({ ...allEvents, firingTriggerId: ["2147479553"] })[0]).toContain(
      "add_to_cart, page_view, purchase",
    );
    expect(warned({ ...allEvents, firingTriggerId: ["10"], paused: true })).toEqual([]);
    expect(warned({ ...allEvents, type: "cvt_OTHER", firingTriggerId: ["10"] })).toEqual([]);
  });

  test("single layout", () => {
    const desired = desiredContainer(
      loadEnv(
        productionWith(
          "  consent: block-if-denied\n  tagLayout: single\n  events:\n    purchase: {}\n    page_view: {}\n",
        ),
      ),
    );
    const result = plan(desired, { ...emptyWorkspace(), templates: [galleryTemplate()] }, {});
    expect(result.changes.filter((c) => c.kind === "tag")).toHaveLength(1);
    expect(result.changes.filter((c) => c.kind === "trigger")).toHaveLength(1);
    expectGolden("plan/single-layout.txt", text(result));
    expect(plan(desired, simulateApply(desired), {}).changes).toEqual([]);
  });

  test.each([
    ["legacy", "legacy"],
    ["current", "current"],
  ])("pixel names %s: the statement and the events", (_label, naming) => {
    const client = `gcp:\n  region: europe-west1\ngtm:\n  accountId: "6012345678"\ntiktok:\n  pixelId: C4A1B2C3D4E5F6G7H8I9\n  pixelEventNames: ${naming}\n`;
    const desired = desiredContainer(
      loadEnv(
        productionWith("  consent: ad-storage-granted\n  events:\n    purchase: {}\n    generate_lead: {}\n"),
        { client },
      ),
    );
    expectGolden(
      `plan/pixel-${naming}.txt`,
      text(plan(desired, { ...emptyWorkspace(), templates: [galleryTemplate()] }, {})),
    );
  });

  test.each([
    ["ad-storage-granted", undefined],
    ["ad-storage-granted", "send"],
    ["ad-user-data-granted", undefined],
    ["ad-user-data-granted", "send"],
    ["block-if-denied", undefined],
    ["block-if-denied", "block"],
    ["not-enforced", undefined],
  ])("consent %s, undeclared %s", (policy, undeclared) => {
    const choice = undeclared ? `  consentUndeclared: ${undeclared}\n` : "";
    const desired = desiredContainer(
      loadEnv(productionWith(`  consent: ${policy}\n${choice}  events:\n    purchase: {}\n`)),
    );
    const result = plan(desired, { ...emptyWorkspace(), templates: [galleryTemplate()] }, {});
    expectGolden(`plan/consent-${policy}${undeclared ? `-undeclared-${undeclared}` : ""}.txt`, text(result));
  });

  test("consent from the tier default is printed as such", () => {
    const staging = PRODUCTION_ENV.replace("tier: production", "tier: staging").replace(
      "  consent: ad-storage-granted\n",
      "",
    );
    const result = plan(desiredContainer(loadEnv(staging, { envName: "staging" })), emptyWorkspace(), {});
    expect(text(result)).toContain(
      "Consent:      ad-storage-granted (tier default; reads x-ga-gcs (ad_storage)):",
    );
    expect(text(result)).toContain("default of the staging tier");
  });
});

describe("plan: checks", () => {
  test("a { variable } source naming no variable of the container is an error", () => {
    const desired = desiredContainer(
      loadEnv(
        productionWith(
          "  consent: ad-storage-granted\n  events:\n    purchase:\n      customProperties:\n        order_id: { variable: Transaction ID }\n",
        ),
      ),
    );
    expect(plan(desired, emptyWorkspace(), {}).errors.map((e) => e.code)).toEqual(["missing-variable"]);
    expect(
      plan(desired, { ...emptyWorkspace(), variables: [handMade.variable("Transaction ID")] }, {}).errors,
    ).toEqual([]);
  });

  test("no client named like gtm.clientName in the live version is a warning", () => {
    const desired = production();
    const applied = simulateApply(desired);
    const live = versionOf(applied, ["Universal Analytics", "GA4 client"]);
    const result = plan(desired, { ...applied, liveVersion: live }, {});
    // The GA4 client that is there, under another name, is named too (versionOf types them gaaw_client).
    expect(result.warnings.map((w) => w.code)).toEqual([
      "client-missing",
      "client-not-named",
      "client-not-named",
    ]);
    expect(result.warnings.map(problemMessage)[0]).toContain('clients: "GA4 client", "Universal Analytics"');
    expect(result.warnings.map(problemMessage)[1]).toContain(
      'the container\'s client "GA4 client" (a GA4 client)',
    );
  });

  test("user ids read from id-like event data keys: a warning per source, naming its tags", () => {
    const desired = desiredWithEvents(`    purchase:
      user:
        externalId: { eventData: user_id }
    sign_up:
      event: CompleteRegistration
      user:
        externalId: { eventData: user_id }
    add_to_cart:
      user:
        sha256ExternalId: { eventData: customer.hashedId }
    search:
      user:
        externalId: { eventData: crm.email_key }
    view_item:
      user:
        externalId: { constant: "12345" }
`);
    const warnings = plan(desired, emptyWorkspace(), {}).warnings;
    expect(warnings).toEqual([
      {
        severity: "warning",
        code: "identifier-may-be-number",
        field: "external_id",
        keyPath: "user_id",
        tags: ["TikTok Kit | CompletePayment (purchase)", "TikTok Kit | CompleteRegistration (sign_up)"],
      },
      {
        severity: "warning",
        code: "identifier-may-be-number",
        field: "sha256_external_id",
        keyPath: "customer.hashedId",
        tags: ["TikTok Kit | AddToCart (add_to_cart)"],
      },
    ]);
    expect(problemMessage(warnings[0] as (typeof warnings)[0])).toBe(
      '"TikTok Kit | CompletePayment (purchase)", "TikTok Kit | CompleteRegistration (sign_up)" send event data user_id as external_id: ids often arrive as numbers, and the TikTok template hashes external_id with string functions, so a number makes the whole tag fail (nothing is sent). The server container cannot turn it into a string: make the web side send user_id as a string (e.g. String(id) in the dataLayer push), or map a variable that returns a string.',
    );
    // The kit's own event_id mapping is not a warning: every plan states it (Event ID).
    expect(plan(production(), emptyWorkspace(), {}).warnings).toEqual([]);
  });

  test("plain phones from a source the kit cannot see into, or a constant not in E.164, are a warning", () => {
    const desired = desiredWithEvents(`    purchase:
      user:
        phone: { eventData: user_data.phone_number }
    add_to_cart:
      user:
        phone: { variable: Checkout Phone }
    view_item:
      user:
        phone: { constant: "+491701234567" }
    search:
      user:
        phone: { constant: "+49 170 1234567" }
    sign_up:
      event: CompleteRegistration
      user:
        sha256Phone: { eventData: user_data.sha256_phone_number }
`);
    const warnings = plan(
      desired,
      { ...emptyWorkspace(), variables: [handMade.variable("Checkout Phone")] },
      {},
    ).warnings;
    expect(warnings.map((w) => ("source" in w ? [w.code, w.source, w.tags] : [w.code]))).toEqual([
      ["phone-not-normalised", 'constant "+49 170 1234567"', ["TikTok Kit | Search (search)"]],
      [
        "phone-not-normalised",
        "event data user_data.phone_number",
        ["TikTok Kit | CompletePayment (purchase)"],
      ],
      ["phone-not-normalised", "variable {{Checkout Phone}}", ["TikTok Kit | AddToCart (add_to_cart)"]],
    ]);
    expect(problemMessage(warnings[1] as (typeof warnings)[0])).toBe(
      '"TikTok Kit | CompletePayment (purchase)" sends event data user_data.phone_number as phone: the TikTok template only trims and lower-cases a phone before hashing it, so "+49 170 1234567" and "+491701234567" hash differently and only the E.164 form (+, country code, digits only) matches. Make sure it holds E.164 strings (normalise on the web side), or map sha256Phone with the SHA-256 of the E.164 form.',
    );
  });

  test("every plan states where event_id comes from, and what Pageview needs to deduplicate", () => {
    const withPageview = plan(production(), emptyWorkspace(), {});
    expect(withPageview.environment.deduplication).toEqual({
      eventIdKeyPath: "event_id",
      pageviewEvents: ["page_view"],
      statement: expect.stringContaining(
        "Pageview (page_view): the pixel's page view usually carries no event_id, so send the same event_id with the pixel's page view and the GA4 event, or none with either (TikTok then matches on _ttp)",
      ),
    });
    expect(text(withPageview)).toContain(
      "Event ID:     event_id from event data event_id, sent as it arrives: it must be a string (TikTok answers a number with 40002)",
    );
    const without = desiredContainer(
      loadEnv(productionWith("  consent: not-enforced\n  events:\n    purchase: {}\n")),
    );
    expect(without.environment.deduplication.pageviewEvents).toEqual([]);
    expect(without.environment.deduplication.statement).not.toContain("Pageview");
  });

  test("publish: a matching workspace whose live version lags still needs a publish", () => {
    const desired = production();
    const applied = simulateApply(desired);
    const neverPublished = plan(desired, applied, {});
    expect(neverPublished.hasChanges).toBe(false);
    expect(planDocument(neverPublished).publish).toMatchObject({
      liveDiffers: true,
      reason: "no version of the container has been published yet",
    });
    const stale = plan(desired, { ...applied, liveVersion: versionOf(emptyWorkspace()) }, {});
    expect(stale.publish.liveDiffers).toBe(true);
    expect(publishReason(stale.publish.live)).toMatch(
      /differs from the desired entities: variable "TikTok Kit \| Access Token", .* and \d+ more$/,
    );
    expect(text(stale)).toContain("Publish: the container matches, but the live version (7) differs");
  });

  describe("deleting an owned entity that hand-made entities still use is an error", () => {
    const SEARCH_VARIABLE = SEARCH.variable;
    const SEARCH_TRIGGER = SEARCH.trigger;
    const withSearch = SEARCH.before();
    const withoutSearch = SEARCH.after();
    /** The kit's workspace for `withSearch`, plus hand-made entities. */
    const applied = (extra: Partial<ActualWorkspace>): ActualWorkspace =>
      withHandMade(simulateApply(withSearch), extra);
    const idOf = (workspace: ActualWorkspace, name: string) =>
      workspace.triggers.find((t) => t.name === name)?.triggerId as string;

    test("a {{variable}} in a nested map value of a hand-made tag, or a hand-made trigger's condition", () => {
      const ga4Search = handMade.mapReference(SEARCH_VARIABLE);
      const longSearches = handMade.conditionOn(SEARCH_VARIABLE);
      const result = plan(withoutSearch, applied({ tags: [ga4Search], triggers: [longSearches] }), {
        tokenHash,
      });
      expect(result.changes.map((c) => `${c.action} ${c.name}`)).toContain(`delete ${SEARCH_VARIABLE}`);
      expect(planDocument(result).errors).toEqual([
        {
          code: "still-referenced",
          kind: "variable",
          name: SEARCH_VARIABLE,
          message: expect.stringContaining(
            `use it as {{${SEARCH_VARIABLE}}}: tag "GA4 search", trigger "Long searches".`,
          ),
        },
      ]);
      expect(result.errors.map(problemMessage)[0]).toContain(
        "Fix: remove the reference in GTM, or keep the event in the environment file.",
      );
      expectGolden("plan/still-referenced.txt", text(result));
    });

    test("a hand-made tag firing on (or blocked by) a kit trigger to delete", () => {
      const base = applied({});
      const id = idOf(base, SEARCH_TRIGGER);
      const firing: Tag = { ...handMade.ga4Tag(), name: "GA4 search", firingTriggerId: [id] };
      const blocked: Tag = {
        ...handMade.ga4Tag(),
        tagId: "12",
        name: "GA4 not on search",
        firingTriggerId: ["2147479553"],
        blockingTriggerId: [id],
      };
      const result = plan(withoutSearch, applied({ tags: [firing, blocked] }), { tokenHash });
      expect(result.errors.map((e) => [e.code, "kind" in e && e.kind, "name" in e && e.name])).toEqual([
        ["still-referenced", "trigger", SEARCH_TRIGGER],
      ]);
      expect(result.errors.map(problemMessage)[0]).toContain(
        `delete trigger "${SEARCH_TRIGGER}" (no longer in the configuration), but hand-made entities still use it: tag "GA4 not on search", tag "GA4 search".`,
      );
    });

    test("no error when nothing hand-made uses it, or only uses entities the kit keeps", () => {
      const pixel: Tag = {
        ...handMade.ga4Tag(),
        name: "Uses the pixel id",
        parameter: [{ type: "TEMPLATE", key: "pixel", value: "{{TikTok Kit | Pixel ID}}" }],
        firingTriggerId: [idOf(applied({}), "TikTok Kit | Event Name is purchase")],
      };
      const result = plan(
        withoutSearch,
        applied({ tags: [handMade.ga4Tag(), pixel], triggers: [handMade.ga4Trigger()] }),
        { tokenHash },
      );
      expect(result.summary.delete).toBe(3);
      expect(result.errors).toEqual([]);
    });
  });

  test("basis: stable for the same state, different when anything read changes", () => {
    const desired = production();
    const applied = simulateApply(desired);
    const basis = plan(desired, applied, {}).basis;
    expect(basis).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(plan(desired, simulateApply(desired), { tokenHash }).basis).toBe(basis);
    expect(computeBasis(applied, ACCESS_TOKEN_VARIABLE)).toBe(basis);
    const touched = editTag(applied, "TikTok Kit | Pageview (page_view)", (t) => ({
      ...t,
      fingerprint: "999",
    }));
    expect(computeBasis(touched, ACCESS_TOKEN_VARIABLE)).not.toBe(basis);
    const handAdded = { ...applied, variables: [...applied.variables, handMade.variable()] };
    expect(computeBasis(handAdded, ACCESS_TOKEN_VARIABLE)).not.toBe(basis);
    const rotated = simulateApply(desired, { token: "rotated" });
    expect(computeBasis(rotated, ACCESS_TOKEN_VARIABLE)).not.toBe(basis);
  });
});

describe("plan: a TikTok template that does not name its tag type", () => {
  /** The workspace after an apply, but its template no longer tells its type (no id, no gallery id). */
  function untyped(workspace: ActualWorkspace): ActualWorkspace {
    const strip = (t: ActualWorkspace["templates"][number]) => ({
      ...t,
      templateData: '___INFO___\n\n{"type": "TAG", "id": "cvt_temp_public_id"}\n',
      galleryReference: { ...t.galleryReference, galleryTemplateId: undefined },
    });
    const templates = workspace.templates.map(strip);
    return {
      ...workspace,
      templates,
      ...(workspace.liveVersion
        ? { liveVersion: { ...workspace.liveVersion, customTemplate: templates } }
        : {}),
    };
  }

  test("the type the kit's own tags carry is the template's: nothing changes, no warning", () => {
    const desired = production();
    const result = plan(desired, untyped(simulateApply(desired, { publish: true })), { tokenHash });
    // Before: the type was called unknown, with a warning on every plan.
    expect(result.template).toMatchObject({ action: "reuse", templateId: "50", tagType: "cvt_5TP8W" });
    expect(result.changes).toEqual([]);
    expect(result.publish.liveDiffers).toBe(false);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  test("an update for another reason keeps the type the tags have", () => {
    const desired = production();
    const applied = untyped(simulateApply(desired, { publish: true }));
    const name = "TikTok Kit | AddToCart (add_to_cart)";
    const result = plan(
      desired,
      editTag(applied, name, (tag) => ({ ...tag, paused: true })),
      { tokenHash },
    );
    expect(result.changes.map((c) => [c.action, c.name])).toEqual([["update", name]]);
    const [update] = result.changes;
    expect(update && "body" in update && update.body.type).toBe("cvt_5TP8W");
    expect(result.changes[0]?.diff.map((d) => d.field)).toEqual(["paused"]);
  });

  test("no tags yet: GTM's form for a template without a gallery id, cvt_<containerId>_<templateId>", () => {
    const desired = production();
    const template = untyped({ ...emptyWorkspace(), templates: [galleryTemplate()] });
    const result = plan(desired, template, {});
    // Before: an error (template-type-unknown) refused the whole plan.
    expect(result.template).toMatchObject({ action: "reuse", tagType: `cvt_${CONTAINER_ID}_50` });
    expect(result.errors).toEqual([]);
    const tags = result.changes.filter((c) => c.kind === "tag");
    expect(tags.length).toBeGreaterThan(0);
    expect(tags.every((c) => "body" in c && c.body.type === `cvt_${CONTAINER_ID}_50`)).toBe(true);
  });

  test("the kit's own review export (placeholder types) or blank container ids: unknown, and creating tags is an error", () => {
    const desired = production();
    const blankIds = untyped({ ...emptyWorkspace(), containerId: "", templates: [galleryTemplate()] });
    const result = plan(desired, blankIds, {});
    expect(result.template.tagType).toBeUndefined();
    expect(planDocument(result).errors).toEqual([
      expect.objectContaining({
        code: "template-type-unknown",
        message: expect.stringContaining(
          'so the kit cannot write the tags "TikTok Kit | AddToCart (add_to_cart)", "TikTok Kit | CompletePayment (purchase)", "TikTok Kit | Pageview (page_view)"',
        ),
      }),
    ]);
    const tags = result.changes.filter((c) => c.kind === "tag");
    expect(tags.every((c) => "body" in c && c.body.type === TAG_TYPE_PLACEHOLDER)).toBe(true);
  });

  test("a known type still updates a tag of the wrong type (the fallback is not a blanket pass)", () => {
    const desired = production();
    const applied = simulateApply(desired, { publish: true });
    const name = "TikTok Kit | AddToCart (add_to_cart)";
    const result = plan(
      desired,
      editTag(applied, name, (tag) => ({ ...tag, type: "cvt_OTHER" })),
      {
        tokenHash,
      },
    );
    expect(result.changes.map((c) => [c.action, c.name])).toEqual([["update", name]]);
    expect(result.changes[0]?.diff).toEqual([{ field: "type", before: "cvt_OTHER", after: "cvt_5TP8W" }]);
  });
});

describe("plan: properties", () => {
  const GA4 = [
    "add_to_cart",
    "begin_checkout",
    "page_view",
    "purchase",
    "search",
    "view_item",
    "sign_up",
    "login",
  ];
  const source = fc.oneof(
    fc
      .constantFrom("value", "currency", "items.0.id", "user_data.email_address")
      .map((eventData) => ({ eventData })),
    fc.constantFrom("EUR", "USD", "12.50", '[{"content_id":"1"}]').map((constant) => ({ constant })),
  );
  const event = (ga4Event: string) =>
    fc
      .record({
        tiktokEvent: fc.constantFrom(
          "Purchase",
          "ViewContent",
          "AddToCart",
          "Lead",
          "Search",
          "MyCustomEvent",
        ),
        custom: fc.boolean(),
        properties: fc.oneof(
          fc.constant({ source: "ga" as const }),
          fc.record(
            {
              source: fc.constant("custom" as const),
              value: source,
              currency: source,
              contents: source,
            },
            { requiredKeys: ["source"] },
          ),
        ),
        customProperties: fc.dictionary(fc.constantFrom("order_id", "coupon", "shipping"), source, {
          maxKeys: 2,
        }),
        contentType: fc.option(fc.constantFrom("product" as const, "product_group" as const), {
          nil: undefined,
        }),
        contentIds: fc.option(source, { nil: undefined }),
        // One group per tag: the config rule rejects plain and hashed fields in one event.
        user: fc.oneof(
          fc.record({ email: source, phone: source, externalId: source }, { requiredKeys: [] }),
          fc.record(
            { sha256Email: source, sha256Phone: source, sha256ExternalId: source },
            { requiredKeys: [] },
          ),
        ),
      })
      .map((e): ResolvedEvent => ({ ga4Event, customGa4Event: e.custom, ...e }));
  const environment = fc
    .record({
      events: fc.subarray(GA4, { minLength: 1 }).chain((names) => fc.tuple(...names.map(event))),
      consent: fc.constantFrom(
        "ad-storage-granted" as const,
        "ad-user-data-granted" as const,
        "block-if-denied" as const,
        "not-enforced" as const,
      ),
      consentUndeclared: fc.constantFrom("send" as const, "block" as const),
      consentUndeclaredExplicit: fc.boolean(),
      tagLayout: fc.constantFrom("per-event" as const, "single" as const),
      pixelEventNames: fc.constantFrom("current" as const, "legacy" as const),
      clients: fc.constantFrom(
        [{ name: "GA4", consentFrom: "x-ga-gcs" as const }],
        [{ name: "My GA4 Client", consentFrom: "x-ga-gcs" as const }],
        [
          { name: "GA4", consentFrom: "x-ga-gcs" as const },
          { name: "Data Client", consentFrom: "consent_state" as const },
        ],
        [{ name: "Data Client", consentFrom: "consent_state" as const }],
      ),
    })
    .map(({ events, consent, tagLayout, pixelEventNames, clients, ...undeclared }): EnvironmentConfig => {
      const base = loadEnvCached();
      return {
        ...base,
        gtm: { ...base.gtm, clients },
        tiktok: {
          ...base.tiktok,
          consent,
          ...undeclared,
          tagLayout,
          pixelEventNames,
          // Single layout rejects per-event overrides (the config validation does): mirror it.
          events:
            tagLayout === "single"
              ? events.map((e) => ({
                  ...e,
                  properties: { source: "ga" as const },
                  customProperties: {},
                  contentType: undefined,
                  contentIds: undefined,
                  user: {},
                }))
              : events,
        },
      };
    });

  /** The event SELECT holds an option, or a reference to a kit constant holding the name (or the lookup). */
  function expectEventFieldsValid(desired: DesiredContainer): void {
    const options = new Set<string>(TIKTOK_TEMPLATE_EVENT_OPTIONS);
    const constants = new Map(
      desired.variables
        .filter((v) => v.type === "c")
        .map((v) => [reference(v.name), v.parameter.find((p) => p.key === "value")?.value] as const),
    );
    for (const tag of desired.tags) {
      const value = tag.parameter.find((p) => p.key === "event")?.value as string;
      if (value === reference(EVENT_LOOKUP_VARIABLE)) continue;
      const tiktokEvent = tag.name.match(/^TikTok Kit \| (.+) \([^)]+\)$/)?.[1];
      if (options.has(value)) expect(value).toBe(tiktokEvent);
      else expect(constants.get(value)).toBe(tiktokEvent);
    }
  }

  /** Every tag fits the template's real fields as the fake declares them (hash with user fields, ...). */
  function expectTemplateFieldsFit(desired: DesiredContainer): void {
    for (const tag of desired.tags) {
      const body = toApiBody("tag", withTagType(tag, "cvt_5TP8W"), {
        triggerIds: new Map(tag.firingTriggerNames.map((name) => [name, "1"])),
      });
      expect(
        templateParameterProblem(TIKTOK_TEMPLATE_FIELDS, body.parameter ?? [], "cvt_5TP8W"),
      ).toBeUndefined();
    }
  }

  test("plan(desired, what an apply of desired leaves) has no changes, for random event maps", () => {
    fc.assert(
      fc.property(environment, (env) => {
        const desired = desiredContainer(env);
        expectEventFieldsValid(desired);
        expectTemplateFieldsFit(desired);
        const result = plan(desired, simulateApply(desired, { publish: true }), { tokenHash });
        expect(result.changes).toEqual([]);
        expect(result.hasChanges).toBe(false);
        expect(result.publish.liveDiffers).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  test("normalize is idempotent and blind to enum casing, order and server defaults", () => {
    fc.assert(
      fc.property(environment, fc.integer({ min: 0, max: 1000 }), (env, seed) => {
        const desired = desiredContainer(env);
        const applied = simulateApply(desired);
        for (const tag of applied.tags) {
          const once = normalizeEntity("tag", tag);
          expect(normalizeEntity("tag", once)).toEqual(once);
          expect(normalizeEntity("tag", shout(tag, seed))).toEqual(once);
        }
        for (const trigger of applied.triggers) {
          const once = normalizeEntity("trigger", trigger);
          expect(normalizeEntity("trigger", once)).toEqual(once);
          expect(normalizeEntity("trigger", shout(trigger, seed))).toEqual(once);
        }
        for (const variable of applied.variables) {
          const once = normalizeEntity("variable", variable);
          expect(normalizeEntity("variable", once)).toEqual(once);
          expect(normalizeEntity("variable", shout(variable, seed))).toEqual(once);
        }
      }),
      { numRuns: 40 },
    );
  });
});

let cachedEnv: EnvironmentConfig | undefined;
function loadEnvCached(): EnvironmentConfig {
  cachedEnv ??= loadEnv(PRODUCTION_ENV);
  return cachedEnv;
}

/**
 * The same entity as a UI export writes it: UPPER_SNAKE enums, the server's defaults spelled out,
 * parameters and conditions in another order (rotated by `seed`).
 */
function shout<T extends object>(entity: T, seed: number): T {
  const upper = (v: string) => v.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
  const rotate = <X>(list: X[]) =>
    list.length > 0 ? [...list.slice(seed % list.length), ...list.slice(0, seed % list.length)] : list;
  const parameter = (p: Record<string, unknown>): Record<string, unknown> => ({
    ...p,
    type: upper(String(p.type)),
    ...(Array.isArray(p.list) ? { list: p.list.map(parameter) } : {}),
    ...(Array.isArray(p.map) ? { map: rotate(p.map.map(parameter)) } : {}),
  });
  const condition = (c: Record<string, unknown>) => ({
    type: upper(String(c.type)),
    parameter: rotate((c.parameter as Record<string, unknown>[]).map(parameter)),
  });
  const e = entity as Record<string, unknown>;
  const out: Record<string, unknown> = { ...e };
  if (Array.isArray(e.parameter)) out.parameter = rotate(e.parameter.map(parameter));
  if (Array.isArray(e.filter)) out.filter = rotate(e.filter.map(condition));
  if (Array.isArray(e.customEventFilter)) out.customEventFilter = e.customEventFilter.map(condition);
  if (typeof e.tagFiringOption === "string") out.tagFiringOption = upper(e.tagFiringOption);
  if ("tagId" in e) {
    out.monitoringMetadata = { type: "MAP" };
    out.consentSettings = { consentStatus: "NOT_SET" };
    out.paused = false;
  }
  if ("triggerId" in e) out.type = upper(String(e.type));
  if ("variableId" in e)
    out.parameter = [
      ...(out.parameter as unknown[]),
      { type: "BOOLEAN", key: "setDefaultValue", value: "false" },
    ];
  return out as T;
}

test("the fixtures' container id is the plan's", () => {
  expect(plan(production(), emptyWorkspace(), {}).environment.containerId).toBe(CONTAINER_ID);
});
