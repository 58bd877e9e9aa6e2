/**
 * The live web container, read through the Tag Manager API: two GETs (the container, to check it is a
 * web container, and its live version). The kit never writes to the web container.
 */
import type { WebContainerConfig } from "../../config/model";
import type { Container, ContainerVersion } from "../core/api";
import { WebContainerError, type WebContainerRead, webContainerRead } from "./source";

/** The two reads the check makes; `GtmApi` and doctor's `GtmReads` both have them. */
export interface WebContainerReads {
  getContainer(containerPath: string): Promise<Container>;
  /** Undefined when nothing was ever published. */
  getLiveVersion(containerPath: string): Promise<ContainerVersion | undefined>;
}

export function webContainerPath(web: WebContainerConfig): string {
  return `accounts/${web.accountId}/containers/${web.containerId}`;
}

export async function readWebContainer(
  api: WebContainerReads,
  config: WebContainerConfig,
): Promise<WebContainerRead> {
  const path = webContainerPath(config);
  const fix = "set gtm.web.containerId to the web container's id (the one the shop's pages load)";
  const container = await api.getContainer(path);
  const usage = (container.usageContext ?? []).map((c) => c.toLowerCase());
  if (usage.length > 0 && !usage.includes("web")) {
    throw new WebContainerError(`${path} is a ${usage.join("/")} container, not a web container: ${fix}`);
  }
  const live = await api.getLiveVersion(path);
  if (!live) {
    throw new WebContainerError(
      `nothing is published in web container ${container.publicId ?? path}: the check reads the live version the shop's pages load. Publish the web container in GTM, or pass an export with --web-export FILE`,
    );
  }
  return webContainerRead(
    { ...live, container: live.container ?? container },
    { kind: "live", where: path },
    fix,
  );
}
