/**
 * The kit works in server containers only: its tags, triggers and clients exist nowhere else. A
 * container says what it is in `usageContext` (the API writes `server`, `web`, ...; GTM's UI exports
 * `SERVER`, `WEB`; docs/facts/gtm-api-v2.md#containers). Every place that reads a container (plan,
 * apply, an export, bootstrap, doctor) refuses another kind with the words below.
 */
import type { Container } from "./api";

/** Whether `usageContext` names a server container (either casing). */
export function isServerUsage(usageContext: readonly string[] | null | undefined): boolean {
  return (usageContext ?? []).some((usage) => usage.toLowerCase() === "server");
}

/** `web`, `android`, `web/amp`: the container's kind as a reader names it. */
export function usageLabel(usageContext: readonly string[] | null | undefined): string {
  const kinds = (usageContext ?? []).map((usage) => usage.toLowerCase());
  return kinds.length > 0 ? kinds.join("/") : "non-server";
}

export interface NotServerContext {
  /** `gtm.containerId` as configured. */
  readonly containerId: string;
  /** Where `gtm.containerId` is set (or comes from), for the fix. */
  readonly files: string;
  readonly container: Pick<Container, "publicId" | "name" | "usageContext">;
}

/** What is wrong and how to fix it, naming gtm.containerId and what the container is. */
export function notServerContainerMessage({ containerId, files, container }: NotServerContext): string {
  const what = [container.publicId, container.name ? `"${container.name}"` : undefined]
    .filter(Boolean)
    .join(", ");
  return [
    `gtm.containerId ${containerId}${what ? ` (${what})` : ""} is a ${usageLabel(container.usageContext)} container, not a server container: the kit's TikTok tags, triggers and clients and the tagging server's config exist only in a server container. Nothing was written.`,
    `Set gtm.containerId in ${files} to the id of the environment's server container (Tag Manager > Admin > Container Settings shows a container's kind; the id is in its URL: .../containers/<containerId>/...).`,
  ].join("\n");
}
