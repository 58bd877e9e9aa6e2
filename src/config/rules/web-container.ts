import { describeValue } from "../errors";
import type { ConfigRule, RuleFinding } from "./rule";

/**
 * `gtm.web` names the shop's web container, which `sgtm dedup` reads: it needs a container id, and it
 * cannot be the server container the kit writes to (a web container is a different container in GTM).
 */
export const webContainer: ConfigRule = ({ merged }) => {
  const web = merged.gtm?.web;
  if (web === undefined) return [];
  const findings: RuleFinding[] = [];
  if (web.containerId === undefined) {
    findings.push({
      path: ["gtm", "web", "containerId"],
      message: "gtm.web needs the web container's id",
      got: "nothing",
      allowed: "the numeric id from the web container's GTM URL (accounts/<id>/containers/<id>)",
      fix: "set gtm.web.containerId, or remove gtm.web to skip the deduplication check",
    });
    return findings;
  }
  const accountId = web.accountId ?? merged.gtm?.accountId;
  if (web.containerId === merged.gtm?.containerId && accountId === merged.gtm?.accountId) {
    findings.push({
      path: ["gtm", "web", "containerId"],
      message:
        "gtm.web.containerId is the server container (gtm.containerId): the web container is the one the shop's pages load",
      got: describeValue(web.containerId),
      allowed: "the id of the web container (Admin > Container Settings in GTM shows its type)",
      fix: "set gtm.web.containerId to the web container's numeric id",
    });
  }
  return findings;
};
