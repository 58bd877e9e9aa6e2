import { attributePath, classifyChange, forcesReplacement } from "../../src/review/classify";
import { FORCE_NEW } from "../../src/review/force-new";
import type { JsonObject } from "../../src/review/synth-json";
import { allResources, fixture, synth, variant } from "../infra/helpers";

const service = (image: string, name = "sgtm-shop-production-tagging"): JsonObject => ({
  name,
  location: "europe-west1",
  template: { containers: [{ image, env: [{ name: "A", value: "1" }] }] },
  depends_on: ["x"],
});

describe("classifyChange", () => {
  it("creates what only the after side has, destroys what only the before side has", () => {
    expect(classifyChange({ type: "google_compute_url_map", after: { name: "m" } }).action).toBe("create");
    expect(classifyChange({ type: "google_compute_url_map", before: { name: "m" } }).action).toBe("destroy");
  });

  it("updates in place what the provider can change, replaces on a ForceNew attribute", () => {
    const update = classifyChange({
      type: "google_cloud_run_v2_service",
      before: service("a:1"),
      after: service("a:2"),
    });
    expect(update).toEqual({ action: "update", forcedBy: [], createFirst: false, known: true });
    const replace = classifyChange({
      type: "google_cloud_run_v2_service",
      before: service("a:1"),
      after: service("a:1", "sgtm-shop-production-tagging-2"),
    });
    expect(replace).toEqual({ action: "replace", forcedBy: ["name"], createFirst: false, known: true });
  });

  it("replaces on a change under a ForceNew block, created first with create_before_destroy", () => {
    const check = (host: string): JsonObject => ({
      display_name: "sGTM /healthy",
      monitored_resource: { type: "uptime_url", labels: { host, project_id: "p" } },
      lifecycle: { create_before_destroy: true },
    });
    expect(
      classifyChange({
        type: "google_monitoring_uptime_check_config",
        before: check("sgtm.a.com"),
        after: check("sgtm.b.com"),
      }),
    ).toEqual({ action: "replace", forcedBy: ["monitored_resource"], createFirst: true, known: true });
  });

  it("sees through list positions, and changes nothing for Terraform's own arguments or ignored attributes", () => {
    expect(attributePath("template[0].containers[TOKEN].env[2].value")).toBe("template.containers.env.value");
    const proxy = (certificates: string[], ignore?: string[]): JsonObject => ({
      name: "sgtm-x-https",
      ssl_certificates: certificates,
      ...(ignore ? { lifecycle: { ignore_changes: ignore } } : {}),
      depends_on: certificates,
    });
    const type = "google_compute_target_https_proxy";
    expect(classifyChange({ type, before: proxy(["a"]), after: proxy(["b"]) }).action).toBe("update");
    expect(
      classifyChange({
        type,
        before: proxy(["a"], ["ssl_certificates"]),
        after: proxy(["b"], ["ssl_certificates"]),
      }).action,
    ).toBe("no-op");
    const service = "google_cloud_run_v2_service";
    const scaled = (mode?: string): JsonObject => ({
      name: "s",
      scaling: { min_instance_count: 1, ...(mode ? { scaling_mode: mode } : {}) },
      lifecycle: { ignore_changes: ["scaling[0].scaling_mode"] },
    });
    expect(classifyChange({ type: service, before: scaled("AUTOMATIC"), after: scaled() }).action).toBe(
      "no-op",
    );
  });

  it("takes the changed attribute names instead of both sides (a Terraform plan's replace paths)", () => {
    const type = "google_certificate_manager_certificate_map_entry";
    const named = (changedPaths: string[]) => classifyChange({ type, before: {}, after: {}, changedPaths });
    expect(named(["certificates[0]"]).action).toBe("update");
    expect(named(["hostname", "certificates[0]"])).toMatchObject({
      action: "replace",
      forcedBy: ["hostname"],
    });
  });

  it("says when a type is not in the table, rather than guess", () => {
    expect(classifyChange({ type: "google_made_up", before: { a: 1 }, after: { a: 2 } })).toMatchObject({
      action: "update",
      known: false,
    });
    expect(forcesReplacement("google_made_up", ["name"])).toEqual([]);
  });
});

describe("the ForceNew table", () => {
  it("has the attributes the provider's schemas mark, for what the review relies on", () => {
    // Certificates cannot change in place; what serves them can (provider v6.50.0 schemas).
    expect(forcesReplacement("google_compute_managed_ssl_certificate", ["managed.domains"])).toEqual([
      "managed",
    ]);
    expect(
      forcesReplacement("google_compute_target_https_proxy", ["ssl_certificates", "certificate_map"]),
    ).toEqual([]);
    expect(forcesReplacement("google_compute_global_forwarding_rule", ["target"])).toEqual([]);
    expect(forcesReplacement("google_compute_global_forwarding_rule", ["ip_address"])).toEqual([
      "ip_address",
    ]);
    expect(forcesReplacement("google_compute_region_network_endpoint_group", ["cloud_run.service"])).toEqual([
      "cloud_run",
    ]);
    expect(forcesReplacement("google_secret_manager_secret", ["secret_id"])).toEqual(["secret_id"]);
    expect(forcesReplacement("terraform_data", ["input", "triggers_replace.model"])).toEqual([
      "triggers_replace",
    ]);
  });

  it("covers every resource type the stacks write, in every shape the config allows", () => {
    const production = fixture("acme-production");
    const staging = fixture("acme-staging");
    const shapes = [
      production,
      variant(production, { domain: { certificates: "certificate-manager", certificateSwitch: "prepare" } }),
      variant(production, {
        domain: { ipv6: true, geoHeaders: true },
        armor: { requestsPerMinutePerIp: 600, hostAllowlist: true },
        budget: { billingAccount: "01ABCD-23EF45-6789AB", monthlyAmount: 100 },
        tagging: { invoker: "all-users", requestLogs: "exclude-successful" },
      } as Parameters<typeof variant>[1]),
      staging,
    ];
    const types = new Set(shapes.flatMap((env) => allResources(synth(env)).map(([type]) => type)));
    expect(types.size).toBeGreaterThan(20);
    expect([...types].filter((type) => !(type in FORCE_NEW))).toEqual([]);
  });
});
