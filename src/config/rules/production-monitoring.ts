import type { ConfigRule } from "./rule";

/** A production environment keeps its uptime check and alerts: monitoring can be off below production only. */
export const productionMonitoring: ConfigRule = ({ merged }) => {
  if (merged.tier !== "production" || merged.monitoring?.enabled !== false) return [];
  return [
    {
      path: ["monitoring", "enabled"],
      message: "a production environment is monitored (uptime check on /healthy and alert policies)",
      got: "false",
      allowed: "true, or no value (production's default)",
      fix: "remove monitoring.enabled; to receive the alerts add monitoring.emails or monitoring.channels",
    },
  ];
};
