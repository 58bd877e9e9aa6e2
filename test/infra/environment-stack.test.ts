import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadEnvironments } from "../../src/config/load";
import { checkGcpName, type GcpNameKind } from "../../src/naming/gcp";
import {
  allResources,
  type Block,
  example,
  exampleEnvironments,
  minimalEnvironmentYaml,
  type Synth,
  synth,
  tempConfig,
  variant,
} from "./helpers";

const SENTINELS = {
  SGTM_CONTAINER_CONFIG: "SENTINEL-CONTAINER-CONFIG-9f8e7d",
  SGTM_CONTAINER_CONFIG_ACME_STAGING: "SENTINEL-CONTAINER-CONFIG-staging-41c2",
  SGTM_CONTAINER_CONFIG_ACME_PRODUCTION: "SENTINEL-CONTAINER-CONFIG-production-7b3e",
  SGTM_TIKTOK_ACCESS_TOKEN: "SENTINEL-TIKTOK-TOKEN-1a2b3c",
};
Object.assign(process.env, SENTINELS);

const staging = example("acme-staging");
const production = example("acme-production");
const certificateManager = variant(production, { domain: { certificates: "certificate-manager" } });

/** One synth per scenario, shared by the assertions below (synth is the slow part). */
const scenarios: Record<string, Synth> = {
  staging: synth(staging),
  production: synth(production),
  "certificate-manager": synth(certificateManager),
  "certificate-manager without DNS zone": synth(
    variant(certificateManager, { domain: { dnsZone: undefined } }),
  ),
  "iam-disabled, keep-all logs, gcs": synth(
    variant(staging, {
      tagging: { invoker: "iam-disabled", requestLogs: "keep-all", maxInstances: 50 },
      backend: { type: "gcs", bucket: "acme-tfstate", prefix: "sgtm/acme-staging" },
    } as Parameters<typeof variant>[1]),
  ),
  "longest names": synth(
    variant(production, {
      client: "c".repeat(20),
      environment: "e".repeat(19),
      stackName: `${"c".repeat(20)}-${"e".repeat(19)}`,
      domain: { certificates: "certificate-manager" },
    }),
  ),
};
const all = Object.entries(scenarios);
const services = (s: Synth) => Object.values(s.of("google_cloud_run_v2_service"));
/** By role, not name: a name that is too long is truncated and hashed. */
const serviceNamed = (s: Synth, role: "tagging" | "preview") => {
  const found = services(s).find(
    (svc) => (envOf(svc).RUN_AS_PREVIEW_SERVER === "true") === (role === "preview"),
  );
  if (!found) throw new Error(`no ${role} service`);
  return found;
};
const envOf = (service: Block) =>
  Object.fromEntries(
    (service.template.containers[0].env as Block[]).map((e) => [e.name, e.value ?? e.value_source]),
  );

describe("synth snapshot per example environment", () => {
  it.each(exampleEnvironments().map((e) => [e.stackName, e] as const))("%s", (_name, env) => {
    const text = synth(env).text;
    expect(text).not.toContain(process.cwd());
    expect(JSON.parse(text)).toMatchSnapshot();
  });
});

describe.each(all)("invariants: %s", (_name, s) => {
  it("puts both services behind the internal load balancer only", () => {
    expect(services(s).map((svc) => svc.ingress)).toEqual([
      "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
      "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
    ]);
  });

  it("uses EXTERNAL_MANAGED on every backend and forwarding rule", () => {
    const schemes = [
      ...Object.values(s.of("google_compute_backend_service")),
      ...Object.values(s.of("google_compute_global_forwarding_rule")),
    ].map((r) => r.load_balancing_scheme);
    expect(schemes.length).toBeGreaterThanOrEqual(4);
    expect(new Set(schemes)).toEqual(new Set(["EXTERNAL_MANAGED"]));
  });

  it("redirects HTTP to HTTPS on :80 of the same address", () => {
    const rules = Object.values(s.of("google_compute_global_forwarding_rule"));
    const https = rules.find((r) => r.port_range === "443");
    const http = rules.find((r) => r.port_range === "80");
    expect(rules).toHaveLength(2);
    expect(http?.ip_address).toBe(https?.ip_address);
    expect(http?.ip_address).toContain(
      s.ref("google_compute_global_address", s.one("google_compute_global_address")),
    );
    const proxy = s.one("google_compute_target_http_proxy");
    expect(http?.target).toContain(s.ref("google_compute_target_http_proxy", proxy));
    const redirect = Object.values(s.of("google_compute_url_map")).find((m) => m.default_url_redirect);
    expect(redirect?.default_url_redirect).toEqual({ https_redirect: true, strip_query: false });
    expect(proxy.url_map).toContain(s.ref("google_compute_url_map", redirect as Block));
  });

  it("routes each host to its own service", () => {
    const map = Object.values(s.of("google_compute_url_map")).find((m) => m.host_rule) as Block;
    const hosts = Object.fromEntries(
      (map.host_rule as Block[]).map((rule) => [rule.path_matcher, rule.hosts]),
    );
    expect(Object.keys(hosts).sort()).toEqual(["preview", "tagging"]);
    const tagging = s.output("dns_records").value[0] as string;
    expect(tagging.startsWith(`${hosts.tagging[0]}. `)).toBe(true);
    expect(hosts.preview).toEqual([
      envOf(serviceNamed(s, "tagging")).PREVIEW_SERVER_URL.replace("https://", ""),
    ]);
  });

  it("covers every host with a certificate", () => {
    const map = Object.values(s.of("google_compute_url_map")).find((m) => m.host_rule) as Block;
    const hosts = (map.host_rule as Block[]).flatMap((rule) => rule.hosts as string[]).sort();
    const proxy = s.one("google_compute_target_https_proxy");
    const managed = Object.values(s.of("google_compute_managed_ssl_certificate"));
    if (managed.length > 0) {
      expect(managed).toHaveLength(1);
      expect([...managed[0].managed.domains].sort()).toEqual(hosts);
      expect(managed[0].lifecycle).toEqual({ create_before_destroy: true });
      expect(proxy.ssl_certificates).toEqual([
        expect.stringContaining(s.ref("google_compute_managed_ssl_certificate", managed[0])),
      ]);
      expect(proxy.certificate_map).toBeUndefined();
    } else {
      const certificate = s.one("google_certificate_manager_certificate");
      expect([...certificate.managed.domains].sort()).toEqual(hosts);
      expect(certificate.managed.dns_authorizations).toHaveLength(hosts.length);
      const entries = Object.values(s.of("google_certificate_manager_certificate_map_entry"));
      expect(entries.map((e) => e.hostname).sort()).toEqual(hosts);
      expect(proxy.certificate_map).toMatch(/^\/\/certificatemanager\.googleapis\.com\/\$\{/);
      expect(proxy.ssl_certificates).toBeUndefined();
    }
    expect(s.one("google_compute_ssl_policy")).toMatchObject({ min_tls_version: "TLS_1_2" });
  });

  it("never carries a secret value", () => {
    for (const value of Object.values(SENTINELS)) expect(s.text).not.toContain(value);
    expect(s.text).not.toContain("secret_data");
    expect(s.of("google_secret_manager_secret_version")).toEqual({});
    expect(Object.keys(s.of("google_secret_manager_secret"))).toHaveLength(2);
  });

  it("gives the runtime service account no project roles, and only the container-config secret", () => {
    const account = s.one("google_service_account");
    const accountRef = s.ref("google_service_account", account);
    const types = Object.keys(s.json.resource);
    expect(types.filter((t) => /^google_project_iam_/.test(t))).toEqual([]);
    const grants = allResources(s).filter(([, , r]) => JSON.stringify(r.member ?? "").includes(accountRef));
    expect(grants.map(([type]) => type)).toEqual(["google_secret_manager_secret_iam_member"]);
    const containerConfig = Object.values(s.of("google_secret_manager_secret")).find((r) =>
      r.secret_id.endsWith("container-config"),
    ) as Block;
    expect(grants[0][2].secret_id).toContain(s.ref("google_secret_manager_secret", containerConfig));
    expect(grants[0][2].role).toBe("roles/secretmanager.secretAccessor");
    for (const svc of services(s)) expect(svc.template.service_account).toContain(accountRef);
  });

  it("runs one preview instance at most, on Google's container settings", () => {
    const preview = serviceNamed(s, "preview");
    expect(preview.template.scaling).toEqual({ min_instance_count: 0, max_instance_count: 1 });
    expect(envOf(preview).RUN_AS_PREVIEW_SERVER).toBe("true");
    for (const svc of services(s)) {
      const [container] = svc.template.containers;
      expect(container.resources).toEqual({ limits: { cpu: "1", memory: "512Mi" }, cpu_idle: false });
      expect(container.startup_probe.http_get.path).toBe("/healthy");
      expect(svc.template.timeout).toBe("60s");
      expect(envOf(svc).CONTAINER_CONFIG).toEqual({
        secret_key_ref: { secret: expect.stringMatching(/container-config$/), version: "latest" },
      });
    }
  });

  it("creates the services after the container-config bootstrap", () => {
    const bootstrap = s.one("terraform_data");
    const ref = s.ref("terraform_data", bootstrap).slice(2, -1);
    for (const svc of services(s)) expect(svc.depends_on).toContain(ref);
    const [provisioner] = bootstrap.provisioner;
    expect(provisioner["local-exec"].command).toMatch(/^npx sgtm bootstrap --env [a-z0-9-]+$/);
  });

  it("creates every resource after all the project services (depends_on or a reference, transitively)", () => {
    const { apis, notAfter } = orderingAfterApis(s);
    expect(apis.length).toBeGreaterThanOrEqual(7);
    expect(notAfter).toEqual([]);
  });

  it("keeps every name within GCP's length and charset limits", () => {
    const checked = checkNames(s);
    expect(checked).toBeGreaterThan(15);
  });
});

/** `type.id` of the resources `block` names in `depends_on` or inside a `${...}` interpolation. */
function dependenciesOf(block: Block, resources: ReadonlySet<string>): string[] {
  const named = new Set<string>(block.depends_on ?? []);
  const text = JSON.stringify({ ...block, depends_on: undefined });
  for (const [, expression] of text.matchAll(/\$\{([^}]*)\}/g)) {
    for (const [ref] of expression.matchAll(/[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+/g)) named.add(ref);
  }
  return [...named].filter((name) => resources.has(name));
}

/**
 * The project services, and every other resource that is not ordered after all of them: Terraform
 * creates a resource after what its `depends_on` lists and what its arguments reference, transitively.
 */
function orderingAfterApis(s: Synth): { apis: string[]; notAfter: string[] } {
  const resources = allResources(s).map(([type, id, block]) => ({ key: `${type}.${id}`, type, block }));
  const keys = new Set(resources.map((r) => r.key));
  const apis = resources.filter((r) => r.type === "google_project_service").map((r) => r.key);
  const direct = new Map(resources.map((r) => [r.key, dependenciesOf(r.block, keys)]));
  const after = new Map<string, Set<string>>();
  const apisBefore = (key: string, path: string[] = []): Set<string> => {
    const known = after.get(key);
    if (known) return known;
    if (path.includes(key)) throw new Error(`dependency cycle: ${[...path, key].join(" -> ")}`);
    const found = new Set<string>();
    for (const dependency of direct.get(key) ?? []) {
      if (apis.includes(dependency)) found.add(dependency);
      for (const api of apisBefore(dependency, [...path, key])) found.add(api);
    }
    after.set(key, found);
    return found;
  };
  const notAfter = resources
    .filter((r) => r.type !== "google_project_service")
    .filter((r) => apis.some((api) => !apisBefore(r.key).has(api)))
    .map((r) => r.key);
  return { apis, notAfter };
}

/** Name fields per resource type; types with no name of their own are listed with `undefined`. */
const NAME_FIELDS: Record<string, [field: string, kind: GcpNameKind] | undefined> = {
  google_service_account: ["account_id", "serviceAccountId"],
  google_cloud_run_v2_service: ["name", "cloudRunService"],
  google_secret_manager_secret: ["secret_id", "secretId"],
  google_logging_project_exclusion: ["name", "loggingExclusion"],
  google_compute_global_address: ["name", "compute"],
  google_compute_region_network_endpoint_group: ["name", "compute"],
  google_compute_backend_service: ["name", "compute"],
  google_compute_url_map: ["name", "compute"],
  google_compute_managed_ssl_certificate: ["name", "compute"],
  google_compute_ssl_policy: ["name", "compute"],
  google_compute_target_https_proxy: ["name", "compute"],
  google_compute_target_http_proxy: ["name", "compute"],
  google_compute_global_forwarding_rule: ["name", "compute"],
  google_certificate_manager_dns_authorization: ["name", "certificateManager"],
  google_certificate_manager_certificate: ["name", "certificateManager"],
  google_certificate_manager_certificate_map: ["name", "certificateManager"],
  google_certificate_manager_certificate_map_entry: ["name", "certificateManager"],
  google_project_service: undefined,
  google_secret_manager_secret_iam_member: undefined,
  google_cloud_run_v2_service_iam_member: undefined,
  google_dns_record_set: undefined, // an FQDN in someone's zone, checked by the config's hostname rules
  terraform_data: undefined,
};

function checkNames(s: Synth): number {
  let checked = 0;
  for (const [type, id, resource] of allResources(s)) {
    expect([type, type in NAME_FIELDS]).toEqual([type, true]);
    const rule = NAME_FIELDS[type];
    if (!rule) continue;
    const name = resource[rule[0]];
    expect([type, id, checkGcpName(rule[1], name)]).toEqual([type, id, undefined]);
    checked++;
  }
  return checked;
}

describe("options", () => {
  const geo = (s: Synth) =>
    Object.values(s.of("google_compute_backend_service")).filter((b) => b.custom_request_headers);

  it("adds the geo-header backend only when enabled, for /gtm.js and /gtag/* only", () => {
    expect(staging.domain.geoHeaders).toBe(false);
    expect(geo(scenarios.staging)).toEqual([]);
    expect(JSON.stringify(scenarios.staging.of("google_compute_url_map"))).not.toContain("path_rule");

    const s = scenarios.production;
    const [backend] = geo(s);
    expect(geo(s)).toHaveLength(1);
    expect(backend.custom_request_headers).toEqual([
      "X-Gclb-Country:{client_region}",
      "X-Gclb-Region:{client_region_subdivision}",
    ]);
    const map = Object.values(s.of("google_compute_url_map")).find((m) => m.host_rule) as Block;
    const tagging = (map.path_matcher as Block[]).find((m) => m.name === "tagging") as Block;
    expect(tagging.path_rule).toEqual([
      {
        paths: ["/gtm.js", "/gtag/*"],
        service: expect.stringContaining(s.ref("google_compute_backend_service", backend)),
      },
    ]);
  });

  it("disables invoker IAM instead of granting allUsers when asked", () => {
    const s = scenarios["iam-disabled, keep-all logs, gcs"];
    expect(services(s).map((svc) => svc.invoker_iam_disabled)).toEqual([true, true]);
    expect(s.of("google_cloud_run_v2_service_iam_member")).toEqual({});
    const members = Object.values(scenarios.staging.of("google_cloud_run_v2_service_iam_member"));
    expect(members.map((m) => [m.member, m.role])).toEqual([
      ["allUsers", "roles/run.invoker"],
      ["allUsers", "roles/run.invoker"],
    ]);
  });

  it("takes min/max from config for tagging but never scales preview past 1", () => {
    const s = scenarios["iam-disabled, keep-all logs, gcs"];
    expect(serviceNamed(s, "tagging").template.scaling).toEqual({
      min_instance_count: 0,
      max_instance_count: 50,
    });
    expect(serviceNamed(s, "preview").template.scaling.max_instance_count).toBe(1);
    expect(serviceNamed(scenarios.production, "tagging").template.scaling.min_instance_count).toBe(2);
  });

  it("applies dev-tier defaults: min 0, no deletion protection", () => {
    const dir = tempConfig({ "demo/dev.yaml": minimalEnvironmentYaml("dev") });
    const [env] = loadEnvironments([join(dir, "demo/dev.yaml")]);
    const s = synth(env);
    const tagging = serviceNamed(s, "tagging");
    expect(tagging.template.scaling.min_instance_count).toBe(0);
    for (const svc of services(s)) expect(svc.deletion_protection).toBe(false);
    for (const secret of Object.values(s.of("google_secret_manager_secret"))) {
      expect(secret.deletion_protection).toBe(false);
    }
    for (const svc of services(scenarios.production)) expect(svc.deletion_protection).toBe(true);
  });

  it("excludes successful request logs of this environment only, keeping warnings", () => {
    expect(scenarios["iam-disabled, keep-all logs, gcs"].of("google_logging_project_exclusion")).toEqual({});
    const { filter } = scenarios.staging.one("google_logging_project_exclusion");
    expect(filter).toMatch(/^\(.*\) AND severity < WARNING$/);
    expect(filter).toContain('LOG_ID("run.googleapis.com/requests")');
    expect(filter).toContain('"sgtm-acme-staging-tagging" OR "sgtm-acme-staging-preview"');
    expect(filter).toContain('LOG_ID("requests")');
    expect(filter).not.toContain("acme-production");
  });

  it("writes the backend from config (local relative to the project root, or GCS)", () => {
    expect(scenarios.staging.json.terraform.backend).toEqual({
      local: { path: "../../../terraform.acme-staging.tfstate" },
    });
    expect(scenarios["iam-disabled, keep-all logs, gcs"].json.terraform.backend).toEqual({
      gcs: { bucket: "acme-tfstate", prefix: "sgtm/acme-staging" },
    });
  });

  it("outputs the IP, the DNS records and the secret commands", () => {
    const s = scenarios["certificate-manager without DNS zone"];
    const records = s.output("dns_records").value as string[];
    expect(records).toHaveLength(4);
    expect(records.filter((r) => / IN A \$\{google_compute_global_address\./.test(r))).toHaveLength(2);
    expect(records.filter((r) => r.includes("dns_resource_record"))).toHaveLength(2);
    expect(s.of("google_dns_record_set")).toEqual({});
    expect(Object.keys(scenarios["certificate-manager"].of("google_dns_record_set"))).toHaveLength(4);
    expect(s.output("ip_address").value).toMatch(/^\$\{google_compute_global_address\..*\.address\}$/);
    expect(scenarios.staging.output("secret_commands").value).toEqual([
      'read -rs SGTM_CONTAINER_CONFIG_ACME_STAGING && printf %s "$SGTM_CONTAINER_CONFIG_ACME_STAGING" | gcloud secrets versions add sgtm-acme-staging-container-config --project acme-sgtm-staging --data-file=-',
      'read -rs SGTM_TIKTOK_ACCESS_TOKEN && printf %s "$SGTM_TIKTOK_ACCESS_TOKEN" | gcloud secrets versions add sgtm-acme-staging-tiktok-token --project acme-sgtm-staging --data-file=-',
    ]);
    expect(scenarios.production.output("secret_commands").value[0]).toContain(
      'printf %s "$SGTM_CONTAINER_CONFIG_ACME_PRODUCTION" | gcloud secrets versions add sgtm-acme-production-container-config',
    );
  });

  it("names the Google-managed certificate after its domains", () => {
    const before = scenarios.staging.one("google_compute_managed_ssl_certificate").name;
    const after = synth(
      variant(staging, { domain: { tagging: "t.acme-shop.com", preview: "p.acme-shop.com" } }),
    ).one("google_compute_managed_ssl_certificate").name;
    expect(before).toMatch(/^sgtm-acme-staging-cert-[0-9a-f]{6}$/);
    expect(after).not.toBe(before);
  });

  it("grants token readers access to the token secret only", () => {
    const s = scenarios.production;
    const token = Object.values(s.of("google_secret_manager_secret")).find((r) =>
      r.secret_id.endsWith("tiktok-token"),
    ) as Block;
    const readers = Object.values(s.of("google_secret_manager_secret_iam_member")).filter(
      (m) => m.member === production.secrets.tokenReaders[0],
    );
    expect(readers).toHaveLength(1);
    expect(readers[0].secret_id).toContain(s.ref("google_secret_manager_secret", token));
  });

  it("keeps a retired environment whole, lifts deletion protection and says it is retired", () => {
    const s = synth(variant(production, { retired: true }));
    expect(allResources(s).length).toBe(allResources(scenarios.production).length);
    for (const svc of services(s)) expect(svc.deletion_protection).toBe(false);
    expect(s.output("retired").value).toContain("npx cdktf destroy acme-production");
  });

  it("passes a non-default config folder to the bootstrap command", () => {
    const s = synth(staging, { configDir: "clients" });
    expect(s.one("terraform_data").provisioner[0]["local-exec"].command).toBe(
      "npx sgtm --config-dir clients bootstrap --env acme-staging",
    );
  });

  it("enables the APIs once, never disabling them on destroy, with dns only for a zone in the project", () => {
    const apis = (s: Synth) => Object.values(s.of("google_project_service"));
    for (const api of apis(scenarios.production)) expect(api.disable_on_destroy).toBe(false);
    expect(apis(scenarios.production).map((a) => a.service)).toContain("dns.googleapis.com");
    expect(apis(scenarios.production).map((a) => a.service)).toContain("tagmanager.googleapis.com");
    expect(apis(scenarios.staging).map((a) => a.service)).not.toContain("dns.googleapis.com");
  });
});

it("keeps the example config in sync with what the snapshot was taken from", () => {
  // Guards against a snapshot silently regenerated from a different example.
  expect(readFileSync(join("config", "acme", "staging.yaml"), "utf8")).toContain("tier: staging");
});
