/** `{ variable: name }` sources must name a variable the container has, or GTM refuses the version. */
import type { PlanCheck } from "./check";

/** Built-in variables every server container has, by display name. */
const ALWAYS_PRESENT = ["Event Name", "Client Name"];

export const missingVariable: PlanCheck = ({ desired, actual }) => {
  const known = new Set<string>([
    ...actual.variables.map((v) => v.name ?? ""),
    ...actual.builtInVariables.map((b) => b.name ?? ""),
    ...desired.variables.map((v) => v.name),
    ...ALWAYS_PRESENT,
  ]);
  return desired.referencedVariables
    .filter((name) => !known.has(name))
    .map((name) => ({ severity: "error", code: "missing-variable", kind: "variable", name }) as const);
};
