import { dnsZoneRecords } from "../../../src/config/rules/dns-zone-records";
import { context } from "./context";

const zone = (dnsName: string) => ({ name: "shop-zone", dnsName });

describe("dnsZoneRecords", () => {
  it("passes without a zone name, and when both hosts are in the zone", () => {
    expect(dnsZoneRecords(context({ domain: { ipv6: true, dnsZone: { name: "shop-zone" } } }))).toEqual([]);
    expect(dnsZoneRecords(context({ domain: { ipv6: true, dnsZone: zone("shop.com.") } }))).toEqual([]);
    expect(dnsZoneRecords(context({ domain: { dnsZone: zone("sgtm.shop.com.") } }))).toEqual([]);
  });

  it("fails on ipv6 with a reverse-lookup zone, which cannot hold AAAA records", () => {
    expect(
      dnsZoneRecords(context({ domain: { ipv6: true, dnsZone: zone("1.168.192.in-addr.arpa.") } })),
    ).toEqual([
      {
        path: ["domain", "ipv6"],
        message: "zone shop-zone is a reverse-lookup zone: it cannot hold the hosts' AAAA records",
        got: '"1.168.192.in-addr.arpa."',
        allowed: "the forward zone the hosts are in, e.g. shop.com.",
        fix: "set domain.dnsZone to the zone that holds the shop's domain (or remove domain.dnsZone and create the records yourself)",
      },
    ]);
  });

  it("fails for each host outside the zone", () => {
    const findings = dnsZoneRecords(
      context({ domain: { ipv6: true, preview: "preview.other.com", dnsZone: zone("shop.com.") } }),
    );
    expect(findings.map((f) => [f.path.join("."), f.message])).toEqual([
      [
        "domain.dnsZone.dnsName",
        "preview.other.com is not in zone shop-zone, so its A/AAAA records cannot be created there",
      ],
    ]);
  });
});
