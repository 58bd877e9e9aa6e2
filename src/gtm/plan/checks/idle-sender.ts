/**
 * Hand-made TikTok senders that send nothing now, paused or without a firing trigger: listed as present,
 * since unpausing one or giving it a trigger doubles what the kit sends.
 */
import { handMadeSenders, senderTemplateFields } from "../hand-made-senders";
import type { PlanCheck } from "./check";

export const idleSender: PlanCheck = ({ actual }) =>
  handMadeSenders(actual).flatMap(({ tag, sender }) => {
    const paused = tag.paused === true;
    if (!paused && (tag.firingTriggerId ?? []).length > 0) return [];
    return [
      {
        severity: "warning" as const,
        code: "idle-sender" as const,
        kind: "tag" as const,
        name: tag.name ?? "",
        ...senderTemplateFields(sender),
        why: paused ? ("paused" as const) : ("no-trigger" as const),
      },
    ];
  });
