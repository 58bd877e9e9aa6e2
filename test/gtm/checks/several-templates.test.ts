import type { CustomTemplate } from "../../../src/gtm/core/api";
import { severalTemplates } from "../../../src/gtm/plan/checks/several-templates";
import { galleryTemplate } from "../fixtures";
import { checkInput, onlyMessage } from "./input";

const named = (templateId: string, name: string): CustomTemplate => ({
  ...galleryTemplate({ templateId }),
  name,
});

describe("severalTemplates", () => {
  it("passes with no TikTok template, or one, next to templates of other galleries", () => {
    const other: CustomTemplate = {
      ...galleryTemplate({ templateId: "3" }),
      name: "Other vendor",
      galleryReference: { owner: "someone", repository: "other-template" },
    };
    expect(severalTemplates(checkInput())).toEqual([]);
    expect(severalTemplates(checkInput({ templates: [other] }))).toEqual([]);
    expect(severalTemplates(checkInput({ templates: [other, galleryTemplate()] }))).toEqual([]);
  });

  it("warns of several, naming them oldest first (numeric template ids) and the one used", () => {
    const templates = [named("10", "TikTok copy"), named("9", "TikTok"), named("50", "TikTok again")];
    const problems = severalTemplates(checkInput({ templates }));
    expect(problems).toEqual([
      {
        severity: "warning",
        code: "several-templates",
        kind: "template",
        names: ["TikTok", "TikTok copy", "TikTok again"],
        used: "TikTok",
      },
    ]);
    expect(onlyMessage(problems)).toBe(
      'the workspace holds 3 TikTok gallery templates ("TikTok", "TikTok copy", "TikTok again"); the kit uses the oldest, "TikTok"',
    );
  });

  it("recognises the gallery by owner and repository in any case", () => {
    const shouted = named("60", "Shouted");
    shouted.galleryReference = {
      ...shouted.galleryReference,
      owner: "TikTok",
      repository: "GTM-Template-EAPI",
    };
    expect(severalTemplates(checkInput({ templates: [galleryTemplate(), shouted] }))).toMatchObject([
      { names: ["TikTok Events API (Official)", "Shouted"] },
    ]);
  });
});
