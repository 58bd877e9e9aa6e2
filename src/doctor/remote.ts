/**
 * The real remote calls of `sgtm doctor`: this machine's DNS and HTTPS, Google Cloud's REST APIs and the
 * Tag Manager API as the identity Terraform's google provider uses (src/credentials, as `sgtm gtm` and
 * `sgtm bootstrap` do), and TikTok's Events API (`SGTM_TIKTOK_API_ROOT_URL` points it elsewhere).
 * Nothing connects before a check asks.
 */
import { randomUUID } from "node:crypto";
import type { EnvironmentConfig } from "../config/model";
import { googleCloudClient, tagManagerConnection } from "../credentials/google";
import { authorizedGet, googleCloudReaders } from "./google-cloud";
import { connectGtmReads } from "./gtm-reads";
import { nodeHttps, systemDns } from "./net";
import { TIKTOK_API_ROOT_URL_ENV_VAR, tiktokEventsApi } from "./tiktok-api";
import type { DoctorDeps } from "./types";

export function realDoctorDeps(env: EnvironmentConfig, vars: NodeJS.ProcessEnv): DoctorDeps {
  const { cloud, secrets } = googleCloudReaders(
    authorizedGet(() => googleCloudClient(vars, env.gcp.project)),
  );
  return {
    dns: systemDns(),
    https: nodeHttps(),
    cloud,
    secrets,
    gtm: async () => connectGtmReads(tagManagerConnection(env, vars)),
    tiktok: tiktokEventsApi({ rootUrl: vars[TIKTOK_API_ROOT_URL_ENV_VAR] || undefined }),
    now: () => Date.now(),
    newEventId: () => `sgtm-doctor-${randomUUID()}`,
  };
}
