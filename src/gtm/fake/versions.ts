/**
 * Container versions: `create_version` (sync when behind, compile check, snapshot, the workspace
 * replaced by a fresh one),
 * publishing with `?fingerprint=`, the version and version-header reads, and the compile problems tests
 * inject into a workspace for `create_version` to report.
 */
import type { tagmanager_v2 } from "@googleapis/tagmanager";
import type { ContainerVersion, ContainerVersionHeader, CreateContainerVersionResponse } from "../core/api";
import { cloneEntitySet } from "./entities";
import { fingerprintConflict, notFound } from "./errors";
import {
  type FakeStore,
  latestVersion,
  type VersionRecord,
  type WorkspaceRecord,
  workspacePathOf,
} from "./store";
import { isBehind, mergeLatest } from "./sync";
import { builtInVariablesFor } from "./usage-context";
import { unknownVariableReferences } from "./validate";
import { renderVersion, renderVersionHeader } from "./views";

type CompilerErrorLite = tagmanager_v2.Schema$CompilerErrorLite;
type PublishResponse = tagmanager_v2.Schema$PublishContainerVersionResponse;

export function createVersion(
  store: FakeStore,
  workspacePath: string,
  body: { name?: unknown; notes?: unknown },
): CreateContainerVersionResponse {
  const ref = store.workspaceRef(workspacePath);
  // Behind the latest version: merged first (`sync`), or versioned as it is (`as-is`, see store.ts).
  if (isBehind(ref) && (store.options.behindOnCreateVersion ?? "sync") === "sync") mergeLatest(store, ref);
  const conflicted = ref.workspace.mergeConflict === true || ref.workspace.conflicts.length > 0;
  const syncStatus = { syncError: false, mergeConflict: conflicted };
  if (syncStatus.mergeConflict) return { compilerError: false, syncStatus };
  const compilerErrors = compileProblems(ref.workspace, builtInVariablesFor(ref.container));
  if (compilerErrors.length > 0) return { compilerError: true, compilerErrors, syncStatus };
  const version: VersionRecord = {
    id: String(++ref.container.counters.version),
    name: typeof body.name === "string" ? body.name : undefined,
    description: typeof body.notes === "string" ? body.notes : undefined,
    fingerprint: store.nextFingerprint(),
    entities: cloneEntitySet(ref.workspace.entities),
  };
  ref.container.versions.set(version.id, version);
  ref.container.workspaces.delete(ref.workspace.id);
  const successor = store.addWorkspace(ref.container, ref.workspace.name, ref.workspace.description);
  return {
    containerVersion: renderVersion(ref.container, version),
    newWorkspacePath: workspacePathOf(ref.container, successor),
    syncStatus,
    compilerError: false,
  };
}

export function publishVersion(store: FakeStore, versionPath: string, fingerprint?: string): PublishResponse {
  const { container, version } = store.versionRef(versionPath);
  if (fingerprint !== undefined && fingerprint !== version.fingerprint) {
    throw fingerprintConflict(
      `Fingerprint mismatch: fingerprint "${fingerprint}" does not match the stored fingerprint "${version.fingerprint}" of ${versionPath}.`,
    );
  }
  container.liveVersionId = version.id;
  return { compilerError: false, containerVersion: renderVersion(container, version) };
}

export function seedPublishedVersion(
  store: FakeStore,
  workspacePath: string,
  name: string,
): { version: ContainerVersion; workspacePath: string } {
  const response = createVersion(store, workspacePath, { name });
  if (!response.containerVersion?.path || !response.newWorkspacePath) {
    throw new Error(`seedPublishedVersion: compile failed: ${JSON.stringify(response.compilerErrors)}`);
  }
  const published = publishVersion(store, response.containerVersion.path);
  return { version: published.containerVersion ?? {}, workspacePath: response.newWorkspacePath };
}

export function getVersion(store: FakeStore, versionPath: string): ContainerVersion {
  const { container, version } = store.versionRef(versionPath);
  return renderVersion(container, version);
}

export function getLiveVersion(store: FakeStore, containerPath: string): ContainerVersion {
  const container = store.container(containerPath);
  const live = container.liveVersionId && container.versions.get(container.liveVersionId);
  if (!live) throw notFound(`Container ${containerPath} has no live version.`);
  return renderVersion(container, live);
}

export function getLatestVersionHeader(store: FakeStore, containerPath: string): ContainerVersionHeader {
  const container = store.container(containerPath);
  const latest = latestVersion(container);
  if (!latest) throw notFound(`Container ${containerPath} has no version.`);
  return renderVersionHeader(container, latest);
}

export function listVersionHeaders(store: FakeStore, containerPath: string): ContainerVersionHeader[] {
  const container = store.container(containerPath);
  return [...container.versions.values()].map((version) => renderVersionHeader(container, version));
}

// ---- injected compile problems ----------------------------------------------------------------

export function injectCompilerError(store: FakeStore, workspacePath: string, errorMessage: string): void {
  store.workspaceRef(workspacePath).workspace.compilerErrors.push({ errorType: "injected", errorMessage });
}

export function clearCompilerErrors(store: FakeStore, workspacePath: string): void {
  store.workspaceRef(workspacePath).workspace.compilerErrors = [];
}

export function injectMergeConflict(store: FakeStore, workspacePath: string, conflict: boolean): void {
  store.workspaceRef(workspacePath).workspace.mergeConflict = conflict;
}

/** The injected errors, then one per `{{Name}}` the workspace cannot resolve. */
function compileProblems(
  workspace: WorkspaceRecord,
  builtInNames: Readonly<Record<string, string>>,
): CompilerErrorLite[] {
  const unknown = unknownVariableReferences(workspace.entities, builtInNames).map((name) => ({
    errorType: "unknownVariable",
    errorMessage: `Unknown variable "{{${name}}}" found in the workspace.`,
  }));
  return [...workspace.compilerErrors, ...unknown];
}
