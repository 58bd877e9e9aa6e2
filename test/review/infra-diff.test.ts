import { hasInfraChanges, infraDiff } from "../../src/review/infra-diff";
import { changeWords, infraLines, resourceLine, settingLine } from "../../src/review/infra-words";
import { redactText } from "../../src/review/redact";
import { resourceKind } from "../../src/review/resource-words";
import { parseSynthJson, type SynthJson } from "../../src/review/synth-json";
import { editable, expectNoFixtureSecret, fixtureSynth } from "./helpers";

const RUN = "google_cloud_run_v2_service.tagging-server_tagging_510CF121";

describe("infraDiff between two synths", () => {
  const diff = infraDiff(fixtureSynth("base"), fixtureSynth("head"));

  test("lists added, changed and removed resources by Terraform address, sorted", () => {
    expect(diff.hasBase).toBe(true);
    expect(diff.added.map((r) => r.address)).toEqual([
      "google_compute_managed_ssl_certificate.https-frontend_managed-certificate_7B1D44E0",
      "google_dns_record_set.https-frontend_dns-a-tagging_E38524C7",
    ]);
    expect(diff.changed.map((r) => [r.address, r.attributes])).toEqual([
      [RUN, ["template"]],
      ["google_secret_manager_secret_version.secrets_tiktok-access-token-version_5A1E2B3C", ["secret_data"]],
    ]);
    expect(diff.removed.map((r) => r.address)).toEqual([
      "google_compute_managed_ssl_certificate.https-frontend_managed-certificate_C900C58C",
      "google_logging_project_exclusion.request-logs_exclusion_9CF046B5",
    ]);
    expect(diff.settings).toEqual([{ block: "output.ip_address", change: "added" }]);
    expect(hasInfraChanges(diff)).toBe(true);
  });

  test("says each change in plain words, with values only where they are not sensitive", () => {
    expect(infraLines(diff)).toEqual([
      "HTTPS certificate sgtm-shop-production-cert-9c4e7d: added",
      "DNS record A sgtm.shop.com.: added",
      "Cloud Run service sgtm-shop-production-tagging: changed (setting DEBUG_TOKEN set to (sensitive); " +
        "setting RUN_AS_TEST set to (sensitive); server image gcr.io/cloud-tagging-10302018/gtm-cloud-image:stable" +
        " -> gcr.io/cloud-tagging-10302018/gtm-cloud-image:2.4.0; min instances 2 -> 3)",
      "secret value secrets/tiktok-access-token-version: changed (secret value changed (value not shown))",
      "HTTPS certificate sgtm-shop-production-cert-3f2a1b: removed",
      "request log exclusion sgtm-shop-production-requests: removed",
      "deploy output ip_address: added",
    ]);
    expectNoFixtureSecret(JSON.stringify(diff));
  });

  test("without a base, everything is added and no setting is compared", () => {
    const alone = infraDiff(undefined, fixtureSynth("head"));
    expect(alone.hasBase).toBe(false);
    expect(alone.added).toHaveLength(7);
    expect([alone.changed, alone.removed, alone.settings]).toEqual([[], [], []]);
    expect(resourceLine("added", alone.added[0])).toBe(
      "Cloud Run service sgtm-shop-production-tagging: added",
    );
  });

  test("the same synth, even written in another key order, has no changes", () => {
    const head = fixtureSynth("head");
    expect(hasInfraChanges(infraDiff(head, head))).toBe(false);
    expect(hasInfraChanges(infraDiff(head, reversed(head) as SynthJson))).toBe(false);
  });

  test("cdktf's metadata and the order of named entries are not changes", () => {
    const base = fixtureSynth("base");
    const moved = editable(base);
    const service = moved.resource.google_cloud_run_v2_service["tagging-server_tagging_510CF121"];
    service["//"].metadata.path = "shop-production/elsewhere/tagging";
    service.template.containers[0].env.reverse();
    expect(hasInfraChanges(infraDiff(base, moved as SynthJson))).toBe(false);
  });

  test("a changed backend, provider or output is a setting change", () => {
    const base = fixtureSynth("base");
    const next = editable(base);
    next.terraform.backend = { gcs: { bucket: "shop-tfstate", prefix: "sgtm/shop-production" } };
    next.provider.google[0].region = "europe-west4";
    delete next.output.dns_records;
    const settings = infraDiff(base, next as SynthJson).settings;
    expect(settings).toEqual([
      { block: "output.dns_records", change: "removed" },
      { block: "provider.google", change: "changed" },
      { block: "terraform.backend", change: "changed" },
    ]);
    expect(settings.map(settingLine)).toEqual([
      "deploy output dns_records: removed",
      "google provider settings: changed",
      "where Terraform keeps this environment's state (backend): changed",
    ]);
  });

  test("a long list of changes names the first few and counts the rest", () => {
    const base = fixtureSynth("base");
    const next = editable(base);
    const service = next.resource.google_cloud_run_v2_service["tagging-server_tagging_510CF121"];
    Object.assign(service, { a: 1, b: 2, c: 3, d: 4, e: 5 });
    service.template.scaling.min_instance_count = 0;
    const [changed] = infraDiff(base, next as SynthJson).changed;
    expect(resourceLine("changed", changed)).toBe(
      "Cloud Run service sgtm-shop-production-tagging: changed (min instances 2 -> 0; a set to 1; b set to 2; c set to 3; and 2 more)",
    );
  });

  test("values: booleans read on/off, absent sides read set/removed, and a secret-shaped value never shows", () => {
    const at = (before: string | null, after: string | null) =>
      changeWords({ path: "x", label: "deletion protection", before, after });
    expect(at("on", "off")).toBe("deletion protection on -> off");
    expect(at(null, "on")).toBe("deletion protection set to on");
    expect(at("on", null)).toBe("deletion protection removed (was on)");
    const base = fixtureSynth("base");
    const next = editable(base);
    next.resource.google_project_service.apis_run_8855F8C0.service = "aWQ9R1RNLVhYWFgmZW52PTEmYXV0aD1hYmM=";
    next.resource.google_project_service.apis_run_8855F8C0.disable_on_destroy = true;
    const [changed] = infraDiff(base, next as SynthJson).changed;
    expect(changed.details.map(changeWords)).toEqual([
      "disable_on_destroy off -> on",
      "API run.googleapis.com -> (sensitive)",
    ]);
  });

  test("an unknown resource type still reads as words", () => {
    expect(resourceKind("google_compute_router_nat")).toBe("compute router nat");
    expect(resourceKind("google_cloud_run_v2_service")).toBe("Cloud Run service");
  });

  test("parseSynthJson names the file it cannot read", () => {
    expect(() => parseSynthJson("{", "x/cdk.tf.json")).toThrow(/x\/cdk.tf.json is not JSON/);
    expect(() => parseSynthJson("[]", "x/cdk.tf.json")).toThrow(/not a synthesized stack/);
    expect(() => parseSynthJson('{"resource": 1}', "x/cdk.tf.json")).toThrow(/"resource" is not an object/);
  });
});

describe("redactText", () => {
  test("hides secret-shaped words, alone or after a key, and leaves the rest", () => {
    const token = "0123456789abcdef0123456789abcdef01234567";
    const config = "aWQ9R1RNLVhYWFgmZW52PTEmYXV0aD1hYmM=";
    const text = `  + value = "${token}"\n  ~ CONTAINER_CONFIG=${config} name=sgtm-shop-production-tagging`;
    expect(redactText(text)).toBe(
      '  + value = "(sensitive)"\n  ~ CONTAINER_CONFIG=(sensitive) name=sgtm-shop-production-tagging',
    );
  });
});

/** The same JSON with every object's keys in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    );
  }
  return value;
}
