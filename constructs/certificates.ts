/**
 * The HTTPS proxy's certificates (docs/adr/0002). Not a construct of its own: the resources are created
 * in the frontend's scope, where their construct IDs (Terraform addresses) have always been, so no
 * deployed certificate is destroyed and re-created by moving them.
 */
import { gcpName, shortHash } from "../src/naming/gcp";
import {
  certificateManagerCertificateNames,
  managedCertificateName,
  type StackRevisions,
} from "../src/naming/stack-resources";
import {
  CertificateManagerCertificate,
  CertificateManagerCertificateMap,
  CertificateManagerCertificateMapEntry,
  CertificateManagerDnsAuthorization,
  ComputeManagedSslCertificate,
  type Construct,
  DnsRecordSet,
  type ITerraformDependable,
} from "./cdktf";

/**
 * - `google-managed`: a classic managed SSL certificate for both hosts (no DNS changes beyond the A
 *   records; it stays PROVISIONING until they point at the load balancer, and a domain change
 *   re-issues it while attached). For hosts that do not serve traffic yet.
 * - `certificate-manager`: Certificate Manager, one certificate per host, each issued through its DNS
 *   authorization (no need for the A record, nor for the load balancer) and served through a map:
 *   changing one host never touches the other's certificate. The path for hosts that serve traffic.
 */
export type CertificateKind = "google-managed" | "certificate-manager";

/**
 * A step of moving a serving environment to Certificate Manager (README, "Certificates"):
 * - `prepare`: create the Certificate Manager resources; the proxy and the map entries keep serving
 *   what they serve now, and the certificates they may use are kept;
 * - `attach`: the proxy takes the map (which then wins over its classic certificates) and the entries
 *   take the per-host certificates; the proxy's classic certificate stays listed, because the provider
 *   cannot set an empty list (it calls setSslCertificates first, which refuses it);
 * - unset: the final state; its proxy is a new one (see `proxyName`), created before the old one goes.
 */
export type CertificateSwitch = "prepare" | "attach";

export interface CertificatesProps {
  readonly project: string;
  readonly stackName: string;
  readonly hosts: { readonly tagging: string; readonly preview: string };
  readonly kind: CertificateKind;
  /** The serving certificate's revision per host (part of its name; equal on google-managed). */
  readonly revision: StackRevisions;
  /**
   * Certificates being prepared one revision up, for the hosts listed (see `certificateSlot`). Unset:
   * none. On google-managed the one certificate, attached beside the serving one.
   */
  readonly nextRevision?: Partial<StackRevisions>;
  /** Unset: no switch under way. */
  readonly switchStep?: CertificateSwitch;
  /** Cloud DNS zone for the authorization records. Unset: they are listed for the client to create. */
  readonly dnsZone?: { readonly name: string; readonly project: string };
  readonly dnsTtl: number;
  readonly dependsOn: readonly ITerraformDependable[];
}

export interface ProxyCertificates {
  /** The HTTPS proxy's name: a Certificate Manager proxy gets a new one (see `CertificateSwitch`). */
  readonly proxyName: string;
  readonly sslCertificates?: string[];
  readonly certificateMap?: string;
  /** What the proxy leaves as deployed during a switch step. */
  readonly ignoreChanges?: string[];
  /** DNS records the client creates for the authorizations (empty when the kit writes them). */
  readonly authorizationRecords: string[];
  /** `gcloud` commands that print each certificate's state (ACTIVE once issued). */
  readonly statusCommands: string[];
}

const ROLES = ["tagging", "preview"] as const;

/**
 * The construct ID of a certificate of `revision`: even revisions keep the ID certificates always had,
 * odd ones take a second one. A certificate and the next revision's, prepared beside it, are then two
 * resources; once the next one serves, the old one is dropped from the configuration and, created
 * before destroy, is deleted after the proxy or map entry moved off it
 * (docs/facts/provider-google.md#order-of-replacement). So `nextCertificateRevision` is always the
 * serving revision plus one (src/config/rules/certificate-renewal.ts).
 */
export function certificateSlot(id: string, revision: number): string {
  return revision % 2 === 0 ? id : `${id}-alt`;
}

/** A shell comment after a prepared certificate's status command: serve it once this prints ACTIVE. */
function nextNote(next: boolean): string {
  return next ? "  # nextCertificateRevision: move certificateRevision to it once ACTIVE" : "";
}

/** Creates the certificates in `scope` and returns what the HTTPS proxy takes. */
export function proxyCertificates(scope: Construct, props: CertificatesProps): ProxyCertificates {
  const { project, stackName, hosts } = props;
  const domains = [hosts.tagging, hosts.preview];
  const classicProxyName = gcpName("compute", "sgtm", stackName, "https");
  const statusCommands: string[] = [];

  // Named after its domains (and revision) and created before the old one is destroyed: a managed
  // certificate's domains cannot change in place, and the proxy must always hold one.
  const managedCertificate = (revision: number, next = false) => {
    const name = managedCertificateName(stackName, hosts, revision);
    statusCommands.push(
      `gcloud compute ssl-certificates describe ${name} --global --project ${project} --format='value(managed.status)'${nextNote(next)}`,
    );
    return new ComputeManagedSslCertificate(scope, certificateSlot("managed-certificate", revision), {
      project,
      name,
      type: "MANAGED",
      managed: { domains },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: [...props.dependsOn],
    });
  };
  if (props.kind === "google-managed") {
    // One certificate for both hosts. A next one is attached beside it: a Google-managed certificate
    // provisions only while a proxy uses it, and the load balancer serves only an ACTIVE one.
    const next = props.nextRevision?.tagging;
    return {
      proxyName: classicProxyName,
      sslCertificates: [
        managedCertificate(props.revision.tagging).id,
        ...(next === undefined ? [] : [managedCertificate(next, true).id]),
      ],
      authorizationRecords: [],
      statusCommands,
    };
  }

  const authorizationRecords: string[] = [];
  const authorizations = ROLES.map((role) => {
    const authorization = new CertificateManagerDnsAuthorization(scope, `dns-authorization-${role}`, {
      project,
      name: gcpName("certificateManager", "sgtm", stackName, role, shortHash(hosts[role])),
      domain: hosts[role],
      lifecycle: { createBeforeDestroy: true },
      dependsOn: [...props.dependsOn],
    });
    const record = authorization.dnsResourceRecord.get(0);
    authorizationRecords.push(`${record.name} ${props.dnsTtl} IN ${record.type} ${record.data}`);
    if (props.dnsZone) {
      new DnsRecordSet(scope, `dns-authorization-record-${role}`, {
        project: props.dnsZone.project,
        managedZone: props.dnsZone.name,
        name: record.name,
        type: record.type,
        ttl: props.dnsTtl,
        rrdatas: [record.data],
      });
    }
    return authorization;
  });
  // One per host, named after it: a change of the preview host leaves the tagging host's certificate
  // (and the traffic it serves) alone. A next revision is issued beside it, served by nothing yet.
  const hostCertificate = (role: (typeof ROLES)[number], i: number, revision: number, next = false) => {
    const name = certificateManagerCertificateNames(stackName, hosts, revision)[role];
    statusCommands.push(
      `gcloud certificate-manager certificates describe ${name} --project ${project} --format='value(managed.state)'${nextNote(next)}`,
    );
    return new CertificateManagerCertificate(scope, certificateSlot(`certificate-${role}`, revision), {
      project,
      name,
      managed: { domains: [hosts[role]], dnsAuthorizations: [authorizations[i].id] },
      lifecycle: { createBeforeDestroy: true },
    });
  };
  const perHost = ROLES.map((role, i) => hostCertificate(role, i, props.revision[role]));
  ROLES.forEach((role, i) => {
    const next = props.nextRevision?.[role];
    if (next !== undefined) hostCertificate(role, i, next, true);
  });
  // Kept while switching: the certificate an entry of an earlier kit version may still serve (both
  // hosts in one; its name is what that version gave it). Harmless where it never existed.
  if (props.switchStep !== undefined) {
    new CertificateManagerCertificate(scope, "certificate", {
      project,
      name: gcpName("certificateManager", "sgtm", stackName, "cert", shortHash(domains.join(","))),
      managed: { domains, dnsAuthorizations: authorizations.map((a) => a.id) },
      lifecycle: { createBeforeDestroy: true },
    });
  }
  const map = new CertificateManagerCertificateMap(scope, "certificate-map", {
    project,
    name: gcpName("certificateManager", "sgtm", stackName, "certs"),
    dependsOn: [...props.dependsOn],
  });
  ROLES.forEach((role, i) => {
    new CertificateManagerCertificateMapEntry(scope, `certificate-map-entry-${role}`, {
      project,
      name: gcpName("certificateManager", "sgtm", stackName, role),
      map: map.name,
      hostname: hosts[role],
      certificates: [perHost[i].id],
      // Preparing: an existing entry goes on serving its certificate until the new one is ACTIVE.
      lifecycle: props.switchStep === "prepare" ? { ignoreChanges: ["certificates"] } : undefined,
    });
  });
  // A global external proxy takes a certificate map, not `certificate_manager_certificates`.
  const certificateMap = `//certificatemanager.googleapis.com/${map.id}`;
  if (props.switchStep === undefined) {
    return {
      proxyName: gcpName("compute", "sgtm", stackName, "https", "map"),
      certificateMap,
      authorizationRecords,
      statusCommands,
    };
  }
  return {
    proxyName: classicProxyName,
    // The certificate google-managed served: one revision for both hosts (a switch takes no per-host one).
    sslCertificates: [managedCertificate(props.revision.tagging).id],
    certificateMap,
    ignoreChanges:
      props.switchStep === "prepare" ? ["ssl_certificates", "certificate_map"] : ["ssl_certificates"],
    authorizationRecords,
    statusCommands,
  };
}
