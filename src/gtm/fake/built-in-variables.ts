/**
 * A workspace's built-in variables: which types are enabled, and enabling or disabling them by type
 * (only the types `builtins.ts` accepts).
 */
import type { BuiltInVariable } from "../core/api";
import { SERVER_BUILT_IN_VARIABLES } from "./builtins";
import { invalid } from "./errors";
import type { FakeStore } from "./store";
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
  requireKnownBuiltIns(types);
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
  requireKnownBuiltIns(types);
  for (const type of types) ref.workspace.entities.builtIns.delete(type);
  store.touch(ref.workspace);
}

function requireKnownBuiltIns(types: readonly string[]): void {
  if (types.length === 0) throw invalid("type: at least one built-in variable type is required.");
  const unknown = types.find((type) => !(type in SERVER_BUILT_IN_VARIABLES));
  if (unknown) throw invalid(`type: invalid value "${unknown}".`);
}
