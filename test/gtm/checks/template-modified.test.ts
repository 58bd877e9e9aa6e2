import type { CustomTemplate } from "../../../src/gtm/core/api";
import { templateModified } from "../../../src/gtm/plan/checks/template-modified";
import { galleryTemplate } from "../fixtures";
import { checkInput, onlyMessage } from "./input";

function modified(templateId: string): CustomTemplate {
  const template = galleryTemplate({ templateId });
  return { ...template, galleryReference: { ...template.galleryReference, isModified: true } };
}

describe("templateModified", () => {
  it("passes with no template, or one as imported", () => {
    expect(templateModified(checkInput())).toEqual([]);
    expect(templateModified(checkInput({ templates: [galleryTemplate()] }))).toEqual([]);
  });

  it("warns when the template the kit uses was modified after import", () => {
    const problems = templateModified(checkInput({ templates: [modified("50")] }));
    expect(problems).toEqual([
      {
        severity: "warning",
        code: "template-modified",
        kind: "template",
        name: "TikTok Events API (Official)",
      },
    ]);
    expect(onlyMessage(problems)).toBe(
      `the TikTok template "TikTok Events API (Official)" was modified after import; the kit's tags use it as it is`,
    );
  });

  it("looks only at the template the kit uses (the oldest)", () => {
    expect(templateModified(checkInput({ templates: [galleryTemplate(), modified("60")] }))).toEqual([]);
    expect(templateModified(checkInput({ templates: [galleryTemplate(), modified("40")] }))).toHaveLength(1);
  });

  it('does not quote a template without a name as "undefined"', () => {
    const { name: _, ...unnamed } = modified("50");
    expect(onlyMessage(templateModified(checkInput({ templates: [unnamed] })))).not.toContain('"undefined"');
  });
});
