/**
 * What a change interrupts, read from two real synths of an environment (the stacks as they are), and
 * from edits of one where no config produces the change.
 */
import type { EnvironmentConfig } from "../../src/config/model";
import { infraDiff } from "../../src/review/infra-diff";
import { type Interruption, interruptions } from "../../src/review/interruptions";
import type { SynthJson } from "../../src/review/synth-json";
import { fixture, synth, variant } from "../infra/helpers";
import { type Block, editable } from "./helpers";

const production = fixture("acme-production");
const manager = variant(production, { domain: { certificates: "certificate-manager" } });
const synthOf = (env: EnvironmentConfig) => synth(env).json as SynthJson;
const cache = new Map<EnvironmentConfig, SynthJson>();
const synthed = (env: EnvironmentConfig) =>
  cache.get(env) ?? (cache.set(env, synthOf(env)).get(env) as SynthJson);

function interrupted(base: SynthJson, current: SynthJson, tier = "production"): Interruption[] {
  return interruptions({ stack: "acme-production", base, current, diff: infraDiff(base, current), tier });
}
const between = (from: EnvironmentConfig, to: EnvironmentConfig) => interrupted(synthed(from), synthed(to));
const kinds = (found: readonly Interruption[]) => found.map((i) => i.kind);

describe("interruptions between two synths of an environment", () => {
  it("a renamed tagging host on google-managed: both hosts wait for a new certificate, the old host goes", () => {
    const renamed = variant(production, { domain: { tagging: "collect.acme-shop.com" } });
    const diff = infraDiff(synthed(production), synthed(renamed));
    const certificate = diff.changed.find((r) => r.type === "google_compute_managed_ssl_certificate");
    expect(certificate).toMatchObject({
      action: "replace",
      forcedBy: ["managed", "name"],
      createFirst: true,
    });
    const found = between(production, renamed);
    expect(kinds(found)).toEqual(["certificate-not-issued", "host-renamed"]);
    expect(found[0].what).toMatch(
      /^HTTPS for collect\.acme-shop\.com and preview\.sgtm\.acme-shop\.com fails from this deploy until certificate sgtm-acme-production-cert-[0-9a-f]{6} is issued/,
    );
    expect(found[0].todo).toMatch(
      /^hosts that serve traffic belong on certificate-manager: move there first/,
    );
    expect(found[1].what).toBe(
      "https://sgtm.acme-shop.com is no longer served from this deploy on: hits the site still sends there are lost",
    );
  });

  it("nothing for a certificate replaced in two deploys; a raised revision alone is caught", () => {
    const next = variant(production, { domain: { nextCertificateRevision: { tagging: 1, preview: 1 } } });
    const moved = variant(production, { domain: { certificateRevision: { tagging: 1, preview: 1 } } });
    expect(between(production, next)).toEqual([]);
    expect(between(next, moved)).toEqual([]);
    expect(kinds(between(production, moved))).toEqual(["certificate-not-issued"]);
    // Per host on Certificate Manager, the other host untouched.
    const prepared = variant(manager, { domain: { nextCertificateRevision: { preview: 1 } } });
    const served = variant(manager, { domain: { certificateRevision: { preview: 1 } } });
    expect(between(manager, prepared)).toEqual([]);
    expect(between(prepared, served)).toEqual([]);
    const raised = between(manager, served);
    expect(kinds(raised)).toEqual(["certificate-not-issued"]);
    expect(raised[0].what).toMatch(/^HTTPS for preview\.sgtm\.acme-shop\.com fails/);
    expect(raised[0].todo).toMatch(/^prepare the new certificate first: set domain\.nextCertificateRevision/);
  });

  it("nothing for the three steps of a switch to certificate-manager", () => {
    const prepare = variant(manager, { domain: { certificateSwitch: "prepare" } });
    const attach = variant(manager, { domain: { certificateSwitch: "attach" } });
    expect(between(production, prepare)).toEqual([]);
    expect(between(prepare, attach)).toEqual([]);
    expect(between(attach, manager)).toEqual([]);
  });

  it("going back to google-managed: a new proxy with a certificate Google has not issued", () => {
    expect(kinds(between(manager, production))).toEqual(["back-to-google-managed"]);
  });

  it("a host changed during a switch: nothing takes the new certificate and deleting the old one fails", () => {
    const prepare = variant(manager, { domain: { certificateSwitch: "prepare" } });
    const renamed = variant(prepare, { domain: { preview: "p.acme-shop.com" } });
    const found = between(prepare, renamed);
    expect(kinds(found)).toContain("switch-blocked");
    expect(found.find((i) => i.kind === "switch-blocked")?.todo).toMatch(/^finish the switch first/);
  });

  it("the address, the service, an entry point or a secret replaced or deleted", () => {
    const base = synthed(production);
    const head = editable(base);
    const only = (type: string, pick: (r: Block) => boolean = () => true) =>
      Object.values(head.resource[type] as Record<string, Block>).find(pick) as Block;
    only("google_compute_global_address").ip_version = "IPV4"; // ForceNew: a new address
    only("google_cloud_run_v2_service", (s) => String(s.name).endsWith("tagging")).location = "europe-west4";
    only("google_compute_global_forwarding_rule", (r) => r.port_range === "443").port_range = "8443";
    const secrets = head.resource.google_secret_manager_secret as Record<string, Block>;
    delete secrets[
      Object.keys(secrets).find((id) => String(secrets[id].secret_id).endsWith("tiktok-token")) as string
    ];
    const found = interrupted(base, head as SynthJson);
    // Both rules go: :443 for its port, :80 because its ip_address references the replaced address.
    expect(kinds(found)).toEqual([
      "address-replaced",
      "entry-point-replaced",
      "entry-point-replaced",
      "secret-destroyed",
      "service-replaced",
    ]);
    expect(found[0].what).toMatch(
      /^the load balancer's address sgtm-acme-production-ip is deleted and created again/,
    );
    expect(found[3].what).toMatch(
      /^the secret sgtm-acme-production-tiktok-token is deleted with all its versions/,
    );
  });

  it("monitoring removed from production, not from another tier; nothing without changes", () => {
    const base = synthed(production);
    const head = editable(base);
    delete head.resource.google_monitoring_alert_policy;
    delete head.resource.google_monitoring_uptime_check_config;
    expect(kinds(interrupted(base, head as SynthJson))).toEqual(["monitoring-removed"]);
    expect(interrupted(base, head as SynthJson, "staging")).toEqual([]);
    expect(interrupted(base, base)).toEqual([]);
  });
});
