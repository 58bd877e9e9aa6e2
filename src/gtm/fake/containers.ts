/**
 * The container resource's own methods: `:snippet` (the `containerConfig` a self-hosted tagging server
 * needs) and the full-replace update guarded by the fingerprint. Creating and reading a container is in
 * workspaces.ts, next to its first workspace.
 */
import { createHash } from "node:crypto";
import type { tagmanager_v2 } from "@googleapis/tagmanager";
import { fingerprintConflict, invalid } from "./errors";
import type { ContainerRecord, FakeStore } from "./store";
import { renderContainer } from "./views";

type Container = tagmanager_v2.Schema$Container;
type ContainerSnippet = tagmanager_v2.Schema$GetContainerSnippetResponse;

/**
 * A server container answers `containerConfig`: base64 of `id=<publicId>&env=1&auth=<code>`, the auth
 * code derived from the path and a generation (deterministic, and different after
 * `regenerateContainerConfig`). What the real API answers for a web container is unverified: here the
 * web snippet only, without `containerConfig` (the kit checks `usageContext` before it asks).
 */
export function getContainerSnippet(store: FakeStore, containerPath: string): ContainerSnippet {
  const container = store.container(containerPath);
  if (!container.usageContext.includes("server")) {
    return {
      snippet: `<!-- Google Tag Manager --><script>(function(w,d,s,l,i){/* fake */})(window,document,'script','dataLayer','${container.publicId}');</script>`,
    };
  }
  const auth = createHash("sha256")
    .update(`${containerPath}#${container.containerConfigGeneration}`)
    .digest("base64url")
    .slice(0, 22);
  return {
    containerConfig: Buffer.from(`id=${container.publicId}&env=1&auth=${auth}`).toString("base64"),
  };
}

/** What "Manually provision tagging server" shows after the auth code changed (a test's doing). */
export function regenerateContainerConfig(store: FakeStore, containerPath: string): void {
  store.container(containerPath).containerConfigGeneration++;
}

/**
 * Full replace of the writable fields (`name`, `notes`, `domainName`, `taggingServerUrls`): what the body
 * omits is gone afterwards. Output-only fields in the body are ignored. `usageContext` cannot change
 * (unverified; refusing is the safe assumption). Tagging server URLs must be http(s) URLs with one
 * common path, as the API's own field documentation requires.
 */
export function updateContainer(
  store: FakeStore,
  containerPath: string,
  body: Record<string, unknown>,
  fingerprint?: string,
): Container {
  const container = store.container(containerPath);
  if (fingerprint !== undefined && fingerprint !== container.fingerprint) {
    throw fingerprintConflict(
      `Fingerprint mismatch: fingerprint "${fingerprint}" does not match the stored fingerprint "${container.fingerprint}" of ${containerPath}.`,
    );
  }
  if (typeof body.name !== "string" || body.name === "")
    throw invalid("container.name: required field is missing.");
  checkUsageContext(container, body.usageContext);
  const taggingServerUrls = stringList(body.taggingServerUrls, "taggingServerUrls");
  checkTaggingServerUrls(taggingServerUrls);
  container.name = body.name;
  container.notes = typeof body.notes === "string" && body.notes !== "" ? body.notes : undefined;
  container.domainName = stringList(body.domainName, "domainName");
  container.taggingServerUrls = taggingServerUrls;
  container.fingerprint = store.nextFingerprint();
  return renderContainer(container);
}

function checkUsageContext(container: ContainerRecord, requested: unknown): void {
  if (requested === undefined) return;
  const list = stringList(requested, "usageContext");
  const same =
    list.length === container.usageContext.length && list.every((c) => container.usageContext.includes(c));
  if (!same) {
    throw invalid(
      `container.usageContext: cannot be changed (stored ${JSON.stringify(container.usageContext)}, requested ${JSON.stringify(list)}).`,
    );
  }
}

function checkTaggingServerUrls(urls: readonly string[]): void {
  const paths = urls.map((url) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol)) {
      throw invalid(`container.taggingServerUrls: "${url}" is not a valid URL.`);
    }
    return parsed.pathname.replace(/\/+$/, "");
  });
  const different = paths.findIndex((path) => path !== paths[0]);
  if (different > 0) {
    throw invalid(
      `container.taggingServerUrls: all URL paths must match, but "${urls[0]}" and "${urls[different]}" differ.`,
    );
  }
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== "string")) {
    throw invalid(`container.${field}: expected a list of strings, got ${JSON.stringify(value)}.`);
  }
  return [...value];
}
