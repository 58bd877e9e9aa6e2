/**
 * The hand-made tags of a container that may send to TikTok's Events API (core/tiktok-senders.ts), in
 * name order: the tags the double-sending and idle-sender checks look at. Tags the kit manages, for
 * this environment or another, are not hand-made (the shared-container check covers the others).
 */
import type { Tag } from "../core/api";
import { compareText } from "../core/normalize";
import { ownerOf } from "../core/ownership";
import { type TikTokSenderTemplate, tikTokSenderOf, tikTokSenderTypes } from "../core/tiktok-senders";
import type { ActualWorkspace } from "./actual";

export interface HandMadeSender {
  readonly tag: Tag;
  readonly sender: TikTokSenderTemplate;
}

export function handMadeSenders(actual: ActualWorkspace): HandMadeSender[] {
  const senders = tikTokSenderTypes(actual.templates, actual.containerId);
  if (senders.size === 0) return [];
  return actual.tags
    .filter((tag) => ownerOf(tag.notes) === undefined)
    .flatMap((tag) => {
      const sender = tikTokSenderOf(tag, senders);
      return sender ? [{ tag, sender }] : [];
    })
    .sort((a, b) => compareText(a.tag.name ?? "", b.tag.name ?? ""));
}

/** How the problems name a sender's template: `"TikTok Events API" (stape-io/tiktok-tag)`. */
export function senderTemplateFields(sender: TikTokSenderTemplate): {
  readonly template: string;
  readonly repository?: string;
} {
  return {
    template: sender.template.name ?? `template ${sender.template.templateId ?? "?"}`,
    ...(sender.repository ? { repository: sender.repository } : {}),
  };
}
