/** Builds the EnvironmentConfig from merged files that passed every rule: defaults applied, nothing checked. */

import { environmentLabels } from "../naming/gcp";
import { hostRevisions, nextRevisions } from "./certificate-revisions";
import {
  CONSENT_UNDECLARED_DEFAULTS,
  DATA_CLIENT_NAME,
  KIT_DEFAULTS,
  STATE_LOCATION_DEFAULTS,
} from "./defaults";
import {
  eventMapInputOf,
  hostsOf,
  imageOf,
  instancesOf,
  monitoringOf,
  secretIdsOf,
  tierDefaultsOf,
} from "./effective";
import type { ConfigProblem } from "./errors";
import { resolveEvents } from "./events";
import type { EnvironmentConfig, GtmClient } from "./model";
import type { RuleContext } from "./rules/rule";
import type { ClientEntry, ConfigFile } from "./schema";
import type { Tier } from "./tables";

export function assembleEnvironment(
  ctx: RuleContext,
  sourceFiles: readonly string[],
  warnings: readonly ConfigProblem[] = [],
): EnvironmentConfig {
  const { merged, stackName } = ctx;
  const tierDefaults = tierDefaultsOf(merged);
  const tiktok = merged.tiktok ?? {};
  const eventMap = eventMapInputOf(merged);
  const backend = merged.backend ?? { type: "local" as const };
  const consent =
    tiktok.consent ?? (tierDefaults.consent as Exclude<typeof tierDefaults.consent, "required">);
  return {
    client: ctx.client,
    environment: ctx.environment,
    stackName,
    tier: merged.tier as Tier,
    retired: merged.retired ?? false,
    sourceFiles,
    warnings,
    gcp: { project: merged.gcp?.project as string, region: merged.gcp?.region as string },
    domain: {
      ...hostsOf(merged),
      dnsZone: merged.domain?.dnsZone
        ? {
            name: merged.domain.dnsZone.name,
            project: merged.domain.dnsZone.project ?? (merged.gcp?.project as string),
            dnsName: merged.domain.dnsZone.dnsName,
          }
        : undefined,
      certificates: merged.domain?.certificates ?? KIT_DEFAULTS.certificates,
      geoHeaders: merged.domain?.geoHeaders ?? KIT_DEFAULTS.geoHeaders,
      ipv6: merged.domain?.ipv6 ?? KIT_DEFAULTS.ipv6,
      certificateRevision: hostRevisions(
        merged.domain?.certificateRevision ?? KIT_DEFAULTS.certificateRevision,
      ),
      nextCertificateRevision:
        merged.domain?.nextCertificateRevision === undefined
          ? undefined
          : nextRevisions(merged.domain.nextCertificateRevision),
      certificateSwitch: merged.domain?.certificateSwitch,
    },
    monitoring: monitoringOf(merged),
    // The budget rule has checked that both are present.
    budget: merged.budget
      ? {
          billingAccount: merged.budget.billingAccount as string,
          monthlyAmount: merged.budget.monthlyAmount as number,
          currency: merged.budget.currency,
        }
      : undefined,
    armor: merged.armor
      ? {
          requestsPerMinutePerIp: merged.armor.requestsPerMinutePerIp ?? KIT_DEFAULTS.requestsPerMinutePerIp,
          hostAllowlist: merged.armor.hostAllowlist ?? KIT_DEFAULTS.hostAllowlist,
        }
      : undefined,
    labels: { ...merged.labels, ...environmentLabels(ctx.client, ctx.environment) },
    tagging: {
      ...instancesOf(merged),
      image: imageOf(merged),
      deletionProtection: merged.tagging?.deletionProtection ?? tierDefaults.deletionProtection,
      invoker: merged.tagging?.invoker ?? KIT_DEFAULTS.invoker,
      requestLogs: merged.tagging?.requestLogs ?? KIT_DEFAULTS.requestLogs,
    },
    backend:
      backend.type === "gcs"
        ? {
            type: "gcs",
            bucket: backend.bucket,
            prefix: backend.prefix ?? STATE_LOCATION_DEFAULTS.gcsPrefix(stackName),
          }
        : { type: "local", path: backend.path ?? STATE_LOCATION_DEFAULTS.localPath(stackName) },
    secrets: { ...secretIdsOf(merged, stackName), tokenReaders: merged.secrets?.tokenReaders ?? [] },
    gtm: {
      accountId: merged.gtm?.accountId as string,
      containerId: merged.gtm?.containerId as string,
      workspace: merged.gtm?.workspace ?? KIT_DEFAULTS.workspace,
      publish: merged.gtm?.publish ?? tierDefaults.publish,
      clients: clientsOf(merged),
      // The web-container rule has checked that containerId is there.
      ...(merged.gtm?.web
        ? {
            web: {
              accountId: merged.gtm.web.accountId ?? (merged.gtm.accountId as string),
              containerId: merged.gtm.web.containerId as string,
            },
          }
        : {}),
    },
    tiktok: {
      pixelId: tiktok.pixelId as string,
      pixelEventNames: eventMap.pixelEventNames,
      consent,
      consentExplicit: tiktok.consent !== undefined,
      consentUndeclared: tiktok.consentUndeclared ?? CONSENT_UNDECLARED_DEFAULTS[consent],
      consentUndeclaredExplicit: tiktok.consentUndeclared !== undefined,
      tagLayout: eventMap.tagLayout,
      testEventCode: tiktok.testEventCode,
      // The event-map rule has reported its problems; this pass only builds the list.
      events: resolveEvents(eventMap, () => {}),
    },
  };
}

/**
 * `gtm.clients`, else `gtm.clientName`, else the GA4 client: each with where its consent comes from
 * (an entry that is a bare name reads consent_state when it is Stape's default name, Data Client).
 */
function clientsOf(merged: ConfigFile): GtmClient[] {
  const entries: ClientEntry[] = merged.gtm?.clients ?? [merged.gtm?.clientName ?? KIT_DEFAULTS.clientName];
  return entries.map((entry) =>
    typeof entry === "string"
      ? { name: entry, consentFrom: entry === DATA_CLIENT_NAME ? "consent_state" : "x-ga-gcs" }
      : { name: entry.name, consentFrom: entry.consentFrom },
  );
}
