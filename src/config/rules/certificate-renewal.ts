import { CERTIFICATE_HOSTS, hostRevisions, nextRevisions } from "../certificate-revisions";
import { KIT_DEFAULTS } from "../defaults";
import { describeValue } from "../errors";
import type { ConfigRule, RuleFinding } from "./rule";

/**
 * `domain.certificateRevision` and `domain.nextCertificateRevision` (replacing a failed certificate in
 * two deploys, docs/adr/0002):
 * - google-managed has one certificate for both hosts: one number, never per host;
 * - the next revision is the serving one plus one (the two take alternate addresses, see
 *   constructs/certificates.ts `certificateSlot`);
 * - not during `certificateSwitch`: the switch's ignore_changes would keep the proxy and the map entries
 *   off the new certificate, and deleting the old one would then fail.
 */
export const certificateRenewal: ConfigRule = ({ merged }) => {
  const domain = merged.domain;
  if (domain === undefined) return [];
  const kind = domain.certificates ?? KIT_DEFAULTS.certificates;
  const findings: RuleFinding[] = [];
  for (const key of ["certificateRevision", "nextCertificateRevision"] as const) {
    const value = domain[key];
    if (kind === "google-managed" && typeof value === "object") {
      findings.push({
        path: ["domain", key],
        message: `google-managed has one certificate for both hosts, so ${key} is one number`,
        got: `{ ${Object.entries(value)
          .map(([host, revision]) => `${host}: ${revision}`)
          .join(", ")} }`,
        allowed: "a number, e.g. 1 (per host only with `certificates: certificate-manager`)",
        fix: `write domain.${key} as a number`,
      });
    }
  }
  const next = domain.nextCertificateRevision;
  if (next === undefined || findings.length > 0) return findings;
  if (domain.certificateSwitch !== undefined) {
    return [
      {
        path: ["domain", "nextCertificateRevision"],
        message:
          "a certificate cannot be replaced during certificateSwitch: the switch keeps the proxy and the map entries on what they serve, so nothing would move to the new certificate and deleting the old one would fail",
        got: describeValue(next),
        allowed:
          "nextCertificateRevision once the switch is finished (certificateSwitch removed and deployed)",
        fix: "remove domain.nextCertificateRevision until the switch is done; a certificate the switch creates that failed is replaced afterwards",
      },
    ];
  }
  const serving = hostRevisions(domain.certificateRevision ?? KIT_DEFAULTS.certificateRevision);
  const prepared = nextRevisions(next);
  for (const host of CERTIFICATE_HOSTS) {
    const revision = prepared[host];
    if (revision === undefined || revision === serving[host] + 1) continue;
    const perHost = typeof next === "object";
    findings.push({
      path: perHost ? ["domain", "nextCertificateRevision", host] : ["domain", "nextCertificateRevision"],
      message: `the next certificate of the ${host} host is the serving one's revision plus one (certificateRevision${perHost ? `.${host}` : ""} is ${serving[host]})`,
      got: describeValue(revision),
      allowed: String(serving[host] + 1),
      fix: `set domain.nextCertificateRevision${perHost ? `.${host}` : ""}: ${serving[host] + 1}; once that certificate is ACTIVE, set certificateRevision to it and remove nextCertificateRevision`,
    });
    if (!perHost) break; // one number, one finding
  }
  return findings;
};
