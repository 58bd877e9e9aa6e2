/**
 * Hand-made tags that may send to TikTok's Events API (the official template's, Stape's, any template
 * whose permissions reach the Events API: ../hand-made-senders.ts) and fire for events the kit sends
 * too: TikTok gets them twice. A trigger the planner cannot rule out counts as firing. Paused and
 * trigger-less senders are the idle-sender check's.
 */
import type { Condition, Trigger } from "../../core/api";
import { lowerCamelEnum } from "../../core/normalize";
import { handMadeSenders, senderTemplateFields } from "../hand-made-senders";
import type { PlanProblem } from "../problems";
import type { PlanCheck } from "./check";

export const doubleSending: PlanCheck = ({ desired, actual }) => {
  const triggers = new Map(actual.triggers.map((t) => [t.triggerId ?? "", t] as const));
  const problems: PlanProblem[] = [];
  for (const { tag, sender } of handMadeSenders(actual)) {
    if (tag.paused === true) continue;
    const events = new Set<string>();
    for (const id of tag.firingTriggerId ?? []) {
      const trigger = triggers.get(id);
      // A trigger the workspace does not list is built in (e.g. All Events): it may match anything.
      const matched = trigger ? eventsMatchedBy(trigger, desired.ga4Events) : desired.ga4Events;
      for (const event of matched) events.add(event);
    }
    if (events.size === 0) continue;
    problems.push({
      severity: "warning",
      code: "double-sending",
      kind: "tag",
      name: tag.name ?? "",
      ...senderTemplateFields(sender),
      events: [...events].sort(),
    });
  }
  return problems;
};

/** GA4 events among `events` a trigger can fire on; conditions on other variables are assumed to hold. */
function eventsMatchedBy(trigger: Trigger, events: readonly string[]): string[] {
  const type = lowerCamelEnum(trigger.type ?? "");
  if (type !== "customEvent" && type !== "always") return [];
  const conditions = [...(trigger.customEventFilter ?? []), ...(trigger.filter ?? [])];
  return events.filter((event) => conditions.every((c) => conditionMayHold(c, event)));
}

function conditionMayHold(condition: Condition, event: string): boolean {
  const args = new Map((condition.parameter ?? []).map((p) => [p.key ?? "", p.value ?? ""] as const));
  const subject = args.get("arg0");
  if (subject !== "{{_event}}" && subject !== "{{Event Name}}") return true;
  const ignoreCase = args.get("ignore_case") === "true";
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  const value = fold(event);
  const pattern = fold(args.get("arg1") ?? "");
  const type = lowerCamelEnum(condition.type ?? "");
  let holds: boolean;
  switch (type) {
    case "equals":
      holds = value === pattern;
      break;
    case "contains":
      holds = value.includes(pattern);
      break;
    case "startsWith":
      holds = value.startsWith(pattern);
      break;
    case "endsWith":
      holds = value.endsWith(pattern);
      break;
    case "matchRegex":
      try {
        holds = new RegExp(args.get("arg1") ?? "", ignoreCase ? "i" : "").test(event);
      } catch {
        return true;
      }
      break;
    default:
      return true;
  }
  return args.get("negate") === "true" ? !holds : holds;
}
