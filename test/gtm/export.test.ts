import type { Parameter } from "../../src/gtm/core/api";
import { TAG_TYPE_PLACEHOLDER } from "../../src/gtm/core/tiktok-template";
import { fromGtmExport, GtmExportError, renderGtmExport, toGtmExport } from "../../src/gtm/export";
import { desiredContainer } from "../../src/gtm/model/desired";
import { plan } from "../../src/gtm/plan";
import { renderText } from "../../src/gtm/render";
import { problemMessage } from "../../src/gtm/render/wording";
import { expectGolden, loadEnv, PRODUCTION_ENV, productionWith, TOKEN_SENTINEL } from "./fixtures";

const production = () => desiredContainer(loadEnv(PRODUCTION_ENV));

/** Every parameter, condition parameter included, at any depth. */
function allParameters(value: unknown): Parameter[] {
  if (Array.isArray(value)) return value.flatMap(allParameters);
  if (!value || typeof value !== "object") return [];
  const record = value as Record<string, unknown>;
  const own =
    "type" in record && ("key" in record || "value" in record || "list" in record || "map" in record)
      ? [record as Parameter]
      : [];
  return [...own, ...Object.values(record).flatMap(allParameters)];
}

describe("toGtmExport", () => {
  test("golden: GTM's export format with UPPER_SNAKE enums", () => {
    expectGolden("export/production.json.txt", renderGtmExport(production(), { tagType: "cvt_5TP8W" }));
    expectGolden(
      "export/single-layout.json.txt",
      renderGtmExport(
        desiredContainer(loadEnv(productionWith("  consent: block-if-denied\n  tagLayout: single\n"))),
      ),
    );
  });

  test("enums in UPPER_SNAKE as real exports write them; variable types stay short codes", () => {
    const { containerVersion } = toGtmExport(production(), { tagType: "cvt_5TP8W" });
    expect(containerVersion.trigger?.map((t) => t.type)).toEqual([
      "CUSTOM_EVENT",
      "CUSTOM_EVENT",
      "CUSTOM_EVENT",
    ]);
    expect(
      new Set(
        containerVersion.trigger?.flatMap((t) =>
          [...(t.customEventFilter ?? []), ...(t.filter ?? [])].map((c) => c.type),
        ),
      ),
    ).toEqual(new Set(["EQUALS", "STARTS_WITH"]));
    expect(new Set(allParameters(containerVersion).map((p) => p.type))).toEqual(
      new Set(["TEMPLATE", "LIST", "MAP"]),
    );
    expect(new Set(containerVersion.variable?.map((v) => v.type))).toEqual(new Set(["c", "ed"]));
    expect(
      containerVersion.tag?.every((t) => t.tagFiringOption === "ONCE_PER_EVENT" && t.type === "cvt_5TP8W"),
    ).toBe(true);
    expect(containerVersion.builtInVariable?.map((b) => [b.type, b.name])).toEqual([
      ["CLIENT_NAME", "Client Name"],
      ["EVENT_NAME", "Event Name"],
    ]);
    expect(containerVersion.customTemplate?.[0]?.galleryReference).toEqual({
      host: "github.com",
      owner: "tiktok",
      repository: "gtm-template-eapi",
      version: "908cfa1f15a7af0d00d5859f98daaa75940225c9",
      galleryTemplateId: "5TP8W",
    });
  });

  test("tags point at their triggers by the ids of the file; the placeholder stays without a type", () => {
    const { containerVersion } = toGtmExport(production());
    const triggerIds = new Map(containerVersion.trigger?.map((t) => [t.name, t.triggerId]));
    for (const tag of containerVersion.tag ?? []) {
      expect(tag.type).toBe(TAG_TYPE_PLACEHOLDER);
      const event = tag.name?.match(/\((\w+)\)$/)?.[1];
      expect(tag.firingTriggerId).toEqual([triggerIds.get(`TikTok Kit | Event Name is ${event}`)]);
    }
  });

  test("the token is redacted", () => {
    const text = renderGtmExport(production());
    const token = toGtmExport(production()).containerVersion.variable?.find(
      (v) => v.name === "TikTok Kit | Access Token",
    );
    expect(token?.parameter).toEqual([{ type: "TEMPLATE", key: "value", value: "(sensitive)" }]);
    expect(text).not.toContain(TOKEN_SENTINEL);
    expect(text).not.toContain("tiktokAccessToken");
  });

  test("round trip: a plan against the kit's own export has no changes", () => {
    const desired = production();
    const exported = JSON.parse(renderGtmExport(desired, { tagType: "cvt_5TP8W" }));
    const result = plan(desired, fromGtmExport(exported, "desired.json"), {});
    expect(result.template).toMatchObject({ action: "reuse", tagType: "cvt_5TP8W" });
    expect(result.changes).toEqual([]);
    expect(result.builtIns).toEqual([]);
    expect(result.publish.liveDiffers).toBe(false);
  });
});

describe("toGtmExport: a review artefact, not an import file", () => {
  test("the description says it cannot be imported as is, and why: redacted token, placeholder type", () => {
    const { description } = toGtmExport(production()).containerVersion;
    expect(description).toContain("a review artefact that cannot be imported into GTM as is");
    expect(description).toContain("The access token is redacted as (sensitive)");
    expect(description).toContain(`the tags carry the placeholder type ${TAG_TYPE_PLACEHOLDER}`);
  });

  test("with a known tag type, the tags get it and the description names it instead of the placeholder", () => {
    const { containerVersion } = toGtmExport(production(), { tagType: "cvt_5TP8W" });
    expect(containerVersion.tag?.map((t) => t.type)).toEqual(["cvt_5TP8W", "cvt_5TP8W", "cvt_5TP8W"]);
    expect(containerVersion.description).toContain("cannot be imported into GTM as is");
    expect(containerVersion.description).toContain(
      "the tags carry the tag type cvt_5TP8W of the TikTok template in container 123456789",
    );
    expect(containerVersion.description).not.toContain(TAG_TYPE_PLACEHOLDER);
  });

  test("round trip without a tag type: the type is unknown, a warning says so, nothing changes", () => {
    const desired = production();
    const exported = JSON.parse(renderGtmExport(desired));
    const result = plan(desired, fromGtmExport(exported, "desired.json"), {});
    expect(result.template).toMatchObject({ action: "reuse" });
    expect(result.template.tagType).toBeUndefined();
    // Before: the raw-data fallback cvt_<containerId>_<templateId> made every tag an update.
    expect(result.changes).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.code)).toEqual(["template-type-unknown"]);
    expect(result.publish.liveDiffers).toBe(false);
  });

  test.each([
    ["per-event", productionWith("  consent: block-if-denied\n  pixelEventNames: current\n")],
    ["single", productionWith("  consent: block-if-denied\n  tagLayout: single\n")],
  ])("round trip without a tag type, %s layout: no tag update", (_label, yaml) => {
    const desired = desiredContainer(loadEnv(yaml));
    const result = plan(desired, fromGtmExport(renderGtmExport(desired), "desired.json"), {});
    expect(result.changes).toEqual([]);
    expect(result.errors).toEqual([]);
  });
});

describe("fromGtmExport", () => {
  /** A container exported from GTM's UI after following the article by hand. */
  const uiExport = {
    exportFormatVersion: 2,
    exportTime: "2026-01-05 10:16:02",
    containerVersion: {
      path: "accounts/6012345678/containers/123456789/versions/4",
      accountId: "6012345678",
      containerId: "123456789",
      containerVersionId: "4",
      tag: [
        {
          accountId: "6012345678",
          containerId: "123456789",
          tagId: "21",
          name: "TikTok - CompletePayment",
          type: "cvt_KX8Q2",
          parameter: [
            { type: "TEMPLATE", key: "pixel_code", value: "C4A1B2C3D4E5F6G7H8I9" },
            { type: "TEMPLATE", key: "access_token", value: TOKEN_SENTINEL },
            { type: "TEMPLATE", key: "event", value: "CompletePayment" },
          ],
          fingerprint: "1700000000000",
          firingTriggerId: ["20"],
          tagFiringOption: "ONCE_PER_EVENT",
          monitoringMetadata: { type: "MAP" },
          consentSettings: { consentStatus: "NOT_SET" },
        },
      ],
      trigger: [
        {
          accountId: "6012345678",
          containerId: "123456789",
          triggerId: "20",
          name: "Event purchase",
          type: "CUSTOM_EVENT",
          customEventFilter: [
            {
              type: "EQUALS",
              parameter: [
                { type: "TEMPLATE", key: "arg0", value: "{{_event}}" },
                { type: "TEMPLATE", key: "arg1", value: "purchase" },
              ],
            },
          ],
          fingerprint: "1700000000000",
        },
      ],
      variable: [],
      builtInVariable: [
        { accountId: "6012345678", containerId: "123456789", type: "EVENT_NAME", name: "Event Name" },
      ],
      customTemplate: [
        {
          accountId: "6012345678",
          containerId: "123456789",
          templateId: "9",
          name: "TikTok Events API (Official)",
          fingerprint: "1700000000000",
          templateData: '___INFO___\n\n{"type": "TAG", "id": "cvt_temp_public_id"}\n',
          galleryReference: {
            host: "github.com",
            owner: "tiktok",
            repository: "gtm-template-eapi",
            version: "908cfa1f15a7af0d00d5859f98daaa75940225c9",
            galleryTemplateId: "KX8Q2",
          },
        },
      ],
      client: [{ clientId: "2", name: "GA4", type: "gaaw_client" }],
    },
  };

  test("plans against a UI export: the tag type comes from the template in the file", () => {
    const result = plan(production(), fromGtmExport(JSON.stringify(uiExport), "container.json"), {});
    expect(result.template).toMatchObject({ action: "reuse", templateId: "9", tagType: "cvt_KX8Q2" });
    expect(result.builtIns).toEqual(["clientName"]);
    expect(result.warnings.map((w) => w.code)).toEqual(["double-sending"]);
    const output = renderText(result, { color: false });
    expect(output).not.toContain(TOKEN_SENTINEL);
    expectGolden("export/plan-from-ui-export.txt", output);
  });

  test("an export of another container is a warning naming both containers", () => {
    const other = {
      ...uiExport,
      containerVersion: {
        ...uiExport.containerVersion,
        containerId: "987654321",
        container: { containerId: "987654321", publicId: "GTM-OTHER1" },
      },
    };
    const result = plan(production(), fromGtmExport(JSON.stringify(other), "container.json"), {});
    expect(result.warnings.map((w) => w.code)).toEqual(["container-mismatch", "double-sending"]);
    expect(result.warnings.map(problemMessage)[0]).toContain(
      "the container read is 987654321 (GTM-OTHER1), not the environment's container 123456789 (gtm.containerId)",
    );
    expect(result.errors).toEqual([]);
  });

  test("an export whose ids are blank is a warning saying the container cannot be checked", () => {
    const blank = {
      ...uiExport,
      containerVersion: {
        ...uiExport.containerVersion,
        accountId: "",
        containerId: "",
        container: { accountId: "", containerId: "", publicId: "GTM-SHOP1" },
      },
    };
    const result = plan(production(), fromGtmExport(JSON.stringify(blank), "container.json"), {});
    // Before: the mismatch check skipped it in silence.
    expect(result.warnings.map((w) => w.code)).toContain("container-unnamed");
    expect(result.warnings.map(problemMessage).join("\n")).toContain(
      "the container read names no container id (its accountId and containerId are blank; it calls itself GTM-SHOP1)",
    );
  });

  test("a byte-order mark before the JSON is read", () => {
    const read = fromGtmExport(`\uFEFF${JSON.stringify(uiExport)}`, "container.json");
    expect(read.containerId).toBe("123456789");
  });

  test.each([
    ["not JSON", "{ nope", /^container\.json: not a GTM container export: not valid JSON/],
    [
      "an array",
      "[]",
      /^container\.json: not a GTM container export: expected a JSON object .* \(got an array\)/,
    ],
    [
      "missing containerVersion",
      '{"exportFormatVersion": 2}',
      /^container\.json: not a GTM container export: missing "containerVersion"/,
    ],
    ["missing both", '{"name": "x"}', /missing "exportFormatVersion" and "containerVersion"/],
    [
      "another format version",
      '{"exportFormatVersion": 1, "containerVersion": {}}',
      /exportFormatVersion is 1 \(expected 2\)/,
    ],
    [
      "a list that is not a list",
      '{"exportFormatVersion": 2, "containerVersion": {"tag": {}}}',
      /"containerVersion\.tag" is not a list/,
    ],
  ])("names the file and what is missing: %s", (_label, content, message) => {
    expect(() => fromGtmExport(content, "container.json")).toThrow(GtmExportError);
    expect(() => fromGtmExport(content, "container.json")).toThrow(message);
    expect(() => fromGtmExport(content, "container.json")).toThrow(/Admin > Export Container/);
  });
});
