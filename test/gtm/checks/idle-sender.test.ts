import type { Tag } from "../../../src/gtm/core/api";
import { idleSender } from "../../../src/gtm/plan/checks/idle-sender";
import { adopted, galleryTemplate, handMade, stapeTemplate } from "../fixtures";
import { checkInput, onlyMessage, STACK } from "./input";

const tag = (name: string, fields: Partial<Tag> = {}): Tag => ({
  ...handMade.tikTokTag("cvt_5TP8W"),
  name,
  ...fields,
});
const check = (tags: Tag[]) =>
  idleSender(
    checkInput({
      templates: [galleryTemplate(), stapeTemplate()],
      triggers: [handMade.purchaseTrigger()],
      tags,
    }),
  );

describe("idleSender", () => {
  it("passes for senders that fire (double-sending's), the kit's own tags and tags of other templates", () => {
    expect(check([tag("Fires", { firingTriggerId: ["20"] })])).toEqual([]);
    expect(check([adopted(tag("Adopted", { firingTriggerId: [] }), STACK)])).toEqual([]);
    expect(check([tag("GA4", { type: "sgtmgaaw", firingTriggerId: [] })])).toEqual([]);
  });

  it("lists a paused sender, and one without a firing trigger, as present", () => {
    // Before: a hand-made official TikTok tag with no trigger was not mentioned at all.
    const problems = check([
      tag("Stape, paused", { type: "cvt_STP01", paused: true }),
      tag("Official, no trigger", { firingTriggerId: [] }),
    ]);
    expect(problems).toEqual([
      {
        severity: "warning",
        code: "idle-sender",
        kind: "tag",
        name: "Official, no trigger",
        template: "TikTok Events API (Official)",
        repository: "tiktok/gtm-template-eapi",
        why: "no-trigger",
      },
      {
        severity: "warning",
        code: "idle-sender",
        kind: "tag",
        name: "Stape, paused",
        template: "TikTok Events API",
        repository: "stape-io/tiktok-tag",
        why: "paused",
      },
    ]);
    expect(onlyMessage(problems.slice(1))).toBe(
      'the hand-made tag "Stape, paused" can send to TikTok\'s Events API (template "TikTok Events API", stape-io/tiktok-tag) but is paused, so it sends nothing now; if it is unpaused, TikTok receives the events the kit sends twice. Delete it in GTM if the kit\'s tags replace it.',
    );
  });
});
