/**
 * The certificate of both hosts is ACTIVE: a Compute managed SSL certificate, or a Certificate Manager
 * certificate (`domain.certificates`), read under the name the stack gives it
 * (docs/facts/sgtm-on-cloud-run.md#certificates).
 */
import {
  certificateManagerCertificateName,
  httpsProxyName,
  managedCertificateName,
} from "../../naming/stack-resources";
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
  async run(ctx) {
    const { env } = ctx;
    const { project } = env.gcp;
    const kind = env.domain.certificates;
    const name =
      kind === "google-managed"
        ? managedCertificateName(env.stackName, env.domain)
        : certificateManagerCertificateName(env.stackName, env.domain);
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
    if (NEVER_RETRIED.includes(status.state))
      return fail(detail, replaceInstructions(ctx, name, status.state));
    // PROVISIONING_FAILED: retried, unlike the states above; the usual cause is DNS or a CAA record.
    return fail(
      detail,
      "make sure both hosts point at the load balancer (see dns-tagging and dns-preview) and that no CAA record forbids Google's CA (pki.goog), then run doctor again",
    );
  },
};

function waitsForDns(ctx: DoctorContext): string {
  if (ctx.env.domain.certificates === "certificate-manager") {
    return `it waits for the DNS authorization: create the _acme-challenge CNAME records listed in the dns_records output (npx cdktf output ${ctx.env.stackName}), then allow it some minutes`;
  }
  return "it waits for DNS: point both hosts' A records at the load balancer (see dns-tagging and dns-preview), then allow up to about 60 minutes";
}

/**
 * Google never retries a certificate that failed permanently. The stack names it after its domains, so
 * Terraform cannot create the new one before deleting the old (same name): swap a temporary one in.
 */
function replaceInstructions(ctx: DoctorContext, name: string, state: string): string {
  const { project } = ctx.env.gcp;
  const { stackName } = ctx.env;
  const domains = `${ctx.env.domain.tagging},${ctx.env.domain.preview}`;
  if (ctx.env.domain.certificates === "certificate-manager") {
    return [
      "Certificate Manager gave up: correct the cause above (authorization records, CAA), then replace it:",
      `  gcloud certificate-manager certificates describe ${name} --project ${project}   # the cause`,
      `  then delete it with its map entries and run npx cdktf deploy ${stackName}, which creates it again`,
    ].join("\n");
  }
  const proxy = httpsProxyName(stackName);
  const temporary = `${name.slice(0, 58)}-tmp`;
  return [
    `Google never retries it${state === "RENEWAL_FAILED" ? " (it serves until it expires)" : ""}: replace it. Its name comes from its domains, so swap a temporary certificate in first:`,
    `  gcloud compute ssl-certificates create ${temporary} --domains ${domains} --global --project ${project}`,
    `  gcloud compute target-https-proxies update ${proxy} --ssl-certificates ${temporary} --global --project ${project}`,
    `  gcloud compute ssl-certificates delete ${name} --global --project ${project}`,
    `  npx cdktf deploy ${stackName}   # creates ${name} again and puts it back on the proxy`,
    `  gcloud compute ssl-certificates delete ${temporary} --global --project ${project}`,
  ].join("\n");
}
