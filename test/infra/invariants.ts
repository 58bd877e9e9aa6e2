/**
 * What every synthesized environment must satisfy, whatever its config: registered as tests by
 * `itKeepsTheInvariants`, for the fixture scenarios (environment-stack.test.ts) and for every
 * environment under config/ (test/environments/).
 */
import { EVERY_DEPLOY } from "../../constructs/gtm-container";
import { SCALING_MODE_PATH } from "../../constructs/tagging-server";
import type { EnvironmentConfig } from "../../src/config/model";
import { checkGcpName, type GcpNameKind, gcpName } from "../../src/naming/gcp";
import {
  GENERIC_CONTAINER_CONFIG_VARIABLE,
  stackVariable,
  TIKTOK_ACCESS_TOKEN_VARIABLE,
} from "../../src/naming/variables";
import type { EnvironmentStackOptions } from "../../stacks/environment-stack";
import { allResources, type Block, type Synth, synth } from "./helpers";

/** `npx <name>` (or `npm exec`/`pnpx`/`yarn dlx`) anywhere in a command: it runs a package looked up by name. */
export const NPX_PACKAGE = /(^|[\s;&|(`])(npx|pnpx|npm\s+exec|yarn\s+dlx|bunx)\s+(-\S+\s+)*[@\w]/;

export const services = (s: Synth) => Object.values(s.of("google_cloud_run_v2_service"));

export const envOf = (service: Block) =>
  Object.fromEntries(
    (service.template.containers[0].env as Block[]).map((e) => [e.name, e.value ?? e.value_source]),
  );

/** By role, not name: a name that is too long is truncated and hashed. */
export const serviceNamed = (s: Synth, role: "tagging" | "preview") => {
  const found = services(s).find(
    (svc) => (envOf(svc).RUN_AS_PREVIEW_SERVER === "true") === (role === "preview"),
  );
  if (!found) throw new Error(`no ${role} service`);
  return found;
};

/** A synth taken while every variable that carries a secret value held a sentinel. */
export interface SentinelSynth extends Synth {
  readonly sentinels: readonly string[];
}

/**
 * Synthesizes `env` with the generic and the stack's own secret variables set to sentinels (restored
 * afterwards): none of them may reach the output.
 */
export function synthWithSecretSentinels(
  env: EnvironmentConfig,
  options?: EnvironmentStackOptions,
): SentinelSynth {
  const stack = env.stackName;
  const values: Record<string, string> = {
    [GENERIC_CONTAINER_CONFIG_VARIABLE]: "SENTINEL-CONTAINER-CONFIG-9f8e7d",
    [stackVariable(GENERIC_CONTAINER_CONFIG_VARIABLE, stack)]: `SENTINEL-CONTAINER-CONFIG-${stack}-7b3e`,
    [TIKTOK_ACCESS_TOKEN_VARIABLE]: "SENTINEL-TIKTOK-TOKEN-1a2b3c",
    [stackVariable(TIKTOK_ACCESS_TOKEN_VARIABLE, stack)]: `SENTINEL-TIKTOK-TOKEN-${stack}-41c2`,
  };
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  Object.assign(process.env, values);
  try {
    return { ...synth(env, options), sentinels: Object.values(values) };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

export interface Scenario {
  readonly env: EnvironmentConfig;
  readonly s: SentinelSynth;
  /** The options the stack was synthesized with (the CLI steps depend on them). */
  readonly options?: EnvironmentStackOptions;
}

/** Registers the invariant tests in the current describe block; `scenario` is read when they run. */
export function itKeepsTheInvariants(scenario: () => Scenario): void {
  it("puts both services behind the internal load balancer only", () => {
    const { s } = scenario();
    expect(services(s).map((svc) => svc.ingress)).toEqual([
      "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
      "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
    ]);
  });

  it("uses EXTERNAL_MANAGED on every backend and forwarding rule", () => {
    const { s } = scenario();
    const schemes = [
      ...Object.values(s.of("google_compute_backend_service")),
      ...Object.values(s.of("google_compute_global_forwarding_rule")),
    ].map((r) => r.load_balancing_scheme);
    expect(schemes.length).toBeGreaterThanOrEqual(4);
    expect(new Set(schemes)).toEqual(new Set(["EXTERNAL_MANAGED"]));
  });

  it("declares scaling at the service level (undeclared, it diffs forever), the maximum per revision", () => {
    const { s, env } = scenario();
    const tagging = serviceNamed(s, "tagging");
    // Only the minimum: a scaling_mode the API does not echo would diff on every plan; whatever it
    // returns for one an earlier version wrote is ignored.
    expect(tagging.scaling).toEqual({ min_instance_count: env.tagging.minInstances });
    for (const svc of services(s)) expect(svc.lifecycle).toEqual({ ignore_changes: [SCALING_MODE_PATH] });
    expect(tagging.template.scaling).toEqual({ max_instance_count: env.tagging.maxInstances });
  });

  it("redirects HTTP to HTTPS on :80 of the same address, for each address (IPv6 when asked)", () => {
    const { s, env } = scenario();
    const rules = Object.values(s.of("google_compute_global_forwarding_rule"));
    const addresses = Object.values(s.of("google_compute_global_address"));
    expect(addresses.map((a) => a.ip_version ?? "IPV4").sort()).toEqual(
      env.domain.ipv6 ? ["IPV4", "IPV6"] : ["IPV4"],
    );
    expect(rules).toHaveLength(2 * addresses.length);
    const proxy = s.one("google_compute_target_http_proxy");
    const httpsProxy = s.one("google_compute_target_https_proxy");
    for (const address of addresses) {
      const onIt = rules.filter((r) =>
        String(r.ip_address).includes(s.ref("google_compute_global_address", address)),
      );
      expect(onIt.map((r) => r.port_range).sort()).toEqual(["443", "80"]);
      const https = onIt.find((r) => r.port_range === "443") as Block;
      const http = onIt.find((r) => r.port_range === "80") as Block;
      expect(http.target).toContain(s.ref("google_compute_target_http_proxy", proxy));
      expect(https.target).toContain(s.ref("google_compute_target_https_proxy", httpsProxy));
    }
    const records = s.output("dns_records").value as string[];
    expect(records.filter((r) => / IN AAAA /.test(r))).toHaveLength(env.domain.ipv6 ? 2 : 0);
    if (env.domain.dnsZone) {
      const types = Object.values(s.of("google_dns_record_set")).map((r) => r.type);
      expect(types.filter((t) => t === "AAAA")).toHaveLength(env.domain.ipv6 ? 2 : 0);
    }
    const redirect = Object.values(s.of("google_compute_url_map")).find((m) => !m.host_rule);
    expect(redirect?.default_url_redirect).toEqual({ https_redirect: true, strip_query: false });
    expect(proxy.url_map).toContain(s.ref("google_compute_url_map", redirect as Block));
  });

  it("routes each host to its own service", () => {
    const { s, env } = scenario();
    const map = Object.values(s.of("google_compute_url_map")).find((m) => m.host_rule) as Block;
    const hosts = Object.fromEntries(
      (map.host_rule as Block[]).map((rule) => [rule.path_matcher, rule.hosts]),
    );
    expect(hosts).toEqual({ tagging: [env.domain.tagging], preview: [env.domain.preview] });
    const tagging = s.output("dns_records").value[0] as string;
    expect(tagging.startsWith(`${hosts.tagging[0]}. `)).toBe(true);
    expect(hosts.preview).toEqual([
      envOf(serviceNamed(s, "tagging")).PREVIEW_SERVER_URL.replace("https://", ""),
    ]);
  });

  it("logs every request at every backend (edge 4xx/5xx are recorded)", () => {
    const backends = Object.values(scenario().s.of("google_compute_backend_service"));
    expect(backends.length).toBeGreaterThanOrEqual(2);
    for (const backend of backends) expect(backend.log_config).toEqual({ enable: true, sample_rate: 1 });
  });

  it("has no default route to the tagging server: unknown hosts are redirected to the tagging host", () => {
    const { s, env } = scenario();
    for (const map of Object.values(s.of("google_compute_url_map"))) {
      expect(map.default_service).toBeUndefined();
      expect(map.default_route_action).toBeUndefined();
    }
    const map = Object.values(s.of("google_compute_url_map")).find((m) => m.host_rule) as Block;
    // The HTTPS proxy's map keeps the scheme: Google refuses https_redirect on it (every deploy failed).
    expect(map.default_url_redirect).toEqual({
      host_redirect: env.domain.tagging,
      strip_query: false,
      redirect_response_code: "TEMPORARY_REDIRECT",
    });
  });

  it("covers every host with a certificate, and replaces the proxy only by creating the new one first", () => {
    const { s, env } = scenario();
    const map = Object.values(s.of("google_compute_url_map")).find((m) => m.host_rule) as Block;
    const hosts = (map.host_rule as Block[]).flatMap((rule) => rule.hosts as string[]).sort();
    const proxy = s.one("google_compute_target_https_proxy");
    expect(proxy.lifecycle.create_before_destroy).toBe(true);
    const managed = Object.values(s.of("google_compute_managed_ssl_certificate"));
    const managedRefs = () => {
      expect(managed).toHaveLength(1);
      expect([...managed[0].managed.domains].sort()).toEqual(hosts);
      expect(managed[0].lifecycle).toEqual({ create_before_destroy: true });
      return [expect.stringContaining(s.ref("google_compute_managed_ssl_certificate", managed[0]))];
    };
    if (env.domain.certificates === "google-managed") {
      expect(proxy.ssl_certificates).toEqual(managedRefs());
      expect(proxy.certificate_map).toBeUndefined();
      expect(proxy.lifecycle.ignore_changes).toBeUndefined();
      expect(proxy.name).toBe(gcpName("compute", "sgtm", env.stackName, "https"));
      return;
    }
    // Certificate Manager: each host's entry serves a certificate of that host alone.
    const certificates = s.of("google_certificate_manager_certificate");
    const entries = Object.values(s.of("google_certificate_manager_certificate_map_entry"));
    expect(entries.map((e) => e.hostname).sort()).toEqual(hosts);
    for (const entry of entries) {
      const [id, certificate] = Object.entries(certificates).find(([id]) =>
        String(entry.certificates[0]).startsWith(`\${google_certificate_manager_certificate.${id}.`),
      ) as [string, Block];
      expect([id, certificate.managed.domains]).toEqual([id, [entry.hostname]]);
      expect(certificate.managed.dns_authorizations).toHaveLength(1);
      expect(certificate.lifecycle).toEqual({ create_before_destroy: true });
      expect(entry.certificates).toHaveLength(1);
    }
    expect(proxy.certificate_map).toMatch(/^\/\/certificatemanager\.googleapis\.com\/\$\{/);
    const step = env.domain.certificateSwitch;
    if (step === undefined) {
      expect(proxy.ssl_certificates).toBeUndefined();
      expect(proxy.lifecycle.ignore_changes).toBeUndefined();
      expect(proxy.name).toBe(gcpName("compute", "sgtm", env.stackName, "https", "map"));
      expect(managed).toEqual([]);
      expect(Object.keys(certificates)).toHaveLength(2);
      for (const entry of entries) expect(entry.lifecycle).toBeUndefined();
    } else {
      // Switching: nothing that serves is deleted, the classic proxy and its certificate stay.
      expect(proxy.ssl_certificates).toEqual(managedRefs());
      expect(proxy.name).toBe(gcpName("compute", "sgtm", env.stackName, "https"));
      expect(proxy.lifecycle.ignore_changes).toEqual(
        step === "prepare" ? ["ssl_certificates", "certificate_map"] : ["ssl_certificates"],
      );
      expect(Object.keys(certificates)).toHaveLength(3);
      for (const entry of entries)
        expect(entry.lifecycle).toEqual(
          step === "prepare" ? { ignore_changes: ["certificates"] } : undefined,
        );
    }
    expect(s.one("google_compute_ssl_policy")).toMatchObject({ min_tls_version: "TLS_1_2" });
  });

  it("never carries a secret value", () => {
    const { s } = scenario();
    expect(s.sentinels.length).toBeGreaterThanOrEqual(4);
    for (const value of s.sentinels) expect(s.text).not.toContain(value);
    expect(s.text).not.toMatch(/"secret_data"/);
    const versions = Object.values(s.json.data?.google_secret_manager_secret_version ?? {}) as Block[];
    expect(versions.length).toBeGreaterThanOrEqual(1);
    for (const version of versions) expect(version.fetch_secret_data).toBe(false);
    expect(s.of("google_secret_manager_secret_version")).toEqual({});
    expect(Object.keys(s.of("google_secret_manager_secret"))).toHaveLength(2);
  });

  it("protects services and secrets from deletion as configured (tier default), never once retired", () => {
    const { s, env } = scenario();
    const expected = env.tagging.deletionProtection && !env.retired;
    const protectedResources = [...services(s), ...Object.values(s.of("google_secret_manager_secret"))];
    expect(protectedResources).toHaveLength(4);
    expect(protectedResources.map((r) => r.deletion_protection)).toEqual(Array(4).fill(expected));
  });

  it("labels every resource with client, environment and managed-by (provider default labels)", () => {
    const { s, env } = scenario();
    for (const provider of s.json.provider.google as Block[]) {
      expect(provider.default_labels).toMatchObject({
        client: env.client,
        environment: env.environment,
        "managed-by": "sgtm-tiktok-kit",
      });
      expect(provider.default_labels).toEqual(env.labels);
    }
  });

  it("keeps on the two APIs the provider reads the project through", () => {
    const services = Object.values(scenario().s.of("google_project_service")).map((api) => api.service);
    expect(services).toEqual(
      expect.arrayContaining(["cloudresourcemanager.googleapis.com", "serviceusage.googleapis.com"]),
    );
  });

  it("monitors production, and any environment with monitoring on: uptime check and four alert policies", () => {
    const { s, env } = scenario();
    const checks = Object.values(s.of("google_monitoring_uptime_check_config"));
    const policies = Object.values(s.of("google_monitoring_alert_policy"));
    const channels = Object.values(s.of("google_monitoring_notification_channel"));
    if (env.tier === "production") expect(env.monitoring.enabled).toBe(true);
    if (!env.monitoring.enabled) {
      expect([checks, policies, channels]).toEqual([[], [], []]);
      expect(s.output("monitoring").value).toMatch(/^none: monitoring is off/);
      return;
    }
    expect(checks).toHaveLength(1);
    const [check] = checks;
    expect(check.http_check).toMatchObject({
      path: "/healthy",
      port: 443,
      use_ssl: true,
      validate_ssl: true,
    });
    expect(check.monitored_resource).toEqual({
      type: "uptime_url",
      labels: { project_id: env.gcp.project, host: env.domain.tagging },
    });
    // A host change replaces the check; Google refuses to delete one that policies still use.
    expect(check.lifecycle).toEqual({ create_before_destroy: true });
    const checkId = `\${${s.ref("google_monitoring_uptime_check_config", check).slice(2)}uptime_check_id}`;
    const metricOf = (policy: Block) =>
      /metric\.type="([^"]+)"/.exec(policy.conditions[0].condition_threshold.filter)?.[1];
    expect(policies.map(metricOf).sort()).toEqual([
      "loadbalancing.googleapis.com/https/request_count",
      "monitoring.googleapis.com/uptime_check/check_passed",
      "monitoring.googleapis.com/uptime_check/time_until_ssl_cert_expires",
      "run.googleapis.com/container/instance_count",
    ]);
    for (const policy of policies) {
      const { filter } = policy.conditions[0].condition_threshold;
      if (filter.includes("uptime_check")) expect(filter).toContain(checkId);
      if (filter.includes("https_lb_rule"))
        expect(filter).toContain(`"${gcpName("compute", "sgtm", env.stackName, "https")}"`);
      if (filter.includes("cloud_run_revision"))
        expect(filter).toContain(`"${serviceNamed(s, "tagging").name}"`);
      expect(policy.notification_channels).toHaveLength(
        env.monitoring.emails.length + env.monitoring.channels.length,
      );
      expect(policy.notification_channels).toEqual(expect.arrayContaining([...env.monitoring.channels]));
    }
    // "At its maximum" is what it means: a revision at the ceiling *and* requests refused (429) on the
    // tagging backends; a rollout's two revisions are never summed.
    const max = policies.find((p) => p.display_name.endsWith(": max-instances")) as Block;
    expect(max.combiner).toBe("AND");
    const [atMax, refused] = (max.conditions as Block[]).map((c) => c.condition_threshold);
    expect(atMax.aggregations[0].group_by_fields).toEqual(["resource.label.revision_name"]);
    expect(atMax.threshold_value).toBe(env.tagging.maxInstances - 0.5);
    expect(refused.filter).toContain("metric.label.response_code=429");
    expect(refused.filter).toContain(`"${gcpName("compute", "sgtm", env.stackName, "tagging")}"`);
    expect(refused.filter).not.toContain(`"${gcpName("compute", "sgtm", env.stackName, "preview")}"`);
    expect(channels.map((c) => c.labels.email_address).sort()).toEqual([...env.monitoring.emails].sort());
    for (const resource of [...checks, ...policies, ...channels])
      expect(resource.user_labels).toEqual(env.labels);
    expect(Object.keys(s.output("monitoring").value).sort()).toEqual([
      "alert_policies",
      "notification_channels",
      "uptime_check",
    ]);
  });

  it("alerts on the environment's monthly budget when one is set, and only then", () => {
    const { s, env } = scenario();
    const budgets = Object.values(s.of("google_billing_budget"));
    if (env.budget === undefined) {
      expect(budgets).toEqual([]);
      return;
    }
    expect(budgets).toHaveLength(1);
    const [budget] = budgets;
    expect(budget.billing_account).toBe(env.budget.billingAccount);
    expect(budget.amount.specified_amount.units).toBe(String(env.budget.monthlyAmount));
    expect(budget.budget_filter.labels).toEqual({ environment: env.labels.environment });
    expect(budget.budget_filter.projects).toEqual([
      expect.stringMatching(/^projects\/\$\{data\.google_project\.[^.]+\.number\}$/),
    ]);
    expect(budget.threshold_rules.map((r: Block) => [r.threshold_percent, r.spend_basis])).toEqual([
      [0.5, "CURRENT_SPEND"],
      [0.9, "CURRENT_SPEND"],
      [1, "CURRENT_SPEND"],
      [1, "FORECASTED_SPEND"],
    ]);
    const billing = (s.json.provider.google as Block[]).find((p) => p.alias === "billing") as Block;
    expect(budget.provider).toBe("google.billing");
    expect(billing).toMatchObject({ user_project_override: true, billing_project: env.gcp.project });
  });

  it("puts the Cloud Armor policy on every backend when the file asks for one, and only then", () => {
    const { s, env } = scenario();
    const backends = Object.values(s.of("google_compute_backend_service"));
    const policies = Object.values(s.of("google_compute_security_policy"));
    if (env.armor === undefined) {
      expect(policies).toEqual([]);
      for (const backend of backends) expect(backend.security_policy).toBeUndefined();
      return;
    }
    const [policy] = policies;
    expect(policies).toHaveLength(1);
    for (const backend of backends)
      expect(backend.security_policy).toContain(s.ref("google_compute_security_policy", policy));
    const throttle = (policy.rule as Block[]).find((r) => r.action === "throttle") as Block;
    expect(throttle.rate_limit_options).toMatchObject({
      enforce_on_key: "IP",
      exceed_action: "deny(429)",
      rate_limit_threshold: { count: env.armor.requestsPerMinutePerIp, interval_sec: 60 },
    });
    const hostRule = (policy.rule as Block[]).find((r) => r.action === "deny(404)");
    expect(hostRule !== undefined).toBe(env.armor.hostAllowlist);
  });

  it("holds no path of the machine it was synthesized on", () => {
    const { s } = scenario();
    expect(s.text).not.toContain(process.cwd());
  });

  it("gives the runtime service account no project roles, and only the container-config secret", () => {
    const { s } = scenario();
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
    const { s } = scenario();
    const preview = serviceNamed(s, "preview");
    expect(preview.scaling).toEqual({ min_instance_count: 0 });
    expect(preview.template.scaling).toEqual({ max_instance_count: 1 });
    expect(envOf(preview).RUN_AS_PREVIEW_SERVER).toBe("true");
    for (const svc of services(s)) {
      const [container] = svc.template.containers;
      expect(container.resources).toEqual({ limits: { cpu: "1", memory: "512Mi" }, cpu_idle: false });
      expect(container.startup_probe.http_get.path).toBe("/healthy");
      expect(svc.template.timeout).toBe("60s");
    }
  });

  it("pins the container-config secret version, read after the bootstrap step adds the first one", () => {
    const { s, env } = scenario();
    const data = s.json.data?.google_secret_manager_secret_version ?? {};
    const [[id, pinned]] = Object.entries(data) as [string, Block][];
    expect(Object.keys(data)).toHaveLength(1);
    expect(pinned).toMatchObject({ secret: env.secrets.containerConfig, fetch_secret_data: false });
    expect(pinned.version).toBeUndefined();
    const bootstrap = cliStep(s, "bootstrap");
    expect(pinned.depends_on).toEqual([s.ref("terraform_data", bootstrap).slice(2, -1)]);
    for (const svc of services(s)) {
      expect(envOf(svc).CONTAINER_CONFIG).toEqual({
        secret_key_ref: {
          secret: env.secrets.containerConfig,
          version: `\${data.google_secret_manager_secret_version.${id}.version}`,
        },
      });
    }
  });

  it("creates the services after the container-config bootstrap, which runs the project's own CLI", () => {
    const { s, env, options } = scenario();
    const bootstrap = cliStep(s, "bootstrap");
    const ref = s.ref("terraform_data", bootstrap).slice(2, -1);
    // A new tagging domain runs bootstrap again: it adds the domain to the container's server URLs.
    expect(bootstrap.triggers_replace.taggingUrl).toBe(`https://${env.domain.tagging}`);
    for (const svc of services(s)) expect(svc.depends_on).toContain(ref);
    const [provisioner] = bootstrap.provisioner;
    expect(provisioner["local-exec"]).toEqual({
      command: `node bin/sgtm.js${configDirFlag(options)} bootstrap --env ${env.stackName}`,
      working_dir: options?.projectRoot ?? "../../..",
    });
  });

  it("converges the GTM container on every deploy, after the services and the token secret exist", () => {
    const { s, env, options } = scenario();
    const step = gtmStep(s);
    // A retired environment's step too: it removes the kit's entities before cdktf destroy.
    if (step === undefined) throw new Error("no GTM step in the stack");
    const [provisioner] = step.provisioner;
    expect(provisioner["local-exec"]).toEqual({
      command: `node bin/sgtm.js${configDirFlag(options)} gtm apply --env ${env.stackName} --yes`,
      working_dir: options?.projectRoot ?? "../../..",
    });
    expect(step.triggers_replace).toEqual({
      model: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      everyDeploy: EVERY_DEPLOY,
    });
    expect(step.input.digest).toBe(step.triggers_replace.model);
    for (const svc of services(s))
      expect(step.depends_on).toContain(s.ref("google_cloud_run_v2_service", svc).slice(2, -1));
    const tokenSecret = Object.values(s.of("google_secret_manager_secret")).find((secret) =>
      String(secret.secret_id).endsWith(env.secrets.tiktokAccessToken),
    );
    expect(tokenSecret).toBeDefined();
    expect(step.depends_on).toContain(
      s.ref("google_secret_manager_secret", tokenSecret as Block).slice(2, -1),
    );
  });

  it("runs no package by name through npx in any provisioner (it would fetch whatever the registry serves)", () => {
    const { s } = scenario();
    const commands = allResources(s).flatMap(([, , r]) =>
      ((r.provisioner ?? []) as Block[]).flatMap((p) => Object.values(p).map((exec) => String(exec.command))),
    );
    expect(commands.length).toBeGreaterThanOrEqual(1);
    expect(commands.filter((command) => NPX_PACKAGE.test(command))).toEqual([]);
  });

  it("creates every resource after all the project services (depends_on or a reference, transitively)", () => {
    const { apis, notAfter } = orderingAfterApis(scenario().s);
    expect(apis.length).toBeGreaterThanOrEqual(7);
    expect(notAfter).toEqual([]);
  });

  it("keeps every name within GCP's length and charset limits", () => {
    const checked = checkNames(scenario().s);
    expect(checked).toBeGreaterThan(15);
  });
}

/** The `terraform_data` whose local-exec runs `sgtm <subcommand>`; undefined when there is none. */
function cliStepOrUndefined(s: Synth, subcommand: string): Block | undefined {
  return Object.values(s.of("terraform_data")).find((step) =>
    String(step.provisioner?.[0]?.["local-exec"]?.command ?? "").includes(` ${subcommand} --env `),
  );
}

function cliStep(s: Synth, subcommand: string): Block {
  const step = cliStepOrUndefined(s, subcommand);
  if (step === undefined) throw new Error(`no terraform_data runs sgtm ${subcommand}`);
  return step;
}

function gtmStep(s: Synth): Block | undefined {
  return cliStepOrUndefined(s, "gtm apply");
}

function configDirFlag(options: EnvironmentStackOptions | undefined): string {
  return options?.configDir === undefined ? "" : ` --config-dir ${options.configDir}`;
}

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
  // Monitoring names are assigned by the API; display names are free text.
  google_monitoring_notification_channel: undefined,
  google_monitoring_uptime_check_config: undefined,
  google_monitoring_alert_policy: undefined,
  google_billing_budget: undefined, // a display name only
  google_compute_security_policy: ["name", "compute"],
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
