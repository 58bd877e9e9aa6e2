/**
 * The desired container in a form that fits the synthesized stack: small, stable, readable in a pull
 * request's diff. Each owned entity is listed by kind and name with a digest of its desired body, so a
 * changed event map shows as the entities it adds, removes or changes; `digest` covers the whole model
 * and decides when the deploy's GTM step runs again. The token is a marker in the model, never a value.
 */
import { canonicalJson, compareText } from "../core/normalize";
import { sha256 } from "../core/sensitive";
import type { DesiredContainer } from "./types";

export interface GtmModelSummary {
  /** `sha256:<hex>` of the whole desired model. */
  readonly digest: string;
  readonly container: string;
  readonly workspace: string;
  readonly template: string;
  readonly consent: string;
  readonly pixelEventNames: string;
  readonly tagLayout: string;
  readonly publish: boolean;
  /** `<kind> <name>` -> first 16 hex digits of the SHA-256 of the entity's desired body, sorted by key. */
  readonly entities: Readonly<Record<string, string>>;
}

export function summarizeModel(desired: DesiredContainer): GtmModelSummary {
  const { environment: env, template } = desired;
  const bodies = [
    ...desired.variables.map((body) => [`variable ${body.name}`, body] as const),
    ...desired.triggers.map((body) => [`trigger ${body.name}`, body] as const),
    ...desired.tags.map((body) => [`tag ${body.name}`, body] as const),
  ].sort(([a], [b]) => compareText(a, b));
  return {
    digest: `sha256:${sha256(canonicalJson(desired))}`,
    container: `accounts/${env.accountId}/containers/${env.containerId}`,
    workspace: env.workspace,
    template: `${template.gallery.owner}/${template.gallery.repository}@${template.gallery.sha}`,
    consent: env.consent.policy,
    pixelEventNames: env.pixelEventNames.naming,
    tagLayout: env.tagLayout.layout,
    publish: env.publishByDefault,
    entities: Object.fromEntries(
      bodies.map(([key, body]) => [key, sha256(canonicalJson(body)).slice(0, 16)]),
    ),
  };
}
