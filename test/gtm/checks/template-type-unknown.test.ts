import { TAG_TYPE_PLACEHOLDER } from "../../../src/gtm/core/tiktok-template";
import type { DesiredTag } from "../../../src/gtm/model/types";
import { templateTypeUnknown } from "../../../src/gtm/plan/checks/template-type-unknown";
import type { PlanChange, PlanTemplate } from "../../../src/gtm/plan/types";
import { checkInput, deletion, onlyMessage, production } from "./input";

const { gallery, host, displayName } = production().template;
/** What every plan template carries (as planTemplate makes it). */
const base = { gallery: { host, ...gallery }, displayName };
/** A reused template whose tag type could not be told. */
const untyped: PlanTemplate = { action: "reuse", ...base, templateId: "50", name: "TikTok (imported)" };

const tags = production().tags;
const write = (action: "create" | "update", tag: DesiredTag, type = tag.type): PlanChange =>
  ({ action, kind: "tag", name: tag.name, body: { ...tag, type }, diff: [] }) as PlanChange;

describe("templateTypeUnknown", () => {
  it("passes when the template is to be imported, or its type is known", () => {
    const creates = tags.map((t) => write("create", t));
    expect(
      templateTypeUnknown(checkInput({}, { template: { action: "import", ...base }, changes: creates })),
    ).toEqual([]);
    const typed: PlanTemplate = { ...untyped, tagType: "cvt_5TP8W" };
    expect(templateTypeUnknown(checkInput({}, { template: typed }))).toEqual([]);
  });

  it("warns when no tag must be written with the unknown type", () => {
    const [first, second] = tags;
    if (!first || !second) throw new Error("production has tags");
    const changes = [write("update", first, "cvt_5TP8W"), deletion("tag", second.name)];
    const problems = templateTypeUnknown(checkInput({}, { template: untyped, changes }));
    expect(problems).toEqual([
      {
        severity: "warning",
        code: "template-type-unknown",
        kind: "template",
        name: "TikTok (imported)",
        displayName: "TikTok Events API (Official)",
        templateId: "50",
        blockedTags: [],
      },
    ]);
    const message = onlyMessage(problems);
    expect(message).toContain(
      'the tag type of the TikTok template "TikTok (imported)" (template 50) is unknown',
    );
    expect(message).toContain(
      "the kit's existing tags keep the type they have (no update is planned because of it).",
    );
  });

  it("fails naming the tags to create or update with the placeholder type", () => {
    const [first, second, third] = tags;
    if (!first || !second || !third) throw new Error("production has three tags");
    expect(first.type).toBe(TAG_TYPE_PLACEHOLDER);
    const changes = [write("create", first), write("update", second), write("update", third, "cvt_5TP8W")];
    const problems = templateTypeUnknown(checkInput({}, { template: untyped, changes }));
    expect(problems).toEqual([
      {
        severity: "error",
        code: "template-type-unknown",
        kind: "template",
        name: "TikTok (imported)",
        displayName: "TikTok Events API (Official)",
        templateId: "50",
        blockedTags: [first.name, second.name],
      },
    ]);
    expect(onlyMessage(problems)).toContain(
      `so the kit cannot write the tags "${first.name}", "${second.name}". Plan against the workspace itself`,
    );
  });

  it("names the template by its display name when it has no name or id", () => {
    const anonymous: PlanTemplate = { action: "reuse", ...base };
    const problems = templateTypeUnknown(checkInput({}, { template: anonymous }));
    expect(problems).toEqual([
      {
        severity: "warning",
        code: "template-type-unknown",
        kind: "template",
        displayName: "TikTok Events API (Official)",
        blockedTags: [],
      },
    ]);
    expect(onlyMessage(problems)).toContain(
      'TikTok template "TikTok Events API (Official)" (template ?) is unknown',
    );
  });
});
