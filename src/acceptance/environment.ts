/**
 * The throwaway environment an acceptance run deploys: a staging environment of its own (its own stack,
 * state and resource names), written under the run's folder and never under `config/`, so the
 * project's environments, lock and snapshots are untouched. Pure: text in, text out.
 */
import { stringify } from "yaml";
import { renderStackLock } from "../config/load";
import type { AcceptanceInputs, RunLayout } from "./inputs";

/**
 * Without `--pixel`: a pixel code of the right shape that belongs to nobody. The tags then send
 * nowhere useful, and doctor's TikTok check is skipped (no test event code is given to it).
 */
export const PLACEHOLDER_PIXEL = "SGTMACCEPTANCENOPIXEL";

/**
 * Without `--pixel` the deploy still needs a token (the GTM step writes it into the tags): a fixed
 * placeholder per run, so a resumed run's second GTM plan compares equal to what the first one applied.
 */
export function placeholderToken(name: string): string {
  return `sgtm-acceptance-no-pixel-${name}`;
}

export interface PlannedFile {
  readonly path: string;
  readonly text: string;
}

/** The environment file (and, with `retired`, the version that retires it) and the config root's lock. */
export function environmentFiles(
  inputs: AcceptanceInputs,
  layout: RunLayout,
  options: { readonly retired?: boolean } = {},
): PlannedFile[] {
  const environment = {
    tier: "staging",
    ...(options.retired ? { retired: true } : {}),
    gcp: { project: inputs.project, region: inputs.region },
    domain: {
      tagging: inputs.domain,
      ...(inputs.dnsZone ? { dnsZone: { name: inputs.dnsZone } } : {}),
    },
    backend: inputs.stateBucket
      ? { type: "gcs", bucket: inputs.stateBucket, prefix: `sgtm-acceptance/${inputs.name}` }
      : { type: "local", path: layout.localTerraformState },
    gtm: { accountId: inputs.gtmAccount, containerId: inputs.gtmContainer },
    tiktok: {
      pixelId: inputs.pixel ?? PLACEHOLDER_PIXEL,
      pixelEventNames: "current",
      consent: "ad-storage-granted",
      // Staging may carry a test event code: the tags then only ever send test events.
      ...(inputs.testEventCode && inputs.pixel ? { testEventCode: inputs.testEventCode } : {}),
    },
    labels: { "sgtm-acceptance": inputs.name },
  };
  const header = [
    `# Written by \`sgtm acceptance\` for run ${inputs.name}: a throwaway environment (stack ${layout.stack}).`,
    "# Its resources are destroyed at the end of the run unless --keep was given; do not copy it into config/.",
  ].join("\n");
  return [
    { path: layout.environmentFile, text: `${header}\n${stringify(environment)}` },
    { path: layout.lockFile, text: renderStackLock([layout.stack]) },
  ];
}
