/**
 * Retiring an environment: the desired container holds nothing the kit owns, so the plan deletes every
 * tag, trigger and variable with the stack's marker, in one version published per `gtm.publish`. The
 * TikTok template and the built-in variables stay: the kit never deletes a template or disables a
 * built-in, which hand-made tags may use (docs/deploy.md, "Retiring an environment").
 */
import type { DesiredContainer } from "./types";

/** `desired` emptied: the same environment, stack and token variable name, no entities, no built-ins. */
export function retiringContainer(desired: DesiredContainer): DesiredContainer {
  return {
    ...desired,
    environment: { ...desired.environment, retiring: true },
    builtIns: [],
    variables: [],
    triggers: [],
    tags: [],
    ga4Events: [],
    referencedVariables: [],
    retiring: true,
  };
}
