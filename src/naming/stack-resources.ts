/**
 * Names of a stack's resources that the CLI looks up after a deploy (`sgtm doctor`): built from the same
 * `gcpName` parts as in constructs/https-frontend.ts and constructs/tagging-server.ts. A test synthesizes
 * the stack and compares (test/doctor/names.test.ts), so a rename in a construct fails there first.
 */
import { gcpName, shortHash } from "./gcp";

export interface StackHosts {
  readonly tagging: string;
  readonly preview: string;
}

/** The global address the forwarding rules listen on (the A records point at it). */
export function loadBalancerAddressName(stackName: string): string {
  return gcpName("compute", "sgtm", stackName, "ip");
}

/** The HTTPS URL map and target proxy share this name. */
export function httpsProxyName(stackName: string): string {
  return gcpName("compute", "sgtm", stackName, "https");
}

/** Certificates are named after their domains, so a domain change creates a new one. */
function domainsHash(hosts: StackHosts): string {
  return shortHash([hosts.tagging, hosts.preview].join(","));
}

/** `domain.certificates: google-managed`: a Compute Engine managed SSL certificate. */
export function managedCertificateName(stackName: string, hosts: StackHosts): string {
  return gcpName("compute", "sgtm", stackName, "cert", domainsHash(hosts));
}

/** `domain.certificates: certificate-manager`: a Certificate Manager certificate (location global). */
export function certificateManagerCertificateName(stackName: string, hosts: StackHosts): string {
  return gcpName("certificateManager", "sgtm", stackName, "cert", domainsHash(hosts));
}

/** Cloud Run service names of the tagging and preview servers. */
export function cloudRunServiceName(stackName: string, role: "tagging" | "preview"): string {
  return gcpName("cloudRunService", "sgtm", stackName, role);
}

/** The dedicated runtime service account of both Cloud Run services. */
export function runtimeServiceAccountEmail(stackName: string, project: string): string {
  return `${gcpName("serviceAccountId", "sgtm", stackName, "run")}@${project}.iam.gserviceaccount.com`;
}
