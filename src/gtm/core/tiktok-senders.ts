/**
 * Which templates may send to TikTok's Events API, judged by what a template is allowed to do rather
 * than by one template's name: a known gallery repository (the official template, Stape's), or a
 * server template whose `send_http` permission allows `business-api.tiktok.com`. A hand-made tag of
 * such a template that fires for a mapped event doubles what the kit sends (plan/checks/double-sending.ts).
 *
 * A template's permissions are in its `.tpl` text (`___SERVER_PERMISSIONS___`): a list of permission
 * instances, `send_http` with `allowedUrls` `any` or `specific` plus the `urls` patterns
 * (docs/facts/tiktok-events-api.md#other-senders).
 */
import type { CustomTemplate, Parameter, Tag } from "./api";
import { templateTagTypes } from "./template-types";

/** The Events API endpoint every sender posts to (docs/facts/tiktok-events-api.md#the-official-template). */
export const TIKTOK_EVENTS_API_URL = "https://business-api.tiktok.com/open_api/v1.3/event/track/";
const TIKTOK_EVENTS_API_HOST = "business-api.tiktok.com";

/** Gallery repositories known to send to the Events API, whatever their permissions say. */
export const KNOWN_SENDER_REPOSITORIES: readonly { readonly owner: string; readonly repository: string }[] = [
  { owner: "tiktok", repository: "gtm-template-eapi" },
  { owner: "stape-io", repository: "tiktok-tag" },
];

/**
 * How a template may reach TikTok: `known` (a known repository), `permitted` (its URL patterns allow
 * the Events API), `any-url` (it may send anywhere: only its tags whose fields name the Events API's
 * host count), or undefined (it cannot).
 */
export type SenderEvidence = "known" | "permitted" | "any-url";

export interface TikTokSenderTemplate {
  readonly template: CustomTemplate;
  readonly evidence: SenderEvidence;
  /** `owner/repository` of a gallery template, else undefined. */
  readonly repository?: string;
}

export function senderEvidence(template: CustomTemplate): SenderEvidence | undefined {
  const ref = template.galleryReference;
  const known = KNOWN_SENDER_REPOSITORIES.some(
    (r) => ref?.owner?.toLowerCase() === r.owner && ref?.repository?.toLowerCase() === r.repository,
  );
  if (known) return "known";
  const http = sendHttpPermission(template.templateData ?? "");
  if (http === "any") return "any-url";
  if (http?.some((pattern) => urlPatternMatches(pattern, TIKTOK_EVENTS_API_URL))) return "permitted";
  return undefined;
}

/** Tag type -> the sender template its tags are built on (every form of a template's type). */
export function tikTokSenderTypes(
  templates: readonly CustomTemplate[],
  containerId: string,
): Map<string, TikTokSenderTemplate> {
  const byType = new Map<string, TikTokSenderTemplate>();
  for (const template of templates) {
    const evidence = senderEvidence(template);
    if (!evidence) continue;
    const ref = template.galleryReference;
    const repository = ref?.owner && ref.repository ? `${ref.owner}/${ref.repository}` : undefined;
    for (const type of templateTagTypes(template, containerId)) {
      byType.set(type, { template, evidence, ...(repository ? { repository } : {}) });
    }
  }
  return byType;
}

/** The sender template of `tag`, when the tag may send to TikTok's Events API. */
export function tikTokSenderOf(
  tag: Tag,
  senders: ReadonlyMap<string, TikTokSenderTemplate>,
): TikTokSenderTemplate | undefined {
  const sender = senders.get(tag.type ?? "");
  if (!sender) return undefined;
  if (sender.evidence !== "any-url") return sender;
  return parameterValues(tag.parameter ?? []).some((value) =>
    value.toLowerCase().includes(TIKTOK_EVENTS_API_HOST),
  )
    ? sender
    : undefined;
}

/**
 * The `send_http` permission of template data: `"any"`, the URL patterns it allows, or undefined when
 * it has none (or the section is not readable).
 */
export function sendHttpPermission(templateData: string): "any" | string[] | undefined {
  const section = /^___SERVER_PERMISSIONS___\s*$/m.exec(templateData);
  if (!section) return undefined;
  const rest = templateData.slice(section.index + section[0].length);
  const next = /^___[A-Z_]+___\s*$/m.exec(rest);
  let permissions: unknown;
  try {
    permissions = JSON.parse(next ? rest.slice(0, next.index) : rest);
  } catch {
    return undefined;
  }
  if (!Array.isArray(permissions)) return undefined;
  const sendHttp = permissions.find((p) => (p as PermissionEntry)?.instance?.key?.publicId === "send_http") as
    | PermissionEntry
    | undefined;
  if (!sendHttp) return undefined;
  const params = new Map((sendHttp.instance?.param ?? []).map((p) => [p.key, p.value] as const));
  if (params.get("allowedUrls")?.string === "any") return "any";
  return (params.get("urls")?.listItem ?? []).flatMap((item) => (item.string ? [item.string] : []));
}

interface PermissionValue {
  readonly string?: string;
  readonly listItem?: readonly PermissionValue[];
}
interface PermissionEntry {
  readonly instance?: {
    readonly key?: { readonly publicId?: string };
    readonly param?: readonly { readonly key?: string; readonly value?: PermissionValue }[];
  };
}

/**
 * Whether a `send_http` URL pattern allows `url`: `*` stands for any run of characters (a subdomain,
 * a path), and a pattern ending in `/` allows every path below it, as GTM's permission editor reads
 * them (`https://*.tiktok.com/*`, `https://business-api.tiktok.com/`).
 */
export function urlPatternMatches(pattern: string, url: string): boolean {
  const escaped = pattern
    .trim()
    .toLowerCase()
    .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*");
  const open = pattern.trim().endsWith("/") ? ".*" : "";
  return new RegExp(`^${escaped}${open}$`).test(url.toLowerCase());
}

function parameterValues(parameters: readonly Parameter[]): string[] {
  return parameters.flatMap((p) => [
    ...(typeof p.value === "string" ? [p.value] : []),
    ...parameterValues(p.list ?? []),
    ...parameterValues(p.map ?? []),
  ]);
}
