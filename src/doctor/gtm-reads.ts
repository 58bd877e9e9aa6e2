/**
 * Doctor's two Tag Manager reads, through the kit's own connection (`connectGtm`: credentials, quota,
 * retries; `SGTM_GTM_ROOT_URL` for the local fake).
 */
import { type ConnectOptions, connectGtm } from "../gtm/client/connect";
import type { GtmReads } from "./types";

/**
 * `rootUrl`: `SGTM_GTM_ROOT_URL`, default the real API. `quotaProject`: the environment's `gcp.project`,
 * whose Tag Manager quota the calls use. `identity`: who the calls run as (src/credentials chooses it).
 */
export type GtmReadsOptions = Pick<ConnectOptions, "rootUrl" | "quotaProject" | "identity">;

export async function connectGtmReads(options: GtmReadsOptions): Promise<GtmReads> {
  const api = await connectGtm(options);
  return {
    getLiveVersion: (containerPath) => api.getLiveVersion(containerPath),
    getContainer: (containerPath) => api.getContainer(containerPath),
  };
}
