/**
 * What a reviewer must see in every plan, whatever changes: the consent policy, the pixel's event
 * naming, the tag layout, publish and test-event settings of the environment.
 */
import type { EnvironmentConfig } from "../../config/model";
import { TIKTOK_LEGACY_RENAMES } from "../../config/tables";
import type { LogType, PlanEnvironment } from "./types";

export function environmentStatement(env: EnvironmentConfig, logType: LogType): PlanEnvironment {
  const { tiktok, gtm } = env;
  const origin = tiktok.consentExplicit ? "explicit" : "tier default";
  const consentStatement = {
    "ad-storage-granted":
      "TikTok tags fire only when the GA4 consent state (x-ga-gcs) says ad_storage is granted (G11x); events without consent state (no Consent Mode) are not sent",
    "block-if-denied":
      "TikTok tags fire unless the GA4 consent state (x-ga-gcs) says ad_storage is denied (G10x); events without consent state (no Consent Mode) are sent",
    "not-enforced":
      "consent is NOT enforced: TikTok tags fire for every mapped GA4 event whatever the visitor's consent state",
  }[tiktok.consent];
  return {
    stack: env.stackName,
    tier: env.tier,
    accountId: gtm.accountId,
    containerId: gtm.containerId,
    workspace: gtm.workspace,
    clientName: gtm.clientName,
    consent: {
      policy: tiktok.consent,
      explicit: tiktok.consentExplicit,
      origin,
      statement:
        origin === "explicit"
          ? `${consentStatement} (tiktok.consent: ${tiktok.consent})`
          : `${consentStatement} (default of the ${env.tier} tier; set tiktok.consent to make it explicit)`,
    },
    pixelEventNames: { naming: tiktok.pixelEventNames, statement: pixelStatement(env) },
    tagLayout: {
      layout: tiktok.tagLayout,
      statement:
        tiktok.tagLayout === "single"
          ? "single: one tag whose TikTok event comes from a lookup table on Event Name"
          : "per-event: one tag and one trigger per GA4 event",
    },
    publishByDefault: gtm.publish,
    logType,
    ...(tiktok.testEventCode !== undefined ? { testEventCode: tiktok.testEventCode } : {}),
  };
}

/** Deduplication needs identical names on both sides, so the plan says which naming the server follows. */
function pixelStatement(env: EnvironmentConfig): string {
  const legacyNames = new Set(Object.keys(TIKTOK_LEGACY_RENAMES));
  const currentNames = new Set(Object.values(TIKTOK_LEGACY_RENAMES) as string[]);
  const naming = env.tiktok.pixelEventNames;
  const renamed = env.tiktok.events.filter((e) =>
    (naming === "legacy" ? legacyNames : currentNames).has(e.tiktokEvent),
  );
  const examples = renamed.map((e) => `${e.ga4Event} -> ${e.tiktokEvent}`).join(", ");
  const which = naming === "legacy" ? "legacy names" : "current names";
  return examples
    ? `pixel sends ${which}: ${examples} so pixel and server deduplicate`
    : `pixel sends ${which}; no mapped event differs between legacy and current names`;
}
