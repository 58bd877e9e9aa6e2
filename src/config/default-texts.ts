/**
 * The "Default: ..." texts of the schema, and so of config/schema.json, built from the tables the kit
 * applies (defaults.ts): a changed default changes its description with it.
 */
import {
  CONSENT_UNDECLARED_DEFAULTS,
  KIT_DEFAULTS,
  STATE_LOCATION_DEFAULTS,
  TIER_DEFAULTS,
  type TierDefaults,
} from "./defaults";
import { CONSENT_POLICIES, TIERS } from "./tables";

/** How the texts write a stack's name. */
const STACK_NAME = "<client>-<env>";

/** `Default: 10.` for a key of KIT_DEFAULTS. */
export function kitDefault(key: keyof typeof KIT_DEFAULTS): string {
  return `Default: ${KIT_DEFAULTS[key]}.`;
}

/** `Default: sgtm/<client>-<env>.` */
export function stateLocationDefault(key: keyof typeof STATE_LOCATION_DEFAULTS): string {
  return `Default: ${STATE_LOCATION_DEFAULTS[key](STACK_NAME)}.`;
}

/** An enum's values with what each means, the kit's default marked: `a (default): ... b: ...`. */
export function choices<T extends string>(
  values: readonly T[],
  fallback: T,
  meanings: Readonly<Record<T, string>>,
): string {
  return values
    .map((value) => `${value}${value === fallback ? " (default)" : ""}: ${meanings[value]}`)
    .join(" ");
}

/** `Default: 2 in production, else 0.`: tiers that share a value are named together, in tier order. */
export function tierDefault(key: keyof TierDefaults): string {
  const word = (value: unknown) => (value === "required" ? "none (must be set)" : String(value));
  const groups = byValue(TIERS, (tier) => word(TIER_DEFAULTS[tier][key]));
  const named = groups.slice(0, -1).map(([value, tiers]) => `${value} in ${tiers.join(" and ")}, `);
  const rest = groups[groups.length - 1][0];
  return `Default: ${named.join("")}${named.length > 0 ? "else " : ""}${rest}.`;
}

/** `Default: block for ad-storage-granted and ad-user-data-granted, send for ...`. */
export function consentUndeclaredDefault(): string {
  const groups = byValue(CONSENT_POLICIES, (policy) => CONSENT_UNDECLARED_DEFAULTS[policy]);
  return `Default: ${groups.map(([value, policies]) => `${value} for ${policies.join(" and ")}`).join(", ")}.`;
}

/** What each tier sets, every key of TierDefaults in words (the type makes a new key need its words). */
const TIER_TRAITS: { readonly [K in keyof TierDefaults]: (value: TierDefaults[K]) => string } = {
  minInstances: (n) => `min ${n} instances`,
  deletionProtection: (on) => (on ? "deletion protection" : "no deletion protection"),
  publish: (on) => (on ? "publish" : "no publish"),
  testEventCodeAllowed: (on) => (on ? "test event code allowed" : "no test event code"),
  consent: (policy) => (policy === "required" ? "consent policy must be set" : `consent ${policy}`),
  monitoring: (on) => (on ? "monitoring" : "no monitoring"),
};

/** `production = min 2 instances, deletion protection, ...; staging = ...`. */
export function tierSummary(): string {
  const traits = (tier: (typeof TIERS)[number]) =>
    (Object.keys(TIER_TRAITS) as (keyof TierDefaults)[]).map((key) =>
      (TIER_TRAITS[key] as (value: unknown) => string)(TIER_DEFAULTS[tier][key]),
    );
  return TIERS.map((tier) => `${tier} = ${traits(tier).join(", ")}`).join("; ");
}

/** Keys grouped by their value, groups and keys in key order. */
function byValue<K extends string>(keys: readonly K[], valueOfKey: (key: K) => string): [string, K[]][] {
  const groups = new Map<string, K[]>();
  for (const key of keys) groups.set(valueOfKey(key), [...(groups.get(valueOfKey(key)) ?? []), key]);
  return [...groups];
}
