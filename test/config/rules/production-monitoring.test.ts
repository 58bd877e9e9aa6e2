import { productionMonitoring } from "../../../src/config/rules/production-monitoring";
import { context, production } from "./context";

describe("productionMonitoring", () => {
  it("passes in production by default, and below production when turned off", () => {
    expect(productionMonitoring(context(production()))).toEqual([]);
    expect(productionMonitoring(context({ monitoring: { enabled: false } }))).toEqual([]);
  });

  it("fails when a production environment turns monitoring off", () => {
    expect(productionMonitoring(context({ ...production(), monitoring: { enabled: false } }))).toEqual([
      {
        path: ["monitoring", "enabled"],
        message: "a production environment is monitored (uptime check on /healthy and alert policies)",
        got: "false",
        allowed: "true, or no value (production's default)",
        fix: "remove monitoring.enabled; to receive the alerts add monitoring.emails or monitoring.channels",
      },
    ]);
  });
});
