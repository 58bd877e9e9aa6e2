import { TIKTOK_GALLERY } from "../../../src/gtm/core/tiktok-template";
import { templateVersion } from "../../../src/gtm/plan/checks/template-version";
import { galleryTemplate } from "../fixtures";
import { checkInput, onlyMessage } from "./input";

const OLDER = "0123456789abcdef0123456789abcdef01234567";

describe("templateVersion", () => {
  it("passes with no template (it is imported at the pinned sha) or one at the pinned sha", () => {
    expect(templateVersion(checkInput())).toEqual([]);
    expect(templateVersion(checkInput({ templates: [galleryTemplate()] }))).toEqual([]);
  });

  it("passes when the gallery reference has no version", () => {
    const template = galleryTemplate();
    template.galleryReference = { ...template.galleryReference, version: undefined };
    expect(templateVersion(checkInput({ templates: [template] }))).toEqual([]);
  });

  it("warns of another sha, with both shas shortened in the message", () => {
    const problems = templateVersion(checkInput({ templates: [galleryTemplate({ version: OLDER })] }));
    expect(problems).toEqual([
      {
        severity: "warning",
        code: "template-version",
        kind: "template",
        name: "TikTok Events API (Official)",
        version: OLDER,
        pinned: TIKTOK_GALLERY.sha,
      },
    ]);
    expect(onlyMessage(problems)).toBe(
      `the TikTok template "TikTok Events API (Official)" is at 0123456 while the kit pins ${TIKTOK_GALLERY.sha.slice(0, 7)}; the kit never changes imported templates: update it in the GTM UI (Templates) when you choose to`,
    );
  });

  it("looks only at the template the kit uses (the oldest)", () => {
    const newer = galleryTemplate({ templateId: "60", version: OLDER });
    expect(
      templateVersion(checkInput({ templates: [newer, galleryTemplate({ templateId: "50" })] })),
    ).toEqual([]);
    const older = galleryTemplate({ templateId: "40", version: OLDER });
    expect(templateVersion(checkInput({ templates: [galleryTemplate(), older] }))).toMatchObject([
      { version: OLDER },
    ]);
  });

  it('does not quote a template without a name as "undefined"', () => {
    const { name: _, ...unnamed } = galleryTemplate({ version: OLDER });
    expect(onlyMessage(templateVersion(checkInput({ templates: [unnamed] })))).not.toContain('"undefined"');
  });
});
