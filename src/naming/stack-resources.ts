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

/**
 * Certificates are named after their domains and `domain.certificateRevision` (0: not part of the
 * name), so a domain change, or a raised revision, creates a new one before the old goes.
 */
function revised(input: string, revision: number): string {
  return revision === 0 ? input : `${input}#${revision}`;
}

/** `domain.certificates: google-managed`: one Compute Engine managed SSL certificate for both hosts. */
export function managedCertificateName(stackName: string, hosts: StackHosts, revision = 0): string {
  return gcpName(
    "compute",
    "sgtm",
    stackName,
    "cert",
    shortHash(revised(`${hosts.tagging},${hosts.preview}`, revision)),
  );
}

/** A certificate revision per host (`domain.certificateRevision`, as the stack uses it). */
export interface StackRevisions {
  readonly tagging: number;
  readonly preview: number;
}

/**
 * `domain.certificates: certificate-manager`: one Certificate Manager certificate per host (location
 * global), each named after its own host and revision.
 */
export function certificateManagerCertificateNames(
  stackName: string,
  hosts: StackHosts,
  revisions: StackRevisions | number = 0,
): StackHosts {
  const revision = (role: keyof StackHosts) => (typeof revisions === "number" ? revisions : revisions[role]);
  const name = (role: keyof StackHosts) =>
    gcpName(
      "certificateManager",
      "sgtm",
      stackName,
      role,
      "cert",
      shortHash(revised(hosts[role], revision(role))),
    );
  return { tagging: name("tagging"), preview: name("preview") };
}

/** Cloud Run service names of the tagging and preview servers. */
export function cloudRunServiceName(stackName: string, role: "tagging" | "preview"): string {
  return gcpName("cloudRunService", "sgtm", stackName, role);
}

/** The dedicated runtime service account of both Cloud Run services. */
export function runtimeServiceAccountEmail(stackName: string, project: string): string {
  return `${gcpName("serviceAccountId", "sgtm", stackName, "run")}@${project}.iam.gserviceaccount.com`;
}
