/**
 * What a reviewer must see in every plan, whatever changes: the consent policy, the pixel's event
 * naming, the tag layout, publish and test-event settings of the environment.
 */
import type { EnvironmentConfig } from "../../config/model";
import { type ConsentPolicy, type ConsentUndeclared, TIKTOK_LEGACY_RENAMES } from "../../config/tables";
import { clientGroups, clientsPhrase } from "./client-groups";
import { consentSignals } from "./consent";
import { EVENT_ID_KEY_PATH } from "./names";
import type { LogType, PlanEnvironment } from "./types";

const POLICY_STATEMENT: Readonly<Record<ConsentPolicy, string>> = {
  "ad-storage-granted":
    "TikTok tags fire only when the GA4 consent state (x-ga-gcs) says ad_storage is granted (G11x); events without consent state (no Consent Mode) are not sent",
  "ad-user-data-granted":
    "TikTok tags fire only when the GA4 consent state says ad_storage (x-ga-gcs, G11x) and Consent Mode v2's ad_user_data (x-ga-gcd) are granted, since TikTok receives hashed email and phone and the IP for advertising; events without consent state (no Consent Mode) are not sent",
  "block-if-denied":
    "TikTok tags fire unless the GA4 consent state (x-ga-gcs) says ad_storage is denied (G10x); events without consent state (no Consent Mode) are sent",
  "not-enforced":
    "consent is NOT enforced: TikTok tags fire for every mapped GA4 event whatever the visitor's consent state",
};

/** Events whose Consent Mode declares no state (`G1-`, e.g. defaults set for the EEA only). */
const UNDECLARED_STATEMENT: Readonly<Record<ConsentPolicy, Record<ConsentUndeclared, string>>> = {
  "ad-storage-granted": {
    block:
      "nor are events whose Consent Mode declares no ad_storage state (G1-, e.g. defaults set for the EEA only)",
    send: "events whose Consent Mode declares no ad_storage state (G1-, e.g. defaults set for the EEA only) are sent",
  },
  "ad-user-data-granted": {
    block:
      "nor are events whose Consent Mode declares no state for them (G1-, ad_user_data not set, e.g. defaults set for the EEA only)",
    send: "events whose Consent Mode declares no state for them (G1-, ad_user_data not set, e.g. defaults set for the EEA only) are sent",
  },
  "block-if-denied": {
    block:
      "events whose Consent Mode declares no ad_storage state (G1-, e.g. defaults set for the EEA only) are not sent",
    send: "so are events whose Consent Mode declares no ad_storage state (G1-, e.g. defaults set for the EEA only)",
  },
  "not-enforced": { block: "", send: "" },
};

function consentOf(env: EnvironmentConfig): PlanEnvironment["consent"] {
  const { tiktok } = env;
  const origin = tiktok.consentExplicit ? "explicit" : "tier default";
  const enforced = tiktok.consent !== "not-enforced";
  const undeclaredOrigin = tiktok.consentUndeclaredExplicit ? "explicit" : "policy default";
  const undeclared = enforced ? `; ${UNDECLARED_STATEMENT[tiktok.consent][tiktok.consentUndeclared]}` : "";
  const source =
    origin === "explicit"
      ? `tiktok.consent: ${tiktok.consent}`
      : `default of the ${env.tier} tier; set tiktok.consent to make it explicit`;
  const undeclaredSource = !enforced
    ? ""
    : tiktok.consentUndeclaredExplicit
      ? `; tiktok.consentUndeclared: ${tiktok.consentUndeclared}`
      : `; undeclared: ${tiktok.consentUndeclared} by the policy's default, set tiktok.consentUndeclared to choose`;
  // Which event data each client's events are gated on: said per client as soon as it is not only
  // the GA4 client's x-ga-gcs.
  const groups = clientGroups(env.gtm.clients);
  const perClient = groups.length > 1 || groups.some((g) => g.consentFrom !== "x-ga-gcs");
  const signalsOf = (group: (typeof groups)[number]) =>
    consentSignals(tiktok.consent, group.consentFrom).map((s) => `${s.keyPath} (${s.consentType})`);
  const signals = groups.flatMap((group) =>
    signalsOf(group).map((signal) => (perClient ? `${signal} from ${clientsPhrase(group.names)}` : signal)),
  );
  const byClient =
    enforced && perClient
      ? `; ${groups.map((g) => `events from ${clientsPhrase(g.names)} are judged on ${signalsOf(g).join(" and ")}${g.consentFrom === "consent_state" ? " (true = granted)" : ""}`).join("; ")}`
      : "";
  return {
    policy: tiktok.consent,
    explicit: tiktok.consentExplicit,
    origin,
    signals,
    ...(enforced ? { undeclared: { choice: tiktok.consentUndeclared, origin: undeclaredOrigin } } : {}),
    statement: `${POLICY_STATEMENT[tiktok.consent]}${undeclared}${byClient} (${source}${undeclaredSource})`,
  };
}

export function environmentStatement(env: EnvironmentConfig, logType: LogType): PlanEnvironment {
  const { tiktok, gtm } = env;
  return {
    stack: env.stackName,
    tier: env.tier,
    accountId: gtm.accountId,
    containerId: gtm.containerId,
    workspace: gtm.workspace,
    clientName: gtm.clients[0]?.name ?? "",
    clients: gtm.clients.map((c) => ({ name: c.name, consentFrom: c.consentFrom })),
    consent: consentOf(env),
    pixelEventNames: { naming: tiktok.pixelEventNames, statement: pixelStatement(env) },
    deduplication: deduplicationOf(env),
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

/**
 * TikTok merges a pixel and a server event with the same event name and event_id; event_id must be a
 * string (a number is answered with 40002). The pixel's page view usually carries no event_id, so a
 * server Pageview that has one is counted twice (docs/facts/tiktok-events-api.md#events-api-rules).
 */
function deduplicationOf(env: EnvironmentConfig): PlanEnvironment["deduplication"] {
  const pageviewEvents = env.tiktok.events
    .filter((e) => e.tiktokEvent === "Pageview")
    .map((e) => e.ga4Event)
    .sort();
  const eventId = `event_id from event data ${EVENT_ID_KEY_PATH}, sent as it arrives: it must be a string (TikTok answers a number with 40002) and the one the pixel sends with the same event`;
  const pageview =
    pageviewEvents.length === 0
      ? ""
      : `; Pageview (${pageviewEvents.join(", ")}): the pixel's page view usually carries no event_id, so send the same event_id with the pixel's page view and the GA4 ${pageviewEvents.length === 1 ? "event" : "events"}, or none with either (TikTok then matches on _ttp); otherwise page views are counted twice`;
  return { eventIdKeyPath: EVENT_ID_KEY_PATH, pageviewEvents, statement: `${eventId}${pageview}` };
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
