/**
 * A client of the container that receives GA4-named events (GTM's GA4 client, Stape's Data Client)
 * but is not in gtm.clients: the kit's triggers ignore what it claims, so the mapped events it receives
 * never reach TikTok. Clients of other protocols (Universal Analytics, the web container's loader, ...)
 * are left alone: they do not carry the mapped GA4 events.
 */
import type { Client, CustomTemplate } from "../../core/api";
import { compareText } from "../../core/normalize";
import { templateTagTypes } from "../../core/template-types";
import type { PlanProblem } from "../problems";
import type { PlanCheck } from "./check";

const GA4_CLIENT_TYPE = "gaaw_client";
const DATA_CLIENT = /data[\s_-]?client/i;

export const clientNotNamed: PlanCheck = ({ desired, actual }) => {
  const live = actual.liveVersion;
  const named = new Set(desired.environment.clients.map((c) => c.name));
  const problems: PlanProblem[] = [];
  for (const client of [...(live?.client ?? [])].sort((a, b) => compareText(a.name ?? "", b.name ?? ""))) {
    if (named.has(client.name ?? "")) continue;
    const kind = eventClientKind(client, live?.customTemplate ?? [], actual.containerId);
    if (!kind) continue;
    problems.push({
      severity: "warning",
      code: "client-not-named",
      name: client.name ?? "",
      clientKind: kind,
      configured: [...named],
    });
  }
  return problems;
};

/** `ga4` for GTM's GA4 client, `data-client` for Stape's Data Client (by template or name), else undefined. */
function eventClientKind(
  client: Client,
  templates: readonly CustomTemplate[],
  containerId: string,
): "ga4" | "data-client" | undefined {
  if (client.type === GA4_CLIENT_TYPE) return "ga4";
  const template = templates.find((t) => templateTagTypes(t, containerId).includes(client.type ?? ""));
  const names = [client.name, template?.name, template?.galleryReference?.repository];
  return names.some((name) => name && DATA_CLIENT.test(name)) ? "data-client" : undefined;
}
