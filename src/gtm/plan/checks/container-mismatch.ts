/** An actual state of another container (a UI export of the wrong container) plans against the wrong entities. */
import type { PlanCheck } from "./check";

export const containerMismatch: PlanCheck = ({ desired, actual }) => {
  const wanted = desired.environment.containerId;
  if (actual.containerId === "" || actual.containerId === wanted) return [];
  const publicId = actual.liveVersion?.container?.publicId;
  return [
    {
      severity: "warning",
      code: "container-mismatch",
      containerId: actual.containerId,
      ...(publicId ? { publicId } : {}),
      wanted,
    },
  ];
};
