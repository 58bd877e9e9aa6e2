import { templateTagTypes } from "../../src/gtm/core/template-types";
import {
  senderEvidence,
  sendHttpPermission,
  TIKTOK_EVENTS_API_URL,
  urlPatternMatches,
} from "../../src/gtm/core/tiktok-senders";
import { buildTemplateData } from "../../src/gtm/fake/gallery";
import { galleryTemplate, rawTemplate, stapeTemplate } from "./fixtures";

describe("send_http URL patterns, as templates declare them", () => {
  test.each([
    ["https://*.tiktok.com/*", true], // the official template's
    ["https://business-api.tiktok.com/", true], // Stape's
    ["https://business-api.tiktok.com/open_api/*", true],
    ["https://graph.facebook.com/", false],
    ["https://*.tiktok.com.evil.example/*", false],
    ["http://business-api.tiktok.com/", false],
    ["https://business-api.tiktok.com/open_api/v1.2/", false],
  ])("%s allows the Events API: %s", (pattern, allowed) => {
    expect(urlPatternMatches(pattern, TIKTOK_EVENTS_API_URL)).toBe(allowed);
  });

  test("the permission is read from ___SERVER_PERMISSIONS___: specific URLs, any URL, or none", () => {
    const data = (sendHttp?: "any" | string[]) =>
      buildTemplateData({
        id: "cvt_temp_public_id",
        displayName: "x",
        fields: [],
        ...(sendHttp ? { sendHttp } : {}),
      });
    expect(sendHttpPermission(data(["https://a.example/", "https://b.example/*"]))).toEqual([
      "https://a.example/",
      "https://b.example/*",
    ]);
    expect(sendHttpPermission(data("any"))).toBe("any");
    expect(sendHttpPermission(data())).toBeUndefined();
    expect(sendHttpPermission("___SERVER_PERMISSIONS___\n\nnot json\n")).toBeUndefined();
  });

  test("evidence: a known repository, a permission that reaches TikTok, any URL, or none", () => {
    expect(senderEvidence(galleryTemplate())).toBe("known");
    expect(senderEvidence(stapeTemplate())).toBe("known");
    expect(senderEvidence(rawTemplate("1", "Own", ["https://*.tiktok.com/*"]))).toBe("permitted");
    expect(senderEvidence(rawTemplate("2", "HTTP", "any"))).toBe("any-url");
    expect(senderEvidence(rawTemplate("3", "Meta", ["https://graph.facebook.com/"]))).toBeUndefined();
    expect(senderEvidence(rawTemplate("4", "Nothing"))).toBeUndefined();
  });
});

describe("templateTagTypes: both forms GTM gives a template's tags", () => {
  test("a gallery import: its resolved ___INFO___ id (= cvt_<galleryTemplateId>) and the local form", () => {
    expect(templateTagTypes(galleryTemplate({ templateId: "50" }), "123")).toEqual([
      "cvt_5TP8W",
      "cvt_123_50",
    ]);
  });

  test("a template without a gallery template id: the local form only; blank ids give none", () => {
    expect(templateTagTypes(rawTemplate("31", "Own"), "123")).toEqual(["cvt_123_31"]);
    expect(templateTagTypes(rawTemplate("31", "Own"), "")).toEqual([]);
  });
});
