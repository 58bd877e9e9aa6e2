/**
 * The web container to check, from either place the kit reads it: a version the API returned (the
 * live one) or a container export. Both must be a web container: the server container has no pixel and
 * no GA4 tags, and checking it instead would report every event as having no pixel.
 */
import type { ContainerVersion } from "../core/api";
import { fromGtmExport } from "../export";
import type { WebSource } from "./types";
import { type WebContainer, webContainerOf } from "./web-container";

/** A web container that cannot be checked: the message says which and what to do. */
export class WebContainerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebContainerError";
  }
}

export interface WebContainerRead {
  readonly web: WebContainer;
  readonly source: WebSource;
}

/** The version read, checked to be of a web container. */
export function webContainerRead(
  version: ContainerVersion,
  source: WebSource,
  fix: string,
): WebContainerRead {
  const web = webContainerOf(version);
  const usage = web.usageContext;
  if (usage.length > 0 && !usage.includes("web")) {
    throw new WebContainerError(
      `${source.where} is a ${usage.join("/")} container, not a web container: ${fix}`,
    );
  }
  return {
    web,
    source: {
      ...source,
      ...(web.publicId ? { publicId: web.publicId } : {}),
      ...(web.versionId ? { versionId: web.versionId } : {}),
    },
  };
}

/** A web container export (GTM's Admin > Export Container), checked as `fromGtmExport` checks any. */
export function webContainerFromExport(text: string, file: string): WebContainerRead {
  const version = fromGtmExport(text, file, { kind: "any" }).liveVersion ?? {};
  return webContainerRead(
    version,
    { kind: "export", where: file },
    "export the web container (the one the shop's pages load) and pass that file",
  );
}
