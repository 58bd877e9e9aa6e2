/**
 * A workspace's built-in variables: which types are enabled, and enabling or disabling them by type
 * (only the types `builtins.ts` lists for the container's kind).
 */
import type { BuiltInVariable } from "../core/api";
import { invalid } from "./errors";
import type { ContainerRecord, FakeStore } from "./store";
import { builtInVariablesFor } from "./usage-context";
import { renderBuiltIn } from "./views";

export function listBuiltInVariables(store: FakeStore, workspacePath: string): BuiltInVariable[] {
  const ref = store.workspaceRef(workspacePath);
  return [...ref.workspace.entities.builtIns].map((type) =>
    renderBuiltIn(ref.container, workspacePath, type, ref.workspace.id),
  );
}

export function enableBuiltInVariables(
  store: FakeStore,
  workspacePath: string,
  types: readonly string[],
): BuiltInVariable[] {
  const ref = store.workspaceRef(workspacePath);
  requireKnownBuiltIns(ref.container, types);
  for (const type of types) ref.workspace.entities.builtIns.add(type);
  store.touch(ref.workspace);
  return types.map((type) => renderBuiltIn(ref.container, workspacePath, type, ref.workspace.id));
}

export function disableBuiltInVariables(
  store: FakeStore,
  workspacePath: string,
  types: readonly string[],
): void {
  const ref = store.workspaceRef(workspacePath);
  requireKnownBuiltIns(ref.container, types);
  for (const type of types) ref.workspace.entities.builtIns.delete(type);
  store.touch(ref.workspace);
}

/** Only the types of the container's kind: `clientName` is a server container's, `event` a web one's. */
function requireKnownBuiltIns(container: ContainerRecord, types: readonly string[]): void {
  if (types.length === 0) throw invalid("type: at least one built-in variable type is required.");
  const known = builtInVariablesFor(container);
  const unknown = types.find((type) => !(type in known));
  if (unknown) throw invalid(`type: invalid value "${unknown}".`);
}
