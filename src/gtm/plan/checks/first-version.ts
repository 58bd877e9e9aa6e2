/**
 * A container never versioned: GTM puts its default GA4 client into every new workspace, the kit's
 * included, so the kit's first version publishes it too (its triggers need a GA4 client anyway).
 */
import type { PlanCheck } from "./check";

export const firstVersion: PlanCheck = ({ desired, actual }) =>
  actual.versioned === false
    ? [
        {
          severity: "warning",
          code: "first-version",
          clients: desired.environment.clients.map((c) => c.name),
        },
      ]
    : [];
