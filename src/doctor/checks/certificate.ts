/**
 * The certificate of both hosts is ACTIVE: a Compute managed SSL certificate, or a Certificate Manager
 * certificate (`domain.certificates`), read under the name the stack gives it
 * (docs/facts/sgtm-on-cloud-run.md#certificates).
 */
import { certificateManagerCertificateNames, managedCertificateName } from "../../naming/stack-resources";
import { type Check, type DoctorContext, fail, pass } from "../context";
import { googleFailure } from "../errors";
import type { CertificateStatus } from "../types";

/**
 * States Google never leaves by itself: to try again, the certificate is deleted and created anew
 * (docs/facts/sgtm-on-cloud-run.md#certificates). RENEWAL_FAILED still serves, until it expires.
 */
const NEVER_RETRIED = ["PROVISIONING_FAILED_PERMANENTLY", "RENEWAL_FAILED", "FAILED"];

export const certificateCheck: Check = {
  name: "certificate",
  doc: {
    passesWhen: "the managed certificate (or Certificate Manager's, per `domain.certificates`) is `ACTIVE`",
    usualFix:
      "`PROVISIONING` waits for DNS (up to ~60 min); a permanent failure needs a replacement (the steps are printed)",
  },
  async run(ctx) {
    const { env } = ctx;
    const revision = env.domain.certificateRevision;
    if (env.domain.certificates === "google-managed") {
      return certificateState(ctx, managedCertificateName(env.stackName, env.domain, revision.tagging));
    }
    // One Certificate Manager certificate per host: the first that is not ACTIVE is the finding.
    const names = certificateManagerCertificateNames(env.stackName, env.domain, revision);
    const results = [];
    for (const role of ["tagging", "preview"] as const) {
      const result = await certificateState(ctx, names[role], role);
      if (result.status !== "pass") return result;
      results.push(result);
    }
    return pass(results.map((r) => r.detail).join("; "));
  },
};

/** `role`: the host a Certificate Manager certificate serves; unset, the one certificate of both. */
async function certificateState(ctx: DoctorContext, name: string, role?: "tagging" | "preview") {
  const { env } = ctx;
  const { project } = env.gcp;
  const kind = env.domain.certificates;
  const label = `${kind === "google-managed" ? "managed SSL certificate" : "Certificate Manager certificate"} ${name}`;
  let status: CertificateStatus;
  try {
    status = await ctx.deps.cloud.certificate(project, kind, name);
  } catch (error) {
    return googleFailure(error, {
      what: `${label} (project ${project})`,
      notFound: {
        detail: `${label} does not exist in project ${project}`,
        fix: `deploy the stack (npx cdktf deploy ${env.stackName}): the certificate is named after its domains, so a domain change creates a new one`,
      },
      permission: `the identity running doctor needs ${kind === "google-managed" ? "roles/compute.viewer" : "roles/certificatemanager.viewer"} on project ${project}`,
    });
  }
  const domains = Object.entries(status.domains)
    .map(([domain, state]) => `${domain}: ${state}`)
    .join(", ");
  const detail = `${label} is ${status.state}${domains ? ` (${domains})` : ""}${status.issue ? `; ${status.issue}` : ""}`;
  if (status.state === "ACTIVE") return pass(detail);
  if (status.state === "PROVISIONING") return fail(detail, waitsForDns(ctx));
  if (NEVER_RETRIED.includes(status.state)) return fail(detail, replaceInstructions(ctx, status.state, role));
  // PROVISIONING_FAILED: retried, unlike the states above; the usual cause is DNS or a CAA record.
  return fail(
    detail,
    "make sure both hosts point at the load balancer (see dns-tagging and dns-preview) and that no CAA record forbids Google's CA (pki.goog), then run doctor again",
  );
}

function waitsForDns(ctx: DoctorContext): string {
  if (ctx.env.domain.certificates === "certificate-manager") {
    return `it waits for the DNS authorization: create the _acme-challenge CNAME records listed in the dns_records output (npx cdktf output ${ctx.env.stackName}), then allow it some minutes`;
  }
  return "it waits for DNS: point both hosts' A records at the load balancer (see dns-tagging and dns-preview), then allow up to about 60 minutes";
}

/**
 * Google never retries a certificate that failed permanently. It is replaced in two deploys, so that
 * nothing serves a certificate that is not ACTIVE: `nextCertificateRevision` creates the new one beside
 * it (on google-managed, attached beside it), then `certificateRevision` moves to it (docs/adr/0002).
 */
function replaceInstructions(ctx: DoctorContext, state: string, role?: "tagging" | "preview"): string {
  const { stackName, domain, sourceFiles } = ctx.env;
  const file = sourceFiles[sourceFiles.length - 1];
  const revisions = domain.certificateRevision;
  const next = (role ? revisions[role] : revisions.tagging) + 1;
  const nextValue = role ? `{ ${role}: ${next} }` : String(next);
  const moved = role ? { ...revisions, [role]: next } : undefined;
  const servingValue = moved ? `{ tagging: ${moved.tagging}, preview: ${moved.preview} }` : String(next);
  return [
    `Google never retries it${state === "RENEWAL_FAILED" ? " (it serves until it expires)" : ""}: correct the cause above (DNS, authorization records, a CAA record), then replace it in two deploys, the current one serving meanwhile:`,
    `  set domain.nextCertificateRevision: ${nextValue} in ${file}`,
    `  npx cdktf deploy ${stackName}   # creates the new certificate beside the current one`,
    `  once its certificate_status command prints ACTIVE: set domain.certificateRevision: ${servingValue}, remove nextCertificateRevision, deploy again`,
  ].join("\n");
}
