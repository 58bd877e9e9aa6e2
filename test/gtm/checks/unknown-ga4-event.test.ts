import { unknownGa4Event } from "../../../src/gtm/plan/checks/unknown-ga4-event";
import { desiredWithEvents } from "../fixtures";
import { checkInput, onlyMessage } from "./input";

describe("unknownGa4Event", () => {
  it("passes for GA4's own events and for events marked as the site's own", () => {
    const desired = desiredWithEvents(`    purchase: {}
    file_download: { event: Download }
    newsletter_signup: { event: Subscribe, customGa4Event: true }
    quiz_done: { event: QuizDone, custom: true }
`);
    expect(unknownGa4Event(checkInput({}, { desired }))).toEqual([]);
  });

  it("warns of a key GA4 does not send, with the event it is near, even with event: given", () => {
    const desired = desiredWithEvents(`    purchse: { event: CompletePayment }
    newsletter_optin: { event: Subscribe }
`);
    const problems = unknownGa4Event(checkInput({}, { desired }));
    expect(problems).toEqual([
      { severity: "warning", code: "unknown-ga4-event", event: "newsletter_optin" },
      { severity: "warning", code: "unknown-ga4-event", event: "purchse", suggestion: "purchase" },
    ]);
    expect(onlyMessage([problems[1]])).toContain("did you mean purchase?");
    expect(onlyMessage([problems[0]])).toContain("mark it customGa4Event: true");
  });
});
