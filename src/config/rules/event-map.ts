import { eventMapInputOf } from "../effective";
import { resolveEvents } from "../events";
import type { ConfigRule, RuleFinding } from "./rule";

/** The event map's checks (names, dedup, purchase properties, currencies, hashing) live in ../events.ts. */
export const eventMap: ConfigRule = ({ merged }) => {
  const findings: RuleFinding[] = [];
  resolveEvents(eventMapInputOf(merged), (path, problem) => findings.push({ path, ...problem }));
  return findings;
};
