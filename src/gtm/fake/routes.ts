/**
 * The fake's routes: each Tag Manager API v2 method the kit's client calls, as the URL it sends (custom
 * verbs after a colon), to the state method that answers it; lists are paged. server.ts receives the
 * request and answers with what the route returns.
 */
import { type CollectionKind, KINDS } from "./entities";
import { invalid, notFound } from "./errors";
import type { FakeTagManagerState } from "./state";

/** What a route reads of a request (server.ts records more). */
export interface RouteRequest {
  readonly method: string;
  /** Resource path as the client addresses it, custom verb included. */
  readonly path: string;
  readonly query: Readonly<Record<string, readonly string[]>>;
  readonly body?: unknown;
}

export interface Route {
  readonly method: string;
  /** Tested against the whole resource path, custom verb included. */
  readonly pattern: RegExp;
  /** Returns the JSON answer, or undefined for an empty 204. */
  readonly run: (match: RegExpExecArray, request: RouteRequest) => unknown;
}

const CONTAINER = String.raw`accounts/\d+/containers/\d+`;
const WORKSPACE = String.raw`${CONTAINER}/workspaces/\d+`;
const COLLECTIONS = "tags|triggers|variables|templates|clients";

export function buildRoutes(
  state: FakeTagManagerState,
  pageSize: number,
  features: { readonly bulkUpdate: boolean },
): Route[] {
  const page = (items: readonly unknown[], field: string, request: RouteRequest) =>
    paginate(items, field, first(request, "pageToken"), pageSize);
  const route = (method: string, pattern: string, run: Route["run"]): Route => ({
    method,
    pattern: new RegExp(`^${pattern}$`),
    run,
  });
  return [
    route("GET", `(${CONTAINER})`, ([, path]) => state.getContainer(path)),
    route("GET", `(${CONTAINER}):snippet`, ([, path]) => state.getContainerSnippet(path)),
    route("PUT", `(${CONTAINER})`, ([, path], r) =>
      state.updateContainer(path, bodyObject(r), first(r, "fingerprint")),
    ),
    route("GET", `(${CONTAINER})/workspaces`, ([, path], r) =>
      page(state.listWorkspaces(path), "workspace", r),
    ),
    route("POST", `(${CONTAINER})/workspaces`, ([, path], r) => state.createWorkspace(path, bodyObject(r))),
    route("GET", `(${WORKSPACE})`, ([, path]) => state.getWorkspace(path)),
    route("PUT", `(${WORKSPACE})`, ([, path], r) =>
      state.updateWorkspace(path, bodyObject(r), first(r, "fingerprint")),
    ),
    route("DELETE", `(${WORKSPACE})`, ([, path]) => state.deleteWorkspace(path)),
    route("POST", `(${WORKSPACE}):sync`, ([, path]) => state.syncWorkspace(path)),
    route("GET", `(${WORKSPACE})/status`, ([, path]) => state.getWorkspaceStatus(path)),
    route("POST", `(${WORKSPACE}):create_version`, ([, path], r) => state.createVersion(path, bodyObject(r))),
    route("POST", `(${WORKSPACE})/bulk_update`, ([, path], r) => {
      if (!features.bulkUpdate) throw notFound(`Not found: POST ${r.path}`);
      return state.bulkUpdate(path, bodyObject(r));
    }),
    route("GET", `(${WORKSPACE})/built_in_variables`, ([, path], r) =>
      page(state.listBuiltInVariables(path), "builtInVariable", r),
    ),
    route("POST", `(${WORKSPACE})/built_in_variables`, ([, path], r) => ({
      builtInVariable: state.enableBuiltInVariables(path, r.query.type ?? []),
    })),
    route("DELETE", `(${WORKSPACE})/built_in_variables`, ([, path], r) =>
      state.disableBuiltInVariables(path, r.query.type ?? []),
    ),
    route("POST", `(${WORKSPACE})/templates:import_from_gallery`, ([, path], r) =>
      state.importFromGallery(path, {
        owner: first(r, "galleryOwner") ?? "",
        repository: first(r, "galleryRepository") ?? "",
        sha: first(r, "gallerySha"),
        acknowledgePermissions: first(r, "acknowledgePermissions") === "true",
      }),
    ),
    route("GET", `(${WORKSPACE})/(${COLLECTIONS})`, ([, path, kind], r) =>
      page(state.list(path, kind as CollectionKind), KINDS[kind as CollectionKind].listField, r),
    ),
    route("POST", `(${WORKSPACE})/(${COLLECTIONS})`, ([, path, kind], r) =>
      state.create(path, kind as CollectionKind, bodyObject(r)),
    ),
    route("GET", `(${WORKSPACE}/(?:${COLLECTIONS})/\\d+)`, ([, path]) => state.get(path)),
    route("PUT", `(${WORKSPACE}/(?:${COLLECTIONS})/\\d+)`, ([, path], r) =>
      state.update(path, bodyObject(r), first(r, "fingerprint")),
    ),
    route("DELETE", `(${WORKSPACE}/(?:${COLLECTIONS})/\\d+)`, ([, path]) => state.remove(path)),
    route("GET", `(${CONTAINER})/versions:live`, ([, path]) => state.getLiveVersion(path)),
    route("GET", `(${CONTAINER})/version_headers:latest`, ([, path]) => state.getLatestVersionHeader(path)),
    route("GET", `(${CONTAINER})/version_headers`, ([, path], r) =>
      page(state.listVersionHeaders(path), "containerVersionHeader", r),
    ),
    route("GET", `(${CONTAINER}/versions/\\d+)`, ([, path]) => state.getVersion(path)),
    route("POST", `(${CONTAINER}/versions/\\d+):publish`, ([, path], r) =>
      state.publishVersion(path, first(r, "fingerprint")),
    ),
  ];
}

/** Offset-based page tokens, opaque to the client. An empty page omits the array, like proto3 JSON. */
function paginate(items: readonly unknown[], field: string, pageToken: string | undefined, pageSize: number) {
  const offset = pageToken === undefined ? 0 : decodePageToken(pageToken);
  const next = offset + pageSize;
  return {
    ...(items.length > offset ? { [field]: items.slice(offset, next) } : {}),
    ...(next < items.length ? { nextPageToken: Buffer.from(`offset:${next}`).toString("base64url") } : {}),
  };
}

function decodePageToken(token: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString());
  if (!match) throw invalid(`pageToken: invalid value "${token}".`);
  return Number(match[1]);
}

function first(request: RouteRequest, name: string): string | undefined {
  return request.query[name]?.[0];
}

function bodyObject(request: RouteRequest): Record<string, unknown> {
  const body = request.body ?? {};
  if (typeof body !== "object" || Array.isArray(body)) throw invalid("Request body must be a JSON object.");
  return body as Record<string, unknown>;
}
