/** The kit's triggers require the clients' names: a configured client the live version lacks never fires them. */
import type { PlanCheck } from "./check";

export const clientMissing: PlanCheck = ({ desired, actual }) => {
  const clients = actual.liveVersion?.client ?? [];
  if (clients.length === 0) return [];
  const present = new Set(clients.map((c) => c.name));
  const missing = desired.environment.clients.map((c) => c.name).filter((name) => !present.has(name));
  if (missing.length === 0) return [];
  return [
    {
      severity: "warning",
      code: "client-missing",
      missing,
      // Ordered as the message quotes them.
      clients: clients.map((c) => `${c.name}`).sort((a, b) => (`"${a}"` < `"${b}"` ? -1 : 1)),
    },
  ];
};
