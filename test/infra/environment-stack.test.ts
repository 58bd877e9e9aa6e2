import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_BUDGET_RECIPIENTS } from "../../constructs/budget";
import { unknownHostExpression } from "../../constructs/edge-security-policy";
import { loadEnvironments } from "../../src/config/load";
import type { EnvironmentConfig } from "../../src/config/model";
import { FIXTURE_CONFIG_DIR } from "../config/helpers";
import {
  allResources,
  type Block,
  fixture,
  fixtureEnvironments,
  minimalEnvironmentYaml,
  type Synth,
  synth,
  tempConfig,
  variant,
} from "./helpers";
import {
  itKeepsTheInvariants,
  NPX_PACKAGE,
  type Scenario,
  serviceNamed,
  services,
  synthWithSecretSentinels,
} from "./invariants";

const staging = fixture("acme-staging");
const production = fixture("acme-production");
const certificateManager = variant(production, { domain: { certificates: "certificate-manager" } });

const scenario = (env: EnvironmentConfig): Scenario => ({ env, s: synthWithSecretSentinels(env) });
/** One synth per scenario, shared by the assertions below (synth is the slow part). */
const scenarios: Record<string, Scenario> = {
  staging: scenario(staging),
  production: scenario(production),
  "certificate-manager": scenario(certificateManager),
  "certificate-manager without DNS zone": scenario(
    variant(certificateManager, { domain: { dnsZone: undefined } }),
  ),
  "production on IPv6 too, behind Cloud Armor": scenario(
    variant(production, {
      domain: { ipv6: true },
      armor: { requestsPerMinutePerIp: 1200, hostAllowlist: true },
    } as Parameters<typeof variant>[1]),
  ),
  "staging on IPv6, records left to the client": scenario(variant(staging, { domain: { ipv6: true } })),
  "certificate switch: prepare": scenario(
    variant(certificateManager, { domain: { certificateSwitch: "prepare" } }),
  ),
  "certificate switch: attach": scenario(
    variant(certificateManager, {
      domain: { certificateSwitch: "attach", certificateRevision: { tagging: 2, preview: 2 } },
    }),
  ),
  "staging monitored, two emails and a channel": scenario(
    variant(staging, {
      monitoring: {
        enabled: true,
        emails: ["ops@acme-shop.com", "oncall@acme-shop.com"],
        channels: ["projects/acme-ops/notificationChannels/123456789"],
        errorRatio: 0.1,
      },
      budget: { billingAccount: "01ABCD-23EF45-6789AB", monthlyAmount: 150, currency: "EUR" },
    } as Parameters<typeof variant>[1]),
  ),
  "iam-disabled, keep-all logs, gcs": scenario(
    variant(staging, {
      tagging: { invoker: "iam-disabled", requestLogs: "keep-all", maxInstances: 50 },
      backend: { type: "gcs", bucket: "acme-tfstate", prefix: "sgtm/acme-staging" },
    } as Parameters<typeof variant>[1]),
  ),
  "production with deletion protection off": scenario(
    variant(production, { tagging: { deletionProtection: false } }),
  ),
  retired: scenario(variant(production, { retired: true })),
  "longest names": scenario(
    variant(production, {
      client: "c".repeat(20),
      environment: "e".repeat(19),
      stackName: `${"c".repeat(20)}-${"e".repeat(19)}`,
      labels: { client: "c".repeat(20), environment: "e".repeat(19) },
      domain: { certificates: "certificate-manager" },
    }),
  ),
};
const synthOf = (name: string): Synth => scenarios[name].s;

describe("synth snapshot per fixture environment", () => {
  it.each(fixtureEnvironments().map((e) => [e.stackName, e] as const))("%s", (_name, env) => {
    expect(JSON.parse(synth(env).text)).toMatchSnapshot();
  });
});

describe.each(Object.entries(scenarios))("invariants: %s", (_name, s) => {
  itKeepsTheInvariants(() => s);
});

describe("options", () => {
  const geo = (s: Synth) =>
    Object.values(s.of("google_compute_backend_service")).filter((b) => b.custom_request_headers);

  it("adds the geo-header backend only when enabled, for /gtm.js and /gtag/* only", () => {
    expect(staging.domain.geoHeaders).toBe(false);
    expect(geo(synthOf("staging"))).toEqual([]);
    expect(JSON.stringify(synthOf("staging").of("google_compute_url_map"))).not.toContain("path_rule");

    const s = synthOf("production");
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
    const s = synthOf("iam-disabled, keep-all logs, gcs");
    expect(services(s).map((svc) => svc.invoker_iam_disabled)).toEqual([true, true]);
    expect(s.of("google_cloud_run_v2_service_iam_member")).toEqual({});
    const members = Object.values(synthOf("staging").of("google_cloud_run_v2_service_iam_member"));
    expect(members.map((m) => [m.member, m.role])).toEqual([
      ["allUsers", "roles/run.invoker"],
      ["allUsers", "roles/run.invoker"],
    ]);
  });

  it("takes min/max from config for tagging but never scales preview past 1", () => {
    const s = synthOf("iam-disabled, keep-all logs, gcs");
    expect(serviceNamed(s, "tagging").template.scaling).toEqual({ max_instance_count: 50 });
    expect(serviceNamed(s, "tagging").scaling.min_instance_count).toBe(0);
    expect(serviceNamed(s, "preview").template.scaling.max_instance_count).toBe(1);
    expect(serviceNamed(synthOf("production"), "tagging").scaling.min_instance_count).toBe(2);
  });

  it("applies dev-tier defaults: min 0, no deletion protection", () => {
    const dir = tempConfig({ "demo/dev.yaml": minimalEnvironmentYaml("dev") });
    const [env] = loadEnvironments([join(dir, "demo/dev.yaml")]);
    const s = synth(env);
    const tagging = serviceNamed(s, "tagging");
    expect(tagging.scaling.min_instance_count).toBe(0);
    for (const svc of services(s)) expect(svc.deletion_protection).toBe(false);
    for (const secret of Object.values(s.of("google_secret_manager_secret"))) {
      expect(secret.deletion_protection).toBe(false);
    }
    for (const svc of services(synthOf("production"))) expect(svc.deletion_protection).toBe(true);
  });

  it("excludes successful request logs of this environment only, keeping warnings", () => {
    expect(synthOf("iam-disabled, keep-all logs, gcs").of("google_logging_project_exclusion")).toEqual({});
    const { filter } = synthOf("staging").one("google_logging_project_exclusion");
    expect(filter).toMatch(/^\(.*\) AND severity < WARNING$/);
    expect(filter).toContain('LOG_ID("run.googleapis.com/requests")');
    expect(filter).toContain('"sgtm-acme-staging-tagging" OR "sgtm-acme-staging-preview"');
    expect(filter).toContain('LOG_ID("requests")');
    expect(filter).not.toContain("acme-production");
  });

  it("writes the backend from config (local relative to the project root, or GCS)", () => {
    expect(synthOf("staging").json.terraform.backend).toEqual({
      local: { path: "../../../terraform.acme-staging.tfstate" },
    });
    expect(synthOf("iam-disabled, keep-all logs, gcs").json.terraform.backend).toEqual({
      gcs: { bucket: "acme-tfstate", prefix: "sgtm/acme-staging" },
    });
  });

  it("outputs the IP, the DNS records and the secret commands", () => {
    const s = synthOf("certificate-manager without DNS zone");
    const records = s.output("dns_records").value as string[];
    expect(records).toHaveLength(4);
    expect(records.filter((r) => / IN A \$\{google_compute_global_address\./.test(r))).toHaveLength(2);
    expect(records.filter((r) => r.includes("dns_resource_record"))).toHaveLength(2);
    expect(s.of("google_dns_record_set")).toEqual({});
    expect(Object.keys(synthOf("certificate-manager").of("google_dns_record_set"))).toHaveLength(4);
    expect(s.output("ip_address").value).toMatch(/^\$\{google_compute_global_address\..*\.address\}$/);
    expect(synthOf("staging").output("secret_commands").value).toEqual([
      'read -rs SGTM_CONTAINER_CONFIG_ACME_STAGING && printf %s "$SGTM_CONTAINER_CONFIG_ACME_STAGING" | gcloud secrets versions add sgtm-acme-staging-container-config --project acme-sgtm-staging --data-file=-',
      'read -rs SGTM_TIKTOK_ACCESS_TOKEN && printf %s "$SGTM_TIKTOK_ACCESS_TOKEN" | gcloud secrets versions add sgtm-acme-staging-tiktok-token --project acme-sgtm-staging --data-file=-',
    ]);
    expect(synthOf("production").output("secret_commands").value[0]).toContain(
      'printf %s "$SGTM_CONTAINER_CONFIG_ACME_PRODUCTION" | gcloud secrets versions add sgtm-acme-production-container-config',
    );
  });

  it("keeps each host's Certificate Manager certificate when only the other host changes", () => {
    const names = (s: Synth) =>
      Object.fromEntries(
        Object.values(s.of("google_certificate_manager_certificate")).map((c) => [
          c.managed.domains[0],
          c.name,
        ]),
      );
    const before = names(synthOf("certificate-manager"));
    const after = names(synth(variant(certificateManager, { domain: { preview: "p.acme-shop.com" } })));
    expect(after["sgtm.acme-shop.com"]).toBe(before["sgtm.acme-shop.com"]);
    expect(after["p.acme-shop.com"]).toMatch(/^sgtm-acme-production-preview-cert-[0-9a-f]{6}$/);
    expect(Object.values(after)).not.toContain(before["preview.sgtm.acme-shop.com"]);
  });

  it("prepares a google-managed certificate's next revision attached beside the serving one, then serves it alone", () => {
    const certificates = (s: Synth) =>
      Object.entries(s.of("google_compute_managed_ssl_certificate")).map(([id, c]) => [id, c.name]);
    const [serving] = certificates(synthOf("staging"));
    // Prepare: the serving certificate stays (same address, same name); the next one is attached
    // beside it, because a Google-managed certificate provisions only while a proxy uses it.
    const prepared = synth(
      variant(staging, { domain: { nextCertificateRevision: { tagging: 1, preview: 1 } } }),
    );
    const both = certificates(prepared);
    expect(both).toHaveLength(2);
    expect(both).toContainEqual(serving);
    const [nextId, nextName] = both.find(([id]) => id !== serving[0]) as string[];
    expect(nextName).toMatch(/^sgtm-acme-staging-cert-[0-9a-f]{6}$/);
    expect(prepared.output("certificate_status").value).toEqual([
      expect.stringContaining(`describe ${serving[1]} `),
      expect.stringMatching(
        new RegExp(
          `describe ${nextName} .*# nextCertificateRevision: move certificateRevision to it once ACTIVE$`,
        ),
      ),
    ]);
    expect(prepared.one("google_compute_target_https_proxy").ssl_certificates).toEqual([
      `\${google_compute_managed_ssl_certificate.${serving[0]}.id}`,
      `\${google_compute_managed_ssl_certificate.${nextId}.id}`,
    ]);
    // Serve it: the next one, under the address it was prepared at, alone on the proxy.
    const moved = synth(variant(staging, { domain: { certificateRevision: { tagging: 1, preview: 1 } } }));
    expect(certificates(moved)).toEqual([[nextId, nextName]]);
    expect(moved.one("google_compute_target_https_proxy").ssl_certificates).toEqual([
      `\${google_compute_managed_ssl_certificate.${nextId}.id}`,
    ]);
  });

  it("replaces one host's Certificate Manager certificate in two steps, the other host's untouched", () => {
    const byId = (s: Synth) =>
      Object.fromEntries(
        Object.entries(s.of("google_certificate_manager_certificate")).map(([id, c]) => [id, c.name]),
      );
    const entries = (s: Synth) =>
      Object.fromEntries(
        Object.values(s.of("google_certificate_manager_certificate_map_entry")).map((e) => [
          e.hostname,
          e.certificates,
        ]),
      );
    const before = synthOf("certificate-manager");
    const prepared = synth(
      variant(certificateManager, { domain: { nextCertificateRevision: { preview: 1 } } }),
    );
    // Prepare: both serving certificates as they were, plus the preview host's next one, unserved.
    expect(byId(prepared)).toMatchObject(byId(before));
    const added = Object.keys(byId(prepared)).filter((id) => !(id in byId(before)));
    expect(added).toEqual([expect.stringMatching(/^https-frontend_certificate-preview-alt_[0-9A-F]{8}$/)]);
    expect(entries(prepared)).toEqual(entries(before));
    // Serve it: the preview entry moves to the prepared certificate; the tagging host keeps its own.
    const moved = synth(variant(certificateManager, { domain: { certificateRevision: { preview: 1 } } }));
    expect(byId(moved)).toEqual({
      ...Object.fromEntries(
        Object.entries(byId(before)).filter(([id]) => id.includes("certificate-tagging")),
      ),
      [added[0]]: byId(prepared)[added[0]],
    });
    expect(entries(moved)["sgtm.acme-shop.com"]).toEqual(entries(before)["sgtm.acme-shop.com"]);
    expect(entries(moved)["preview.sgtm.acme-shop.com"]).toEqual([
      `\${google_certificate_manager_certificate.${added[0]}.id}`,
    ]);
  });

  it("keeps, while switching, the combined certificate earlier versions served, under its old address", () => {
    const s = synthOf("certificate switch: prepare");
    const combined = Object.entries(s.of("google_certificate_manager_certificate")).find(
      ([, c]) => c.managed.domains.length === 2,
    ) as [string, Block];
    expect(combined[0]).toMatch(/^https-frontend_certificate_[0-9A-F]{8}$/);
    expect(combined[1].name).toMatch(/^sgtm-acme-production-cert-[0-9a-f]{6}$/);
    expect(s.output("certificate_status").value).toHaveLength(3);
  });

  it("monitors production by default, staging only when asked, and notifies every channel", () => {
    expect(synthOf("production").of("google_monitoring_alert_policy")).not.toEqual({});
    expect(synthOf("staging").of("google_monitoring_alert_policy")).toEqual({});
    const s = synthOf("staging monitored, two emails and a channel");
    const policies = Object.values(s.of("google_monitoring_alert_policy"));
    const emailIds = Object.values(s.of("google_monitoring_notification_channel")).map(
      (channel) => `\${${s.ref("google_monitoring_notification_channel", channel).slice(2)}id}`,
    );
    for (const policy of policies)
      expect(policy.notification_channels).toEqual([
        ...emailIds,
        "projects/acme-ops/notificationChannels/123456789",
      ]);
    const errors = policies.find((p) => p.display_name.endsWith(": errors")) as Block;
    expect(errors.conditions[0].condition_threshold).toMatchObject({
      threshold_value: 0.1,
      denominator_filter: expect.stringContaining('resource.label.url_map_name="sgtm-acme-staging-https"'),
      filter: expect.stringContaining("metric.label.response_code_class=500"),
    });
    const max = policies.find((p) => p.display_name.endsWith(": max-instances")) as Block;
    expect(max.conditions[0].condition_threshold.threshold_value).toBe(staging.tagging.maxInstances - 0.5);
    expect(s.output("monitoring").value.notification_channels).toHaveLength(3);
    const apis = Object.values(s.of("google_project_service")).map((a) => a.service);
    expect(apis).toContain("monitoring.googleapis.com");
    // The budget notifies the email channels only (Billing Budgets takes no other type), and says so.
    const budget = s.one("google_billing_budget");
    expect(budget.all_updates_rule.monitoring_notification_channels).toEqual(emailIds);
    expect(s.output("budget").value).toEqual({
      notified: [DEFAULT_BUDGET_RECIPIENTS, "oncall@acme-shop.com", "ops@acme-shop.com"],
      not_notified: [
        expect.stringMatching(
          /^projects\/acme-ops\/notificationChannels\/123456789: Billing Budgets sends to email channels only/,
        ),
      ],
    });
    expect(budget.amount.specified_amount.currency_code).toBe("EUR");
    expect(apis).toContain("billingbudgets.googleapis.com");
  });

  it("gives a budget five email channels at most, and no empty notification block without any", () => {
    const budget = { billingAccount: "01ABCD-23EF45-6789AB", monthlyAmount: 150 };
    const emails = ["a", "b", "c", "d", "e", "f"].map((name) => `${name}@acme-shop.com`);
    const many = synth(
      variant(staging, {
        monitoring: { enabled: true, emails, channels: [], errorRatio: 0.05 },
        budget,
      } as Parameters<typeof variant>[1]),
    );
    const channels = many.one("google_billing_budget").all_updates_rule.monitoring_notification_channels;
    expect(channels).toHaveLength(5);
    expect(channels).not.toContain(expect.stringContaining("f@acme-shop.com"));
    expect(many.output("budget").value.not_notified).toEqual([
      expect.stringMatching(/^f@acme-shop\.com: a budget notifies at most 5 email channels/),
    ]);
    // Monitoring off: no channel at all, so no all_updates_rule (an empty one diffs on every plan).
    const none = synth(variant(staging, { budget } as Parameters<typeof variant>[1]));
    expect(none.one("google_billing_budget").all_updates_rule).toBeUndefined();
    expect(none.output("budget").value).toEqual({ notified: [DEFAULT_BUDGET_RECIPIENTS], not_notified: [] });
  });

  it("serves IPv6 only when asked: its address, its output and AAAA records", () => {
    expect(() => synthOf("staging").output("ipv6_address")).toThrow();
    const s = synthOf("staging on IPv6, records left to the client");
    const v6 = Object.values(s.of("google_compute_global_address")).find(
      (a) => a.ip_version === "IPV6",
    ) as Block;
    expect(v6.name).toBe("sgtm-acme-staging-ipv6");
    expect(s.output("ipv6_address").value).toContain(`${s.ref("google_compute_global_address", v6)}address}`);
    expect(s.output("dns_records").value).toContain(
      `sgtm.staging.acme-shop.com. 300 IN AAAA ${s.output("ipv6_address").value}`,
    );
  });

  it("lets Cloud Armor deny any other Host, whatever its case or a :443 suffix", () => {
    const policy = synthOf("production on IPv6 too, behind Cloud Armor").one(
      "google_compute_security_policy",
    );
    const { expression } = (policy.rule as Block[]).find((r) => r.action === "deny(404)")?.match.expr ?? {};
    expect(expression).toBe(unknownHostExpression(["sgtm.acme-shop.com", "preview.sgtm.acme-shop.com"]));
    // Cloud Armor's matches() is RE2; the same pattern in JavaScript (after the CEL string unescape).
    const pattern = /matches\('(.*)'\)$/.exec(expression)?.[1].replace(/\\\\/g, "\\") as string;
    const known = (host: string) => new RegExp(pattern).test(host.toLowerCase());
    expect(["sgtm.acme-shop.com", "SGTM.acme-shop.com:443", "preview.sgtm.acme-shop.com"].map(known)).toEqual(
      [true, true, true],
    );
    expect(["sgtmxacme-shop.com", "34.1.2.3", "evil.sgtm.acme-shop.com.example"].map(known)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it("names the Google-managed certificate after its domains", () => {
    const before = synthOf("staging").one("google_compute_managed_ssl_certificate").name;
    const after = synth(
      variant(staging, { domain: { tagging: "t.acme-shop.com", preview: "p.acme-shop.com" } }),
    ).one("google_compute_managed_ssl_certificate").name;
    expect(before).toMatch(/^sgtm-acme-staging-cert-[0-9a-f]{6}$/);
    expect(after).not.toBe(before);
  });

  it("grants token readers access to the token secret only", () => {
    const s = synthOf("production");
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
    const s = synthOf("retired");
    // Everything, the GTM step included: it now removes the kit's entities from the container.
    expect(allResources(s).length).toBe(allResources(synthOf("production")).length);
    for (const svc of services(s)) expect(svc.deletion_protection).toBe(false);
    expect(s.output("retired").value).toContain("npx cdktf destroy acme-production");
    expect(s.output("retired").value).toContain("removes the kit's tags, triggers and variables");
  });

  it("a retired environment's GTM step carries the empty model: its apply removes what the kit made", () => {
    const retired = Object.values(synthOf("retired").of("terraform_data")).find((d) =>
      JSON.stringify(d.provisioner).includes(" gtm apply "),
    );
    const live = Object.values(synthOf("production").of("terraform_data")).find((d) =>
      JSON.stringify(d.provisioner).includes(" gtm apply "),
    );
    // Before: no GTM step at all, and the tags stayed live after cdktf destroy.
    expect(retired?.input.entities).toEqual({});
    expect(Object.keys(live?.input.entities ?? {}).length).toBeGreaterThan(0);
    expect(retired?.input.digest).not.toBe(live?.input.digest);
  });

  it("passes a non-default config folder and project root to the CLI steps", () => {
    const s = synth(staging, { configDir: "clients", projectRoot: "../../../.." });
    const steps = Object.values(s.of("terraform_data")).map((d) => d.provisioner[0]["local-exec"]);
    expect(steps).toEqual([
      {
        command: "node bin/sgtm.js --config-dir clients bootstrap --env acme-staging",
        working_dir: "../../../..",
      },
      {
        command: "node bin/sgtm.js --config-dir clients gtm apply --env acme-staging --yes",
        working_dir: "../../../..",
      },
    ]);
  });

  it("puts the desired GTM model in the stack: a change to the event map changes it, the token never does", () => {
    const gtmInput = (s: ReturnType<typeof synth>) =>
      Object.values(s.of("terraform_data")).find((d) => d.input?.digest !== undefined)?.input;
    const before = gtmInput(synth(staging));
    expect(before.entities).toMatchObject({
      "tag TikTok Kit | CompletePayment (purchase)": expect.any(String),
    });
    const fewerEvents = {
      ...staging,
      tiktok: { ...staging.tiktok, events: staging.tiktok.events.filter((e) => e.ga4Event !== "purchase") },
    };
    const after = gtmInput(synth(fewerEvents));
    expect(after.digest).not.toBe(before.digest);
    expect(Object.keys(after.entities)).not.toContain("tag TikTok Kit | CompletePayment (purchase)");
    const saved = process.env.SGTM_TIKTOK_ACCESS_TOKEN_ACME_STAGING;
    process.env.SGTM_TIKTOK_ACCESS_TOKEN_ACME_STAGING = "another-token-value";
    try {
      expect(gtmInput(synth(staging))).toEqual(before);
    } finally {
      if (saved === undefined) delete process.env.SGTM_TIKTOK_ACCESS_TOKEN_ACME_STAGING;
      else process.env.SGTM_TIKTOK_ACCESS_TOKEN_ACME_STAGING = saved;
    }
  });

  it("enables the APIs once, never disabling them on destroy, with dns only for a zone in the project", () => {
    const apis = (s: Synth) => Object.values(s.of("google_project_service"));
    for (const api of apis(synthOf("production"))) expect(api.disable_on_destroy).toBe(false);
    expect(apis(synthOf("production")).map((a) => a.service)).toContain("dns.googleapis.com");
    expect(apis(synthOf("production")).map((a) => a.service)).toContain("tagmanager.googleapis.com");
    expect(apis(synthOf("staging")).map((a) => a.service)).not.toContain("dns.googleapis.com");
  });
});

describe("the npx invariant", () => {
  it("catches a package run by name, not the project's own launcher", () => {
    for (const bad of [
      "npx sgtm bootstrap --env a",
      "cd x && npx --yes sgtm gtm apply",
      "npm exec sgtm",
      "pnpx sgtm",
    ])
      expect([bad, NPX_PACKAGE.test(bad)]).toEqual([bad, true]);
    for (const good of [
      "node bin/sgtm.js bootstrap --env a",
      "node bin/sgtm.js --config-dir npx-configs gtm apply",
    ])
      expect([good, NPX_PACKAGE.test(good)]).toEqual([good, false]);
  });
});

it("keeps the fixture config in sync with what the snapshot was taken from", () => {
  // Guards against a snapshot silently regenerated from a different fixture.
  expect(readFileSync(join(FIXTURE_CONFIG_DIR, "acme", "staging.yaml"), "utf8")).toContain("tier: staging");
});
