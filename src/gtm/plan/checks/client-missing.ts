/** The kit's triggers require the GA4 client's name: a live version without that client never fires them. */
import type { PlanCheck } from "./check";

export const clientMissing: PlanCheck = ({ desired, actual }) => {
  const clients = actual.liveVersion?.client ?? [];
  const clientName = desired.environment.clientName;
  if (clients.length === 0 || clients.some((c) => c.name === clientName)) return [];
  return [
    {
      severity: "warning",
      code: "client-missing",
      clientName,
      // Ordered as the message quotes them.
      clients: clients.map((c) => `${c.name}`).sort((a, b) => (`"${a}"` < `"${b}"` ? -1 : 1)),
    },
  ];
};
