/**
 * The clients whose events fire the kit's tags (`gtm.clients`), grouped by where their events carry
 * their consent state: a GTM trigger's conditions all must hold, so clients read through different
 * consent signals need triggers of their own, and a tag fires on any of them. Clients of one signal
 * share a trigger whose client condition accepts each of their names. The first group's triggers keep
 * the names the kit always gave them; later groups' add the clients' names.
 */
import type { GtmClient } from "../../config/model";
import type { ClientConsentSource } from "../../config/schema";
import type { ConditionType } from "./types";

export interface ClientGroup {
  readonly consentFrom: ClientConsentSource;
  /** Client names, in the configured order. */
  readonly names: readonly string[];
  /** Appended to the group's trigger names: empty for the first group, ` (Data Client)` for others. */
  readonly triggerSuffix: string;
}

/** Groups by consent source, in the order each source first appears. */
export function clientGroups(clients: readonly GtmClient[]): ClientGroup[] {
  const sources = [...new Set(clients.map((c) => c.consentFrom))];
  return sources.map((consentFrom, index) => {
    const names = clients.filter((c) => c.consentFrom === consentFrom).map((c) => c.name);
    return { consentFrom, names, triggerSuffix: index === 0 ? "" : ` (${names.join(" or ")})` };
  });
}

/** `{{Client Name}}` equals the one name, or matches any of several. */
export function clientNameTest(names: readonly string[]): {
  readonly type: ConditionType;
  readonly value: string;
} {
  if (names.length === 1) return { type: "equals", value: names[0] ?? "" };
  return { type: "matchRegex", value: `^(${names.map(escapeRegex).join("|")})$` };
}

/** `the GA4 client`, `the GA4 or GA4 MP clients`: how trigger notes and the plan name them. */
export function clientsPhrase(names: readonly string[]): string {
  return names.length === 1 ? `the ${names[0]} client` : `the ${names.join(" or ")} clients`;
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
