/**
 * Every cross-field rule, in the order its problems are reported (a fixed order keeps output stable).
 * A new rule is a file here, a line below and a test under test/config/rules/.
 */
import { budgetComplete } from "./budget-complete";
import { certificateRenewal } from "./certificate-renewal";
import { certificateSwitch } from "./certificate-switch";
import { consentExplicit } from "./consent-explicit";
import { consentUndeclared } from "./consent-undeclared";
import { contentProperties } from "./content-properties";
import { contentsSource } from "./contents-source";
import { dnsZoneRecords } from "./dns-zone-records";
import { eventMap } from "./event-map";
import { gtmClients } from "./gtm-clients";
import { imageReference } from "./image-reference";
import { instanceRange } from "./instance-range";
import { kitLabels } from "./kit-labels";
import { namePattern } from "./name-pattern";
import { pixelId } from "./pixel-id";
import { previewHost } from "./preview-host";
import { productionMonitoring } from "./production-monitoring";
import type { ConfigRule } from "./rule";
import { secretIds } from "./secret-ids";
import { stackNameLength } from "./stack-name-length";
import { testEventCodeTier } from "./test-event-code-tier";
import { userHashGroups } from "./user-hash-groups";
import { webContainer } from "./web-container";

/** Rules on the client and environment names: they run even when a required key is missing. */
export const STACK_NAME_RULES: readonly ConfigRule[] = [namePattern, stackNameLength];

/** Rules on the merged values: they run once every required key is present and the names are usable. */
export const CONFIG_RULES: readonly ConfigRule[] = [
  previewHost,
  instanceRange,
  imageReference,
  pixelId,
  consentExplicit,
  consentUndeclared,
  testEventCodeTier,
  gtmClients,
  eventMap,
  userHashGroups,
  contentsSource,
  contentProperties,
  secretIds,
  certificateSwitch,
  certificateRenewal,
  dnsZoneRecords,
  budgetComplete,
  kitLabels,
  productionMonitoring,
  webContainer,
];
