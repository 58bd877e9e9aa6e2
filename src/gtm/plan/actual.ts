/** The actual state a plan is computed against: a workspace as read, or a container version (an export). */
import type { BuiltInVariable, ContainerVersion, CustomTemplate, Tag, Trigger, Variable } from "../core/api";
import type { OwnedKind } from "../core/kinds";

export interface ActualWorkspace {
  readonly tags: Tag[];
  readonly triggers: Trigger[];
  readonly variables: Variable[];
  readonly templates: CustomTemplate[];
  readonly builtInVariables: BuiltInVariable[];
  readonly containerId: string;
  /** The published version; undefined when nothing was ever published. */
  readonly liveVersion?: ContainerVersion;
  /**
   * false: the container has no version at all, so a new workspace gets GTM's default client and the
   * kit's version is its first. Undefined when unknown (a UI export).
   */
  readonly versioned?: boolean;
}

/** The entities of a container version, as a workspace created from it (or an export of it) holds them. */
export function workspaceFromVersion(
  containerId: string,
  version: ContainerVersion | undefined,
): ActualWorkspace {
  return {
    containerId,
    tags: version?.tag ?? [],
    triggers: version?.trigger ?? [],
    variables: version?.variable ?? [],
    templates: version?.customTemplate ?? [],
    builtInVariables: version?.builtInVariable ?? [],
    liveVersion: version,
  };
}

export type ActualEntity = Tag | Trigger | Variable;

export function actualEntities(actual: {
  tags?: Tag[] | null;
  triggers?: Trigger[] | null;
  variables?: Variable[] | null;
}): Record<OwnedKind, ActualEntity[]> {
  return { variable: actual.variables ?? [], trigger: actual.triggers ?? [], tag: actual.tags ?? [] };
}

export function pathAndFingerprint(entity: ActualEntity): { path?: string; fingerprint?: string } {
  return {
    ...(entity.path ? { path: entity.path } : {}),
    ...(entity.fingerprint ? { fingerprint: entity.fingerprint } : {}),
  };
}

/** Trigger id -> name: normalized entities name their triggers, since ids differ between workspaces. */
export function triggerNamesById(triggers: readonly Trigger[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const trigger of triggers) {
    if (trigger.triggerId && trigger.name) map.set(trigger.triggerId, trigger.name);
  }
  return map;
}
