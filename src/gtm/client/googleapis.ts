/**
 * `GtmApi` over the official `@googleapis/tagmanager` client. The client's own retries are off: the
 * resilience layer above owns retry and throttling (the client would retry PUT/DELETE blindly and
 * ignore Retry-After). Every list follows every page; every failure becomes a `GtmApiError`.
 */
import { tagmanager, type tagmanager_v2 } from "@googleapis/tagmanager";
import type {
  BuiltInVariable,
  BulkUpdateResponse,
  Container,
  ContainerSnippet,
  ContainerVersion,
  ContainerVersionHeader,
  CreateContainerVersionResponse,
  CustomTemplate,
  EntityKind,
  EntityOf,
  GalleryCoordinates,
  GtmApi,
  SyncWorkspaceResponse,
  Workspace,
  WorkspaceStatus,
  WriteGuard,
} from "../core/api";
import { GtmApiError } from "../core/api";
import { seconds } from "./deadline";

export interface GoogleapisGtmApiOptions {
  /** e.g. the local fake's `http://127.0.0.1:PORT/`; defaults to the real endpoint. */
  readonly rootUrl?: string;
  /** Any auth the client accepts (GoogleAuth, OAuth2Client, ...); none is needed against the fake. */
  readonly auth?: tagmanager_v2.Options["auth"];
  /**
   * Defaults to Node's global `fetch`, which ignores HTTPS_PROXY (gaxios' node-fetch default would honour
   * it through an agent): pass a proxy-aware fetch if the CLI must run behind a proxy.
   */
  readonly fetchImplementation?: tagmanager_v2.Options["fetchImplementation"];
  /**
   * Awaited before every HTTP request, each page of a list included: where the quota limiter sits, so
   * a long list counts as the requests it really makes.
   */
  readonly beforeRequest?: (description: string) => Promise<void>;
  /** Real time each request may take before it is given up (a `GtmApiError` with reason `timeout`); default none. */
  readonly timeoutMs?: number;
}

/** A request that got no answer within `timeoutMs` (no status: the resilience layer retries it). */
export class RequestTimedOut extends GtmApiError {
  constructor(
    readonly timeoutMs: number,
    method: string,
    path: string,
  ) {
    super(`${method} ${path}: no answer within ${seconds(timeoutMs)}`, undefined, ["timeout"], method, path);
    this.name = "RequestTimedOut";
  }
}

/** One page of a list call, reduced to what paging needs. */
interface Page<T> {
  readonly items?: T[];
  readonly nextPageToken?: string | null;
}

interface KindMethods<T> {
  list(parent: string, pageToken: string | undefined): Promise<Page<T>>;
  create(parent: string, body: T): Promise<T>;
  update(path: string, body: T, fingerprint: string): Promise<T>;
  remove(path: string): Promise<void>;
}

export function createGoogleapisGtmApi(options: GoogleapisGtmApiOptions = {}): GtmApi {
  const client = tagmanager({
    version: "v2",
    ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
    ...(options.auth ? { auth: options.auth } : {}),
    // No retryConfig either: gaxios retries whenever one is present, even with retry: false.
    retry: false,
    // Node's own fetch: gaxios would otherwise `import("node-fetch")` (ESM) on the first request,
    // which fails inside jest's CommonJS VM and is one more module to load.
    fetchImplementation: options.fetchImplementation ?? fetch,
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  });
  const callOnce = <T>(method: string, path: string, run: () => Promise<T>) =>
    callNormalised(method, path, run, options.timeoutMs);
  const before = options.beforeRequest ?? (async () => {});
  /** One request: the limiter's turn, then the guard (nothing waits between it and the request). */
  const call = async <T>(method: string, path: string, run: () => Promise<T>, guard?: WriteGuard) => {
    await before(`${method} ${path}`);
    await guard?.();
    return callOnce(method, path, run);
  };
  const listAll = <T>(
    method: string,
    path: string,
    fetchPage: (pageToken: string | undefined) => Promise<Page<T>>,
  ) =>
    listAllPages(
      method,
      path,
      async (pageToken) => {
        await before(`${method} ${path}${pageToken ? " (next page)" : ""}`);
        return fetchPage(pageToken);
      },
      callOnce,
    );
  const containers = client.accounts.containers;
  const workspaces = containers.workspaces;
  const kinds = kindMethods(workspaces);

  return {
    getContainer: (containerPath) =>
      call("GET", containerPath, async (): Promise<Container> => {
        return (await containers.get({ path: containerPath })).data;
      }),
    getContainerSnippet: (containerPath) =>
      call("GET", `${containerPath}:snippet`, async (): Promise<ContainerSnippet> => {
        return (await containers.snippet({ path: containerPath })).data;
      }),
    updateContainer: (containerPath, body, fingerprint) =>
      call("PUT", containerPath, async (): Promise<Container> => {
        // No fingerprint (none was read): an unguarded replace rather than `?fingerprint=` matching nothing.
        const guard = fingerprint || undefined;
        return (await containers.update({ path: containerPath, fingerprint: guard, requestBody: body })).data;
      }),

    listWorkspaces: (containerPath) =>
      listAll("GET", `${containerPath}/workspaces`, async (pageToken) => {
        const { data } = await workspaces.list({ parent: containerPath, pageToken });
        return { items: data.workspace, nextPageToken: data.nextPageToken };
      }),
    createWorkspace: (containerPath, name, description) =>
      call("POST", `${containerPath}/workspaces`, async (): Promise<Workspace> => {
        const { data } = await workspaces.create({
          parent: containerPath,
          requestBody: { name, description },
        });
        return data;
      }),
    getWorkspace: (workspacePath) =>
      call("GET", workspacePath, async (): Promise<Workspace> => {
        return (await workspaces.get({ path: workspacePath })).data;
      }),
    updateWorkspace: (workspacePath, body, fingerprint) =>
      call("PUT", workspacePath, async (): Promise<Workspace> => {
        const { data } = await workspaces.update({ path: workspacePath, fingerprint, requestBody: body });
        return data;
      }),
    deleteWorkspace: (workspacePath, guard) =>
      call(
        "DELETE",
        workspacePath,
        async (): Promise<void> => {
          await workspaces.delete({ path: workspacePath });
        },
        guard,
      ),
    syncWorkspace: (workspacePath) =>
      call("POST", `${workspacePath}:sync`, async (): Promise<SyncWorkspaceResponse> => {
        return (await workspaces.sync({ path: workspacePath })).data;
      }),
    getWorkspaceStatus: (workspacePath) =>
      call("GET", `${workspacePath}/status`, async (): Promise<WorkspaceStatus> => {
        return (await workspaces.getStatus({ path: workspacePath })).data;
      }),

    list: (kind, workspacePath) =>
      listAll("GET", `${workspacePath}/${kind}`, (pageToken) => kinds[kind].list(workspacePath, pageToken)),
    create: (kind, workspacePath, body) =>
      call("POST", `${workspacePath}/${kind}`, () => kinds[kind].create(workspacePath, body)),
    update: (kind, path, body, fingerprint) =>
      call("PUT", path, () => kinds[kind].update(path, body, fingerprint)),
    remove: (kind, path) => call("DELETE", path, () => kinds[kind].remove(path)),
    bulkUpdate: (workspacePath, changes) =>
      call("POST", `${workspacePath}/bulk_update`, async (): Promise<BulkUpdateResponse> => {
        const { data } = await workspaces.bulk_update({
          path: workspacePath,
          requestBody: { changes: [...changes] },
        });
        return data;
      }),

    listTemplates: (workspacePath) =>
      listAll("GET", `${workspacePath}/templates`, async (pageToken): Promise<Page<CustomTemplate>> => {
        const { data } = await workspaces.templates.list({ parent: workspacePath, pageToken });
        return { items: data.template, nextPageToken: data.nextPageToken };
      }),
    importTemplateFromGallery: (workspacePath, gallery: GalleryCoordinates) =>
      call("POST", `${workspacePath}/templates:import_from_gallery`, async (): Promise<CustomTemplate> => {
        const { data } = await workspaces.templates.import_from_gallery({
          parent: workspacePath,
          galleryOwner: gallery.owner,
          galleryRepository: gallery.repository,
          gallerySha: gallery.sha,
          acknowledgePermissions: true,
        });
        return data;
      }),
    listBuiltInVariables: (workspacePath) =>
      listAll(
        "GET",
        `${workspacePath}/built_in_variables`,
        async (pageToken): Promise<Page<BuiltInVariable>> => {
          const { data } = await workspaces.built_in_variables.list({ parent: workspacePath, pageToken });
          return { items: data.builtInVariable, nextPageToken: data.nextPageToken };
        },
      ),
    enableBuiltInVariables: (workspacePath, types) =>
      call("POST", `${workspacePath}/built_in_variables`, async (): Promise<BuiltInVariable[]> => {
        const { data } = await workspaces.built_in_variables.create({
          parent: workspacePath,
          type: [...types],
        });
        return data.builtInVariable ?? [];
      }),

    createVersion: (workspacePath, name, notes, guard) =>
      call(
        "POST",
        `${workspacePath}:create_version`,
        async (): Promise<CreateContainerVersionResponse> => {
          return (await workspaces.create_version({ path: workspacePath, requestBody: { name, notes } }))
            .data;
        },
        guard,
      ),
    publishVersion: (versionPath, { fingerprint, guard } = {}) =>
      call(
        "POST",
        `${versionPath}:publish`,
        async (): Promise<ContainerVersion> => {
          const { data } = await containers.versions.publish({ path: versionPath, fingerprint });
          return publishedVersion(data, versionPath);
        },
        guard,
      ),
    getLiveVersion: (containerPath) =>
      undefinedIfNotFound(
        call("GET", `${containerPath}/versions:live`, async (): Promise<ContainerVersion> => {
          return (await containers.versions.live({ parent: containerPath })).data;
        }),
      ),
    getLatestVersionHeader: (containerPath) =>
      undefinedIfNotFound(
        call("GET", `${containerPath}/version_headers:latest`, async (): Promise<ContainerVersionHeader> => {
          return (await containers.version_headers.latest({ parent: containerPath })).data;
        }),
      ),
    getVersion: (versionPath) =>
      call("GET", versionPath, async (): Promise<ContainerVersion> => {
        return (await containers.versions.get({ path: versionPath })).data;
      }),
  };
}

/** The three entity kinds share one shape; only the resource and the list field differ. */
function kindMethods(workspaces: tagmanager_v2.Resource$Accounts$Containers$Workspaces): {
  [K in EntityKind]: KindMethods<EntityOf<K>>;
} {
  const { tags, triggers, variables } = workspaces;
  return {
    tags: {
      list: async (parent, pageToken) => {
        const { data } = await tags.list({ parent, pageToken });
        return { items: data.tag, nextPageToken: data.nextPageToken };
      },
      create: async (parent, requestBody) => (await tags.create({ parent, requestBody })).data,
      update: async (path, requestBody, fingerprint) =>
        (await tags.update({ path, fingerprint, requestBody })).data,
      remove: async (path) => void (await tags.delete({ path })),
    },
    triggers: {
      list: async (parent, pageToken) => {
        const { data } = await triggers.list({ parent, pageToken });
        return { items: data.trigger, nextPageToken: data.nextPageToken };
      },
      create: async (parent, requestBody) => (await triggers.create({ parent, requestBody })).data,
      update: async (path, requestBody, fingerprint) =>
        (await triggers.update({ path, fingerprint, requestBody })).data,
      remove: async (path) => void (await triggers.delete({ path })),
    },
    variables: {
      list: async (parent, pageToken) => {
        const { data } = await variables.list({ parent, pageToken });
        return { items: data.variable, nextPageToken: data.nextPageToken };
      },
      create: async (parent, requestBody) => (await variables.create({ parent, requestBody })).data,
      update: async (path, requestBody, fingerprint) =>
        (await variables.update({ path, fingerprint, requestBody })).data,
      remove: async (path) => void (await variables.delete({ path })),
    },
  };
}

/** Runs one API call and normalises whatever it throws. */
async function callNormalised<T>(
  method: string,
  path: string,
  run: () => Promise<T>,
  timeoutMs: number | undefined,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (timeoutMs !== undefined && isTimeout(error)) throw new RequestTimedOut(timeoutMs, method, path);
    throw toGtmApiError(error, method, path);
  }
}

/** gaxios aborts a request past its `timeout` with an AbortSignal: a `TimeoutError` somewhere in the chain. */
function isTimeout(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const { name, code } = current as { name?: unknown; code?: unknown };
    if (name === "TimeoutError" || code === "TimeoutError") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Follows `nextPageToken` to the end: a partial listing would make an apply create duplicates
 * (docs/facts/gtm-api-v2.md#paging).
 */
async function listAllPages<T>(
  method: string,
  path: string,
  fetchPage: (pageToken: string | undefined) => Promise<Page<T>>,
  callOnce: <R>(method: string, path: string, run: () => Promise<R>) => Promise<R>,
): Promise<T[]> {
  const all: T[] = [];
  const seenTokens = new Set<string>();
  let pageToken: string | undefined;
  do {
    const page = await callOnce(method, path, () => fetchPage(pageToken));
    all.push(...(page.items ?? []));
    pageToken = page.nextPageToken || undefined;
    if (pageToken && seenTokens.has(pageToken)) {
      throw new GtmApiError(
        `${method} ${path}: page token repeated, listing would never end`,
        undefined,
        [],
        method,
        path,
      );
    }
    if (pageToken) seenTokens.add(pageToken);
  } while (pageToken);
  return all;
}

async function undefinedIfNotFound<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof GtmApiError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * `publish` answers 200 with `compilerError: true` when the version does not compile; that must not
 * pass for a published version, so it becomes an error (status 200, reason `compilerError`;
 * docs/facts/gtm-api-v2.md#workspaces-and-versions).
 */
function publishedVersion(
  data: tagmanager_v2.Schema$PublishContainerVersionResponse,
  path: string,
): ContainerVersion {
  if (data.compilerError || !data.containerVersion) {
    const details = (data.compilerErrors ?? []).map((e) => e.errorMessage).join("; ");
    throw new GtmApiError(
      `POST ${path}:publish: compiler error ${details}`.trim(),
      200,
      ["compilerError"],
      "POST",
      path,
    );
  }
  return data.containerVersion;
}

interface GaxiosLikeError {
  message?: string;
  status?: unknown;
  response?: { status?: number; data?: unknown };
  cause?: unknown;
}

interface GoogleErrorPayload {
  message?: string;
  errors?: { reason?: string }[];
}

/** Status from the response, reasons from the Google error body and gaxios' `cause.errors`. */
function toGtmApiError(error: unknown, method: string, path: string): GtmApiError {
  if (error instanceof GtmApiError) return error;
  const e = (error ?? {}) as GaxiosLikeError;
  const status = e.response?.status ?? (typeof e.status === "number" ? e.status : undefined);
  const payload = googleErrorPayload(e.response?.data);
  const reasons = unique([...reasonsOf(payload?.errors), ...reasonsOf(googleErrorPayload(e.cause)?.errors)]);
  const detail =
    payload?.message ?? (status === undefined ? transportFailure(error) : e.message) ?? String(error);
  return new GtmApiError(
    `${method} ${path}: ${status ?? "no response"} ${detail}`,
    status,
    reasons,
    method,
    path,
  );
}

/** gaxios hides a dropped connection under `cause` chains ("fetch failed" -> "other side closed"). */
function transportFailure(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const { message, code } = current as { message?: unknown; code?: unknown };
    // undici repeats "fetch failed" at two levels: say each thing once.
    if (typeof message === "string" && message) {
      const part = typeof code === "string" ? `${message} (${code})` : message;
      if (part !== parts[parts.length - 1]) parts.push(part);
    }
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(": ") || String(error);
}

function googleErrorPayload(data: unknown): GoogleErrorPayload | undefined {
  if (!data || typeof data !== "object") return undefined;
  const inner = (data as { error?: unknown }).error;
  return (inner && typeof inner === "object" ? inner : data) as GoogleErrorPayload;
}

function reasonsOf(errors: unknown): string[] {
  if (!Array.isArray(errors)) return [];
  return errors
    .map((entry) => (entry as { reason?: unknown })?.reason)
    .filter((r): r is string => typeof r === "string");
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
