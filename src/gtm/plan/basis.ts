/**
 * Digest of the workspace state a plan was computed from: every tag, trigger and variable (normalized,
 * with its fingerprint), the templates and the enabled built-ins. The token constant's value enters
 * only as its hash. Apply recomputes this from a fresh read and refuses when it differs.
 */
import type { OwnedKind } from "../core/kinds";
import {
  canonicalJson,
  compareText,
  type Json,
  normalizeBuiltInType,
  normalizeEntity,
} from "../core/normalize";
import { sha256 } from "../core/sensitive";
import { type ActualEntity, type ActualWorkspace, triggerNamesById } from "./actual";
import { hashTokenValue } from "./token-stand-in";

export function computeBasis(actual: ActualWorkspace, tokenVariableName: string): string {
  const context = { triggerNames: triggerNamesById(actual.triggers) };
  const entities = (kind: OwnedKind, list: readonly ActualEntity[]) =>
    list
      .map((e) => ({
        name: e.name ?? "",
        fingerprint: e.fingerprint ?? "",
        body: normalizeEntity(kind, hashTokenValue(kind, e, tokenVariableName), context),
      }))
      .sort((a, b) => compareText(a.name, b.name));
  const state = {
    containerId: actual.containerId,
    variables: entities("variable", actual.variables),
    triggers: entities("trigger", actual.triggers),
    tags: entities("tag", actual.tags),
    templates: actual.templates
      .map((t) => ({
        templateId: t.templateId ?? "",
        fingerprint: t.fingerprint ?? "",
        gallery: (t.galleryReference ?? {}) as Json,
      }))
      .sort((a, b) => compareText(a.templateId, b.templateId)),
    builtIns: actual.builtInVariables.map((b) => normalizeBuiltInType(b.type)).sort(),
  };
  return `sha256:${sha256(canonicalJson(state))}`;
}
