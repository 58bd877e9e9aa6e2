import { templateNameClash } from "../../../src/gtm/plan/checks/template-name-clash";
import { galleryTemplate } from "../fixtures";
import { checkInput, onlyMessage } from "./input";

/** A template made by hand (or added from a file) under the official template's name. */
const namedLikeIt = {
  templateId: "12",
  name: "TikTok Events API (Official)",
  templateData: '___INFO___\n\n{"type": "TAG", "id": "cvt_temp_public_id"}\n',
};

describe("templateNameClash", () => {
  it("passes when the gallery template is there (reused), or nothing has its name", () => {
    expect(
      templateNameClash(checkInput({ templates: [galleryTemplate(), { ...namedLikeIt, name: "Mine" }] })),
    ).toEqual([]);
    expect(
      templateNameClash(checkInput({ templates: [{ ...namedLikeIt, name: "TikTok (by hand)" }] })),
    ).toEqual([]);
    expect(templateNameClash(checkInput())).toEqual([]);
  });

  it("is an error when a template without the gallery reference has the name the import gives", () => {
    const problems = templateNameClash(checkInput({ templates: [namedLikeIt] }));
    expect(problems).toEqual([
      {
        severity: "error",
        code: "template-name-clash",
        kind: "template",
        name: "TikTok Events API (Official)",
        templateId: "12",
        gallery: "tiktok/gtm-template-eapi",
      },
    ]);
    expect(onlyMessage(problems)).toBe(
      'the template "TikTok Events API (Official)" (template 12) is not the gallery\'s tiktok/gtm-template-eapi (it has no gallery reference: made by hand, or added from a file), yet has the name the gallery import gives: GTM would refuse the import as a duplicate name. Rename that template in GTM (Templates); its tags keep working, and the kit then imports tiktok/gtm-template-eapi next to it.',
    );
  });

  it("names the repository a same-named template of another gallery entry comes from", () => {
    const fork = {
      ...namedLikeIt,
      galleryReference: { host: "github.com", owner: "someone", repository: "tiktok-fork" },
    };
    expect(onlyMessage(templateNameClash(checkInput({ templates: [fork] })))).toContain(
      "(it comes from someone/tiktok-fork)",
    );
  });
});
