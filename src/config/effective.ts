/**
 * Values after kit and tier defaults, read from the merged files. The rules and the assembly both use
 * these, so a rule checks exactly the value the environment will get. Call only once the required keys
 * (defaults.ts `REQUIRED_KEYS`) are present.
 */
import { gcpName } from "../naming/gcp";
import { KIT_DEFAULTS, TIER_DEFAULTS, type TierDefaults } from "./defaults";
import type { EventMapInput } from "./events";
import type { ConfigFile } from "./schema";
import type { Tier } from "./tables";

export function tierDefaultsOf(merged: ConfigFile): TierDefaults {
  return TIER_DEFAULTS[merged.tier as Tier];
}

export function hostsOf(merged: ConfigFile): { tagging: string; preview: string } {
  const tagging = merged.domain?.tagging as string;
  return { tagging, preview: merged.domain?.preview ?? `preview.${tagging}` };
}

export function instancesOf(merged: ConfigFile): { minInstances: number; maxInstances: number } {
  return {
    minInstances: merged.tagging?.minInstances ?? tierDefaultsOf(merged).minInstances,
    maxInstances: merged.tagging?.maxInstances ?? KIT_DEFAULTS.maxInstances,
  };
}

export function imageOf(merged: ConfigFile): string {
  return merged.tagging?.image ?? KIT_DEFAULTS.image;
}

export function eventMapInputOf(merged: ConfigFile): EventMapInput {
  const tiktok = merged.tiktok ?? {};
  return {
    events: tiktok.events,
    pixelEventNames: tiktok.pixelEventNames as NonNullable<typeof tiktok.pixelEventNames>,
    tagLayout: tiktok.tagLayout ?? KIT_DEFAULTS.tagLayout,
  };
}

/** Secret ids; the defaults carry the stack name, so two environments never share one. */
export function secretIdsOf(
  merged: ConfigFile,
  stackName: string,
): { tiktokAccessToken: string; containerConfig: string } {
  return {
    tiktokAccessToken:
      merged.secrets?.tiktokAccessToken ?? gcpName("secretId", "sgtm", stackName, "tiktok-token"),
    containerConfig:
      merged.secrets?.containerConfig ?? gcpName("secretId", "sgtm", stackName, "container-config"),
  };
}

export function monitoringOf(merged: ConfigFile): {
  enabled: boolean;
  emails: string[];
  channels: string[];
  errorRatio: number;
} {
  const monitoring = merged.monitoring ?? {};
  const emails = [...new Set(monitoring.emails ?? [])];
  const channels = [...new Set(monitoring.channels ?? [])];
  const notified = emails.length + channels.length > 0;
  return {
    enabled: monitoring.enabled ?? (tierDefaultsOf(merged).monitoring || notified),
    emails,
    channels,
    errorRatio: monitoring.errorRatio ?? KIT_DEFAULTS.errorRatio,
  };
}
