/**
 * Each event map key is the exact event name a trigger matches: a key GA4 never sends (`purchse`) makes
 * a trigger that never fires, and nothing else would say so. The config's own warning
 * (`sgtm validate`) names the file and line; the plan repeats it where reviewers look. Keys marked as
 * the site's own events are left alone (docs/facts/tiktok-events-api.md#ga4-event-names).
 */
import { ga4EventSuggestion, isKnownGa4Event } from "../../../config/events";
import type { PlanCheck } from "./check";

export const unknownGa4Event: PlanCheck = ({ desired }) =>
  desired.ga4Events
    .filter((event) => !isKnownGa4Event(event) && !(desired.ownGa4Events ?? []).includes(event))
    .map((event) => {
      const suggestion = ga4EventSuggestion(event);
      return {
        severity: "warning",
        code: "unknown-ga4-event",
        event,
        ...(suggestion ? { suggestion } : {}),
      };
    });
