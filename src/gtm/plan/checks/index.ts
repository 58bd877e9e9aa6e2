/**
 * Every plan check, in the order their problems are listed (errors and warnings keep this order).
 * A new check is a file here, a line below, its problem in ../problems.ts and its words in
 * ../../render/wording.ts, and a test under test/gtm/checks/.
 */
import type { PlanCheck } from "./check";
import { clientMissing } from "./client-missing";
import { clientNotNamed } from "./client-not-named";
import { containerMismatch } from "./container-mismatch";
import { containerUnnamed } from "./container-unnamed";
import { doubleSending } from "./double-sending";
import { firstVersion } from "./first-version";
import { identifierMayBeNumber } from "./identifier-may-be-number";
import { idleSender } from "./idle-sender";
import { massDelete } from "./mass-delete";
import { missingVariable } from "./missing-variable";
import { nameClash } from "./name-clash";
import { phoneNotNormalised } from "./phone-not-normalised";
import { severalTemplates } from "./several-templates";
import { sharedContainer } from "./shared-container";
import { stillReferenced } from "./still-referenced";
import { templateModified } from "./template-modified";
import { templateNameClash } from "./template-name-clash";
import { templateTypeUnknown } from "./template-type-unknown";
import { templateVersion } from "./template-version";
import { unknownGa4Event } from "./unknown-ga4-event";

export const PLAN_CHECKS: readonly PlanCheck[] = [
  severalTemplates,
  templateVersion,
  templateModified,
  sharedContainer,
  nameClash,
  templateNameClash,
  templateTypeUnknown,
  missingVariable,
  stillReferenced,
  massDelete,
  containerMismatch,
  containerUnnamed,
  doubleSending,
  idleSender,
  clientMissing,
  unknownGa4Event,
  clientNotNamed,
  identifierMayBeNumber,
  phoneNotNormalised,
  firstVersion,
];

/**
 * The checks of a retirement (the desired container is empty): whether the container is the
 * environment's, and what deleting the kit's entities would break. The others judge what the kit
 * sends, the template it would write tags with, or how much it deletes: nothing of that applies
 * when everything goes (a retirement is never refused as a mass delete).
 */
export const RETIREMENT_CHECKS: readonly PlanCheck[] = [stillReferenced, containerMismatch, containerUnnamed];
