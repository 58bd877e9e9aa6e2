import { gcpName } from "../src/naming/gcp";
import type { StackRevisions } from "../src/naming/stack-resources";
import {
  ComputeBackendService,
  ComputeGlobalAddress,
  ComputeGlobalForwardingRule,
  ComputeRegionNetworkEndpointGroup,
  ComputeSslPolicy,
  ComputeTargetHttpProxy,
  ComputeTargetHttpsProxy,
  ComputeUrlMap,
  Construct,
  DnsRecordSet,
  type ITerraformDependable,
  TerraformOutput,
} from "./cdktf";
import { type CertificateKind, type CertificateSwitch, proxyCertificates } from "./certificates";

export interface HttpsFrontendProps {
  readonly project: string;
  readonly region: string;
  readonly stackName: string;
  readonly hosts: { readonly tagging: string; readonly preview: string };
  /** Cloud Run service names in `region`. */
  readonly services: { readonly tagging: string; readonly preview: string };
  readonly certificates: CertificateKind;
  /** The serving certificate's revision per host (part of its name). Unset: 0 for both. */
  readonly certificateRevision?: StackRevisions;
  /** Certificates prepared one revision up, for the hosts listed. Unset: none. */
  readonly nextCertificateRevision?: Partial<StackRevisions>;
  /** A step of a switch to Certificate Manager (see `CertificateSwitch`). Unset: none under way. */
  readonly certificateSwitch?: CertificateSwitch;
  /**
   * Adds `X-Gclb-Country` / `X-Gclb-Region` headers, on a second tagging backend used only for
   * `/gtm.js` and `/gtag/*` (the headers are billed per request).
   */
  readonly geoHeaders: boolean;
  /** Cloud Armor policy (ID) on every backend. Unset: none. */
  readonly securityPolicy?: string;
  /** Also serve on a global IPv6 address (AAAA records). Unset: IPv4 only. */
  readonly ipv6?: boolean;
  /** Cloud DNS zone to create the records in. Unset: the client creates them (see the `dns_records` output). */
  readonly dnsZone?: { readonly name: string; readonly project: string };
  readonly dependsOn: readonly ITerraformDependable[];
}

/** Global external Application Load Balancers use this scheme; mixing it with classic `EXTERNAL` fails. */
export const LB_SCHEME = "EXTERNAL_MANAGED";
const GEO_HEADERS = ["X-Gclb-Country:{client_region}", "X-Gclb-Region:{client_region_subdivision}"];
const GEO_PATHS = ["/gtm.js", "/gtag/*"];
const DNS_TTL = 300;
/** Every request the load balancer answers is logged (RequestLogs keeps only warnings and errors). */
export const EDGE_LOGS = { enable: true, sampleRate: 1 } as const;

/**
 * Where a request for an unknown Host goes: the tagging host, path, query and method kept. The scheme is
 * kept too (the request came over HTTPS): Google refuses `https_redirect` on a URL map that an HTTPS
 * proxy uses (docs/facts/provider-google.md#url-map-redirects).
 */
export function unknownHostRedirect(taggingHost: string) {
  return {
    hostRedirect: taggingHost,
    stripQuery: false,
    redirectResponseCode: "TEMPORARY_REDIRECT",
  } as const;
}

/**
 * The first-party HTTPS entry point: global address, serverless NEGs, backends, host-routed URL map
 * (tagging host -> tagging, preview host -> preview), certificates for both hosts, TLS 1.2+ policy,
 * :443 and an HTTP->HTTPS redirect on :80 of the same address, and optionally the Cloud DNS records.
 */
export class HttpsFrontend extends Construct {
  readonly address: ComputeGlobalAddress;
  /** The IPv6 address, when `ipv6` is set. */
  readonly addressV6?: ComputeGlobalAddress;
  /** Names of the URL maps, for scoping the load balancer's request logs. */
  readonly urlMapNames: readonly string[];
  /** The HTTPS URL map's name (the load balancer's metrics are labelled with it). */
  readonly httpsUrlMapName: string;
  /** Names of the backend services that serve the tagging host (metrics label them `backend_target_name`). */
  readonly taggingBackendNames: readonly string[];

  private readonly props: HttpsFrontendProps;

  constructor(scope: Construct, id: string, props: HttpsFrontendProps) {
    super(scope, id);
    this.props = props;
    const dependsOn = [...props.dependsOn];
    this.address = new ComputeGlobalAddress(this, "address", {
      project: props.project,
      name: this.name("ip"),
      dependsOn,
    });

    const taggingNeg = this.serverlessNeg("tagging", props.services.tagging);
    const taggingBackend = this.backend("tagging", taggingNeg);
    const previewBackend = this.backend("preview", this.serverlessNeg("preview", props.services.preview));
    const geoBackend = props.geoHeaders ? this.backend("tagging-geo", taggingNeg, GEO_HEADERS) : undefined;

    const urlMap = new ComputeUrlMap(this, "url-map", {
      project: props.project,
      name: this.name("https"),
      // Never the tagging server for a Host it was not set up for (the bare IP, a stranger's CNAME):
      // those are sent to the tagging host, method and query kept (307).
      defaultUrlRedirect: unknownHostRedirect(props.hosts.tagging),
      hostRule: [
        { hosts: [props.hosts.tagging], pathMatcher: "tagging" },
        { hosts: [props.hosts.preview], pathMatcher: "preview" },
      ],
      pathMatcher: [
        {
          name: "tagging",
          defaultService: taggingBackend.id,
          pathRule: geoBackend ? [{ paths: GEO_PATHS, service: geoBackend.id }] : undefined,
        },
        { name: "preview", defaultService: previewBackend.id },
      ],
    });
    const sslPolicy = new ComputeSslPolicy(this, "ssl-policy", {
      project: props.project,
      name: this.name("tls"),
      profile: "MODERN",
      minTlsVersion: "TLS_1_2",
      dependsOn,
    });
    const certificates = proxyCertificates(this, {
      project: props.project,
      stackName: props.stackName,
      hosts: props.hosts,
      kind: props.certificates,
      revision: props.certificateRevision ?? { tagging: 0, preview: 0 },
      nextRevision: props.nextCertificateRevision,
      switchStep: props.certificateSwitch,
      dnsZone: props.dnsZone,
      dnsTtl: DNS_TTL,
      dependsOn,
    });
    const httpsProxy = new ComputeTargetHttpsProxy(this, "https-proxy", {
      project: props.project,
      name: certificates.proxyName,
      urlMap: urlMap.id,
      sslPolicy: sslPolicy.id,
      sslCertificates: certificates.sslCertificates,
      certificateMap: certificates.certificateMap,
      // A new name (the end of a switch to Certificate Manager) replaces the proxy without a gap: the
      // new one is created, the forwarding rule retargeted, then the old one deleted.
      lifecycle: { createBeforeDestroy: true, ignoreChanges: certificates.ignoreChanges },
    });
    // IPv6: a second address with its own two rules on the same proxies (IDs of the IPv4 ones unchanged).
    this.addressV6 = props.ipv6
      ? new ComputeGlobalAddress(this, "address-ipv6", {
          project: props.project,
          name: this.name("ipv6"),
          ipVersion: "IPV6",
          dependsOn,
        })
      : undefined;
    const addresses = [
      { idSuffix: "", nameSuffix: [], address: this.address.address },
      ...(this.addressV6
        ? [{ idSuffix: "-ipv6", nameSuffix: ["ipv6"], address: this.addressV6.address }]
        : []),
    ];
    for (const { idSuffix, nameSuffix, address } of addresses)
      this.forwardingRule(
        `https-forwarding-rule${idSuffix}`,
        this.name("https", ...nameSuffix),
        "443",
        httpsProxy.id,
        address,
      );

    const redirectMap = new ComputeUrlMap(this, "redirect-url-map", {
      project: props.project,
      name: this.name("http-redirect"),
      // Keep the query: sGTM hits carry their payload in it.
      defaultUrlRedirect: { httpsRedirect: true, stripQuery: false },
      dependsOn,
    });
    const httpProxy = new ComputeTargetHttpProxy(this, "http-proxy", {
      project: props.project,
      name: this.name("http"),
      urlMap: redirectMap.id,
    });
    for (const { idSuffix, nameSuffix, address } of addresses)
      this.forwardingRule(
        `http-forwarding-rule${idSuffix}`,
        this.name("http", ...nameSuffix),
        "80",
        httpProxy.id,
        address,
      );
    this.httpsUrlMapName = this.name("https");
    this.taggingBackendNames = [this.name("tagging"), ...(geoBackend ? [this.name("tagging-geo")] : [])];
    this.urlMapNames = [this.httpsUrlMapName, this.name("http-redirect")];

    const records = [
      { type: "A", address: this.address.address },
      ...(this.addressV6 ? [{ type: "AAAA", address: this.addressV6.address }] : []),
    ];
    const aRecords = records.flatMap(({ type, address }) =>
      (["tagging", "preview"] as const).map((role) => {
        const host = props.hosts[role];
        if (props.dnsZone) {
          new DnsRecordSet(this, `dns-${type.toLowerCase()}-${role}`, {
            project: props.dnsZone.project,
            managedZone: props.dnsZone.name,
            name: `${host}.`,
            type,
            ttl: DNS_TTL,
            rrdatas: [address],
          });
        }
        return `${host}. ${DNS_TTL} IN ${type} ${address}`;
      }),
    );

    new TerraformOutput(this, "ip-address", {
      description: "The load balancer's IP address",
      value: this.address.address,
    }).overrideLogicalId("ip_address");
    if (this.addressV6) {
      new TerraformOutput(this, "ipv6-address", {
        description: "The load balancer's IPv6 address",
        value: this.addressV6.address,
      }).overrideLogicalId("ipv6_address");
    }
    new TerraformOutput(this, "dns-records", {
      description: props.dnsZone
        ? `DNS records (created in Cloud DNS zone ${props.dnsZone.name} of project ${props.dnsZone.project})`
        : "DNS records the client must create at their DNS provider; TLS is issued once they resolve",
      value: [...aRecords, ...certificates.authorizationRecords],
    }).overrideLogicalId("dns_records");
    new TerraformOutput(this, "certificate-status", {
      description: "Commands that print each certificate's state: ACTIVE once issued",
      value: certificates.statusCommands,
    }).overrideLogicalId("certificate_status");
  }

  private name(...suffix: string[]): string {
    return gcpName("compute", "sgtm", this.props.stackName, ...suffix);
  }

  private serverlessNeg(role: "tagging" | "preview", cloudRunService: string): string {
    return new ComputeRegionNetworkEndpointGroup(this, `${role}-neg`, {
      project: this.props.project,
      region: this.props.region,
      name: this.name(role),
      networkEndpointType: "SERVERLESS",
      cloudRun: { service: cloudRunService },
      dependsOn: [...this.props.dependsOn],
    }).id;
  }

  /** No health check (serverless NEGs reject them) and no timeout (not supported for serverless NEGs). */
  private backend(
    role: "tagging" | "preview" | "tagging-geo",
    neg: string,
    customRequestHeaders?: readonly string[],
  ): ComputeBackendService {
    return new ComputeBackendService(this, `${role}-backend`, {
      project: this.props.project,
      name: this.name(role),
      loadBalancingScheme: LB_SCHEME,
      protocol: "HTTP",
      customRequestHeaders: customRequestHeaders ? [...customRequestHeaders] : undefined,
      backend: [{ group: neg }],
      securityPolicy: this.props.securityPolicy,
      // Off by default on new backend services: without it edge 4xx/5xx are never recorded (and the
      // request-log exclusion has nothing to exclude). Successful hits are dropped by RequestLogs.
      logConfig: EDGE_LOGS,
    });
  }

  private forwardingRule(id: string, name: string, port: string, target: string, ipAddress: string): void {
    new ComputeGlobalForwardingRule(this, id, {
      project: this.props.project,
      name,
      target,
      ipAddress,
      ipProtocol: "TCP",
      portRange: port,
      loadBalancingScheme: LB_SCHEME,
    });
  }
}
