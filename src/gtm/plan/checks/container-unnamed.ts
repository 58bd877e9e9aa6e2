/**
 * A container read that names no container id (an export whose accountId and containerId are blank,
 * as some export tools and hand edits leave them): the container-mismatch check cannot tell whether
 * it is the environment's container, so the plan says so instead of passing in silence.
 */
import type { PlanCheck } from "./check";

export const containerUnnamed: PlanCheck = ({ desired, actual }) => {
  if (actual.containerId !== "") return [];
  const publicId = actual.liveVersion?.container?.publicId;
  return [
    {
      severity: "warning",
      code: "container-unnamed",
      ...(publicId ? { publicId } : {}),
      wanted: desired.environment.containerId,
    },
  ];
};
