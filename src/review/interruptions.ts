/**
 * Which changes of a reviewed stack interrupt what it serves, each with what happens and what to do
 * instead (docs/interruptions.md). Pure: the two synths and their classified diff in, a sorted list out.
 * Only a stack whose base exists can be interrupted; without a base everything is new.
 */
import { compareText } from "../gtm/core/normalize";
import type { InfraDiff } from "./infra-diff";
import {
  isObject,
  type JsonObject,
  kitMetadata,
  referencedAddresses,
  type SynthJson,
  type SynthResource,
  synthResources,
} from "./synth-json";

export type InterruptionKind =
  | "certificate-not-issued"
  | "back-to-google-managed"
  | "switch-blocked"
  | "host-renamed"
  | "address-replaced"
  | "service-replaced"
  | "entry-point-replaced"
  | "secret-destroyed"
  | "monitoring-removed";

export interface Interruption {
  readonly kind: InterruptionKind;
  /** Terraform addresses of the resources it is about, sorted. */
  readonly resources: readonly string[];
  /** What happens to what the environment serves. */
  readonly what: string;
  /** What to do instead, or before deploying. */
  readonly todo: string;
}

export interface InterruptionInput {
  readonly stack: string;
  readonly base: SynthJson;
  readonly current: SynthJson;
  readonly diff: InfraDiff;
  /** The environment's tier from its config; the base synth's own record wins (a tier change). */
  readonly tier?: string;
}

const CERTIFICATE_TYPES = [
  "google_compute_managed_ssl_certificate",
  "google_certificate_manager_certificate",
];
const PROXY = "google_compute_target_https_proxy";
const MAP_ENTRY = "google_certificate_manager_certificate_map_entry";
const SWITCH_DOC = 'docs/interruptions.md, "Moving to certificate-manager"';

export function interruptions(input: InterruptionInput): Interruption[] {
  const before = synthResources(input.base);
  const after = synthResources(input.current);
  const replaced = new Set(input.diff.changed.filter((r) => r.action === "replace").map((r) => r.address));
  const removed = new Set(input.diff.removed.map((r) => r.address));
  const gone = (address: string) => replaced.has(address) || removed.has(address);
  const name = (address: string) =>
    String((after.get(address) ?? before.get(address))?.attributes.name ?? address);
  const found: Interruption[] = [
    ...certificateInterruptions(before, after, replaced, removed),
    ...renamedHosts(before, after),
  ];
  for (const [address, resource] of before) {
    if (!gone(address)) continue;
    const verb = replaced.has(address) ? "deleted and created again" : "deleted";
    if (resource.type === "google_compute_global_address") {
      found.push({
        kind: "address-replaced",
        resources: [address],
        what: `the load balancer's address ${name(address)} is ${verb}: both hosts stop answering until their DNS records point at the new address (the ip_address output after the deploy) and the old records' TTL has passed`,
        todo: "keep the address (its name and IP version); if it must change, lower the DNS TTL days before and update the records right after the deploy (domain.dnsZone does it)",
      });
    } else if (resource.type === "google_cloud_run_v2_service") {
      found.push({
        kind: "service-replaced",
        resources: [address],
        what: `the Cloud Run service ${name(address)} is ${verb}: requests fail until the new one serves (with deletion protection on, the deploy fails instead)`,
        todo: "keep the service's name, region and project; if it must change, set tagging.deletionProtection: false and deploy at a quiet hour",
      });
    } else if (resource.type === "google_compute_global_forwarding_rule") {
      found.push({
        kind: "entry-point-replaced",
        resources: [address],
        what: `the load balancer's entry point ${name(address)} (port ${String(resource.attributes.port_range)}) is ${verb}: connections to it fail in between`,
        todo: "keep the rule's address, port and protocol (a new target proxy is taken in place)",
      });
    } else if (resource.type === "google_secret_manager_secret") {
      const id = String(resource.attributes.secret_id ?? address);
      found.push({
        kind: "secret-destroyed",
        resources: [address],
        what: `the secret ${id} is ${verb} with all its versions: new Cloud Run revisions cannot read the container config, the GTM step cannot read the TikTok token, until the values are added again (with deletion protection on, the deploy fails instead)`,
        todo: `keep the secrets.* ids; if this is intended, add the values again right after the deploy (npx sgtm secrets --env ${input.stack})`,
      });
    }
  }
  const tier = kitMetadata(input.base).tier ?? input.tier;
  const monitoring = [...removed].filter((address) =>
    ["google_monitoring_uptime_check_config", "google_monitoring_alert_policy"].includes(
      before.get(address)?.type ?? "",
    ),
  );
  if (tier === "production" && monitoring.length > 0) {
    found.push({
      kind: "monitoring-removed",
      resources: monitoring.sort(compareText),
      what: `production loses its monitoring: nobody is alerted when ${input.stack} stops serving`,
      todo: "production is always monitored; if the environment no longer serves, retire it (retired: true) instead",
    });
  }
  return found.sort((a, b) => compareText(a.kind, b.kind) || compareText(a.resources[0], b.resources[0]));
}

/**
 * A proxy or map entry that served in the base and would now serve only certificates created or
 * replaced by this change: they are not issued yet, so its hosts have no TLS until they are. During a
 * certificate switch the consumer ignores what it serves, so it stays on a certificate this change
 * deletes: that fails instead.
 */
function certificateInterruptions(
  before: ReadonlyMap<string, SynthResource>,
  after: ReadonlyMap<string, SynthResource>,
  replaced: ReadonlySet<string>,
  removed: ReadonlySet<string>,
): Interruption[] {
  const certificates = (consumer: JsonObject, attribute: string) =>
    referencedAddresses(consumer[attribute]).filter((a) => CERTIFICATE_TYPES.includes(a.split(".")[0]));
  const fresh = (address: string) => !before.has(address) || replaced.has(address);
  const found: Interruption[] = [];
  for (const [address, resource] of after) {
    const old = before.get(address);
    if (old === undefined || (resource.type !== PROXY && resource.type !== MAP_ENTRY)) continue;
    const attribute = resource.type === PROXY ? "ssl_certificates" : "certificates";
    // A renamed host is its own interruption: the new name served nothing yet.
    if (resource.type === MAP_ENTRY && old.attributes.hostname !== resource.attributes.hostname) continue;
    const serves = certificates(resource.attributes, attribute);
    const served = certificates(old.attributes, attribute);
    const hosts = hostsOf(resource, serves, after);
    if (ignores(resource.attributes, attribute)) {
      const deleted = served.filter((c) => replaced.has(c) || removed.has(c));
      if (deleted.length > 0) {
        found.push({
          kind: "switch-blocked",
          resources: [address, ...deleted].sort(compareText),
          what: `${describe(resource)} keeps serving what it serves while domain.certificateSwitch is set, so it never takes the new certificate, and deleting ${deleted.map((c) => certificateName(c, before)).join(", ")} (still in use) fails the deploy`,
          todo: "finish the switch first (attach, then remove certificateSwitch and deploy), then change the host or the certificate revision",
        });
      }
      continue;
    }
    if (serves.length === 0 || !serves.every(fresh)) continue;
    const names = serves.map((c) => certificateName(c, after)).join(", ");
    const wasMap = typeof old.attributes.certificate_map === "string";
    if (resource.type === PROXY && wasMap && resource.attributes.certificate_map === undefined) {
      found.push({
        kind: "back-to-google-managed",
        resources: [address, ...serves].sort(compareText),
        what: `going back from certificate-manager to google-managed puts a new proxy in front of ${hosts.join(" and ")} with the new certificate ${names}, which Google issues only once the proxy serves it: HTTPS fails for up to about 60 minutes`,
        todo: "keep domain.certificates: certificate-manager; the kit has no staged way back",
      });
      continue;
    }
    found.push({
      kind: "certificate-not-issued",
      resources: [address, ...serves].sort(compareText),
      what: `HTTPS for ${hosts.join(" and ")} fails from this deploy until ${names} is issued (once DNS points here, up to about 60 minutes): ${describe(resource)} would serve only certificates this change creates`,
      todo:
        resource.type === PROXY
          ? `hosts that serve traffic belong on certificate-manager: move there first (${SWITCH_DOC}), then make this change; a failed certificate is replaced with domain.nextCertificateRevision, never by raising certificateRevision alone`
          : "prepare the new certificate first: set domain.nextCertificateRevision for this host, deploy, and once it is ACTIVE move certificateRevision to it",
    });
  }
  return found;
}

/** Hosts the HTTPS URL map routed before and no longer does. */
function renamedHosts(
  before: ReadonlyMap<string, SynthResource>,
  after: ReadonlyMap<string, SynthResource>,
): Interruption[] {
  const hosts = (resources: ReadonlyMap<string, SynthResource>) =>
    new Map(
      [...resources]
        .filter(([, r]) => r.type === "google_compute_url_map" && Array.isArray(r.attributes.host_rule))
        .flatMap(([address, r]) =>
          (r.attributes.host_rule as JsonObject[]).flatMap((rule) =>
            (Array.isArray(rule.hosts) ? rule.hosts : []).map((host) => [String(host), address] as const),
          ),
        ),
    );
  const now = hosts(after);
  return [...hosts(before)]
    .filter(([host]) => !now.has(host))
    .map(([host, address]) => ({
      kind: "host-renamed" as const,
      resources: [address],
      what: `https://${host} is no longer served from this deploy on: hits the site still sends there are lost`,
      todo: "move the site's tagging URLs (and the server container URL in GTM) to the new host right after this deploy, once it serves; on certificate-manager its certificate is issued through DNS before traffic moves, so it serves from the start",
    }));
}

function ignores(attributes: JsonObject, attribute: string): boolean {
  const lifecycle = attributes.lifecycle;
  return (
    isObject(lifecycle) &&
    Array.isArray(lifecycle.ignore_changes) &&
    lifecycle.ignore_changes.includes(attribute)
  );
}

function hostsOf(
  consumer: SynthResource,
  certificates: readonly string[],
  after: ReadonlyMap<string, SynthResource>,
) {
  if (consumer.type === MAP_ENTRY) return [String(consumer.attributes.hostname)];
  const domains = certificates.flatMap((c) => {
    const managed = after.get(c)?.attributes.managed;
    return isObject(managed) && Array.isArray(managed.domains) ? managed.domains.map(String) : [];
  });
  return [...new Set(domains)];
}

function describe(resource: SynthResource): string {
  return resource.type === PROXY
    ? `the HTTPS proxy ${String(resource.attributes.name)}`
    : `the certificate map entry for ${String(resource.attributes.hostname)}`;
}

function certificateName(address: string, resources: ReadonlyMap<string, SynthResource>): string {
  return `certificate ${String(resources.get(address)?.attributes.name ?? address)}`;
}
