/**
 * The consent gate on the kit's triggers: which event data each policy reads, and the conditions it
 * puts in every trigger's filter, for each place a client's events carry their consent state. The
 * TikTok template ignores consent, so this gate is all there is
 * (docs/facts/tiktok-events-api.md#consent-in-the-server-container, docs/adr/0009).
 *
 * GA4's client (`x-ga-gcs`):
 * - `x-ga-gcs` is `G1xy`, x = ad_storage: `1` granted, `0` denied, `-` not declared.
 * - `x-ga-gcd` (Consent Mode v2) is `1` then four pairs, the second character of the third pair standing
 *   for ad_user_data: `n`, `r`, `t`, `v` granted (by the update, or by the default with no update),
 *   `l` neither default nor update. Anything else, an absent value or another shape included, does
 *   not match: the gate then blocks.
 *
 * Stape's Data Client (`consent_state`): its web Data Tag adds `consent_state` with one boolean per
 * consent type (`ad_storage`, `ad_user_data`, ...), `true` when granted; without the tag's "Add consent
 * state" option the object is absent, which is "undeclared". A trigger condition compares the value's
 * text: `true` / `false`.
 */
import type { ClientConsentSource } from "../../config/schema";
import type { ConsentPolicy, ConsentUndeclared } from "../../config/tables";
import { CONSENT_KEY_PATH, CONSENT_STATE_KEY_PATH, CONSENT_V2_KEY_PATH } from "./names";
import type { ConditionType } from "./types";

/** A consent signal in the event data and the consent type the kit reads from it. */
export interface ConsentSignal {
  readonly keyPath: string;
  readonly consentType: "ad_storage" | "ad_user_data";
}

const AD_STORAGE: ConsentSignal = { keyPath: CONSENT_KEY_PATH, consentType: "ad_storage" };
const AD_USER_DATA: ConsentSignal = { keyPath: CONSENT_V2_KEY_PATH, consentType: "ad_user_data" };
const STATE_AD_STORAGE: ConsentSignal = {
  keyPath: `${CONSENT_STATE_KEY_PATH}.ad_storage`,
  consentType: "ad_storage",
};
const STATE_AD_USER_DATA: ConsentSignal = {
  keyPath: `${CONSENT_STATE_KEY_PATH}.ad_user_data`,
  consentType: "ad_user_data",
};

const SIGNALS: Readonly<
  Record<ClientConsentSource, { readonly adStorage: ConsentSignal; readonly adUserData: ConsentSignal }>
> = {
  "x-ga-gcs": { adStorage: AD_STORAGE, adUserData: AD_USER_DATA },
  consent_state: { adStorage: STATE_AD_STORAGE, adUserData: STATE_AD_USER_DATA },
};

/** The event data a policy reads from clients whose consent comes from `from`. */
export function consentSignals(policy: ConsentPolicy, from: ClientConsentSource): readonly ConsentSignal[] {
  const { adStorage, adUserData } = SIGNALS[from];
  if (policy === "not-enforced") return [];
  return policy === "ad-user-data-granted" ? [adStorage, adUserData] : [adStorage];
}

/** One condition of the gate, on the event data variable of `signal.keyPath`. */
export interface ConsentTest {
  readonly signal: ConsentSignal;
  readonly type: ConditionType;
  readonly pattern: string;
  readonly negate: boolean;
}

const GCD_AD_USER_DATA_GRANTED = "^1[0-9A-Za-z_-]{5}[nrtv]";
const GCD_AD_USER_DATA_GRANTED_OR_NOT_SET = "^1[0-9A-Za-z_-]{5}[lnrtv]";

const test = (signal: ConsentSignal, type: ConditionType, pattern: string, negate = false): ConsentTest => ({
  signal,
  type,
  pattern,
  negate,
});

export interface ConsentGate {
  readonly tests: readonly ConsentTest[];
  readonly summary: string;
}

/** The gate's conditions (all must hold) for clients whose consent comes from `from`, and the short text trigger notes carry. */
export function consentGate(
  policy: ConsentPolicy,
  undeclared: ConsentUndeclared,
  from: ClientConsentSource = "x-ga-gcs",
): ConsentGate {
  return from === "consent_state" ? consentStateGate(policy, undeclared) : gcsGate(policy, undeclared);
}

/**
 * Stape's Data Client: each signal `true` (undeclared blocks), or anything but `false` (undeclared
 * sends). ad-storage-granted and block-if-denied differ only in their default for undeclared.
 */
function consentStateGate(policy: ConsentPolicy, undeclared: ConsentUndeclared): ConsentGate {
  const signals = consentSignals(policy, "consent_state");
  if (signals.length === 0) return { tests: [], summary: "no consent condition" };
  const block = undeclared === "block";
  const tests = signals.map((signal) =>
    block ? test(signal, "equals", "true") : test(signal, "equals", "false", true),
  );
  const keys = signals.map((s) => s.keyPath).join(" and ");
  return {
    tests,
    summary: block
      ? `fires only when ${keys} ${signals.length > 1 ? "are" : "is"} true`
      : `fires unless ${signals.map((s) => `${s.keyPath} is false`).join(" or ")}`,
  };
}

function gcsGate(policy: ConsentPolicy, undeclared: ConsentUndeclared): ConsentGate {
  const gcs = CONSENT_KEY_PATH;
  const gcd = CONSENT_V2_KEY_PATH;
  switch (policy) {
    case "not-enforced":
      return { tests: [], summary: "no consent condition" };
    case "ad-storage-granted":
      return undeclared === "block"
        ? {
            tests: [test(AD_STORAGE, "startsWith", "G11")],
            summary: `fires only when ${gcs} starts with G11`,
          }
        : {
            tests: [test(AD_STORAGE, "matchRegex", "^G1[1-]")],
            summary: `fires only when ${gcs} matches ^G1[1-] (ad_storage granted or undeclared)`,
          };
    case "block-if-denied":
      return undeclared === "send"
        ? {
            tests: [test(AD_STORAGE, "startsWith", "G10", true)],
            summary: `fires unless ${gcs} starts with G10`,
          }
        : {
            tests: [test(AD_STORAGE, "matchRegex", "^G1[0-]", true)],
            summary: `fires unless ${gcs} matches ^G1[0-] (ad_storage denied or undeclared)`,
          };
    case "ad-user-data-granted":
      return undeclared === "block"
        ? {
            tests: [
              test(AD_STORAGE, "startsWith", "G11"),
              test(AD_USER_DATA, "matchRegex", GCD_AD_USER_DATA_GRANTED),
            ],
            summary: `fires only when ${gcs} starts with G11 and ${gcd} matches ${GCD_AD_USER_DATA_GRANTED} (ad_storage and ad_user_data granted)`,
          }
        : {
            tests: [
              test(AD_STORAGE, "matchRegex", "^G1[1-]"),
              test(AD_USER_DATA, "matchRegex", GCD_AD_USER_DATA_GRANTED_OR_NOT_SET),
            ],
            summary: `fires only when ${gcs} matches ^G1[1-] and ${gcd} matches ${GCD_AD_USER_DATA_GRANTED_OR_NOT_SET} (ad_storage and ad_user_data granted or undeclared)`,
          };
  }
}
