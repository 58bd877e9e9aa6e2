import { hostsOf } from "../effective";
import { describeValue } from "../errors";
import type { ConfigRule } from "./rule";

const REVERSE_ZONE = /(^|\.)(in-addr|ip6)\.arpa\.$/;

/**
 * With `domain.dnsZone.dnsName` known, the kit's records must fit in the zone: a reverse-lookup zone
 * holds PTR records, never the hosts' AAAA (nor A) records, and a host outside the zone's name cannot be
 * written there at all.
 */
export const dnsZoneRecords: ConfigRule = ({ merged }) => {
  const zone = merged.domain?.dnsZone;
  if (zone?.dnsName === undefined) return [];
  const dnsName = zone.dnsName;
  if (REVERSE_ZONE.test(dnsName)) {
    return [
      {
        path: merged.domain?.ipv6 ? ["domain", "ipv6"] : ["domain", "dnsZone", "dnsName"],
        message: `zone ${zone.name} is a reverse-lookup zone: it cannot hold the hosts' ${merged.domain?.ipv6 ? "AAAA" : "A"} records`,
        got: describeValue(dnsName),
        allowed: "the forward zone the hosts are in, e.g. shop.com.",
        fix: "set domain.dnsZone to the zone that holds the shop's domain (or remove domain.dnsZone and create the records yourself)",
      },
    ];
  }
  const { tagging, preview } = hostsOf(merged);
  return [tagging, preview]
    .filter((host) => `${host}.` !== dnsName && !`${host}.`.endsWith(`.${dnsName}`))
    .map((host) => ({
      path: ["domain", "dnsZone", "dnsName"],
      message: `${host} is not in zone ${zone.name}, so its A${merged.domain?.ipv6 ? "/AAAA" : ""} records cannot be created there`,
      got: describeValue(dnsName),
      allowed: `a zone whose DNS name ends ${host}.`,
      fix: "use the zone that holds the host (or remove domain.dnsZone and create the records yourself)",
    }));
};
