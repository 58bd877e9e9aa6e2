import { describeValue } from "../errors";
import type { ConfigRule } from "./rule";

/** gtm.clients replaces gtm.clientName: one of them, and each client once. */
export const gtmClients: ConfigRule = ({ merged }) => {
  const clients = merged.gtm?.clients;
  if (clients === undefined) return [];
  const names = clients.map((c) => (typeof c === "string" ? c : c.name));
  const findings = [];
  if (merged.gtm?.clientName !== undefined) {
    findings.push({
      path: ["gtm", "clientName"],
      message:
        "gtm.clientName and gtm.clients are both set: gtm.clients names every client, the first included",
      got: describeValue(merged.gtm.clientName),
      allowed: "one of gtm.clientName (one client) and gtm.clients (one or more)",
      fix: `remove gtm.clientName, and list ${JSON.stringify(merged.gtm.clientName)} in gtm.clients if its events should fire TikTok tags`,
    });
  }
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) {
    findings.push({
      path: ["gtm", "clients"],
      message: `the client "${repeated}" is listed more than once`,
      got: names.map((name) => `"${name}"`).join(", "),
      allowed: "each client once",
      fix: `keep one entry for "${repeated}"`,
    });
  }
  return findings;
};
