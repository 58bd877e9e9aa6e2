/**
 * `domain.certificateRevision` and `domain.nextCertificateRevision` as written (a number for every
 * certificate, or per host) and as the stack uses them (per host).
 */
import type { HostRevisions } from "./model";
import type { CertificateRevisionInput } from "./schema";

export const CERTIFICATE_HOSTS = ["tagging", "preview"] as const;

/** The serving revision of each host; a host the object leaves out is at revision 0. */
export function hostRevisions(input: CertificateRevisionInput): HostRevisions {
  if (typeof input === "number") return { tagging: input, preview: input };
  return { tagging: input.tagging ?? 0, preview: input.preview ?? 0 };
}

/** The revisions being prepared: every host for a number, else the hosts listed. */
export function nextRevisions(input: CertificateRevisionInput): Partial<HostRevisions> {
  if (typeof input === "number") return { tagging: input, preview: input };
  return Object.fromEntries(
    CERTIFICATE_HOSTS.flatMap((h) => (input[h] === undefined ? [] : [[h, input[h]]])),
  );
}
