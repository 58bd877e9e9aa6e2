/**
 * Doctor's two Tag Manager reads, through the kit's own connection (`connectGtm`: credentials, quota,
 * retries; `SGTM_GTM_ROOT_URL` for the local fake).
 */
import { connectGtm } from "../gtm/client/connect";
import type { GtmReads } from "./types";

export interface GtmReadsOptions {
  /** `SGTM_GTM_ROOT_URL`; default the real API. */
  readonly rootUrl?: string;
  /** The environment's `gcp.project`, whose Tag Manager quota the calls use. */
  readonly quotaProject: string;
}

export async function connectGtmReads(options: GtmReadsOptions): Promise<GtmReads> {
  const api = await connectGtm({ rootUrl: options.rootUrl, quotaProject: options.quotaProject });
  return {
    getLiveVersion: (containerPath) => api.getLiveVersion(containerPath),
    getContainer: (containerPath) => api.getContainer(containerPath),
  };
}
