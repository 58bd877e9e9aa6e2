/**
 * Doctor's two Tag Manager reads, through the kit's own connection (`connectGtm`: credentials, quota,
 * retries; `SGTM_GTM_ROOT_URL` for the local fake). `GtmApi` has no container read yet, so the
 * container's settings come from the same client library with the same credentials and root.
 */
import { tagmanager } from "@googleapis/tagmanager";
import { connectGtm, isLoopback, tagManagerAuth } from "../gtm/connect";
import { fromGaxiosError } from "./google-cloud";
import type { GtmReads } from "./types";

export interface GtmReadsOptions {
  /** `SGTM_GTM_ROOT_URL`; default the real API. */
  readonly rootUrl?: string;
  /** The environment's `gcp.project`, whose Tag Manager quota the calls use. */
  readonly quotaProject: string;
}

export async function connectGtmReads(options: GtmReadsOptions): Promise<GtmReads> {
  const api = await connectGtm({ rootUrl: options.rootUrl, quotaProject: options.quotaProject });
  const auth = isLoopback(options.rootUrl) ? undefined : await tagManagerAuth(options.quotaProject);
  const client = tagmanager({
    version: "v2",
    ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
    ...(auth ? { auth } : {}),
    retry: false,
    fetchImplementation: fetch,
  });
  return {
    getLiveVersion: (containerPath) => api.getLiveVersion(containerPath),
    async getContainer(containerPath) {
      try {
        return (await client.accounts.containers.get({ path: containerPath })).data;
      } catch (error) {
        throw fromGaxiosError(error);
      }
    },
  };
}
