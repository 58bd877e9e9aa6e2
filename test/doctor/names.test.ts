/**
 * The names `sgtm doctor` looks resources up by are the names the stack creates: synthesized here and
 * compared, for both certificate modes.
 */
import {
  certificateManagerCertificateNames,
  cloudRunServiceName,
  httpsProxyName,
  loadBalancerAddressName,
  managedCertificateName,
  runtimeServiceAccountEmail,
} from "../../src/naming/stack-resources";
import { fixture, synth, variant } from "../infra/helpers";

const production = fixture("acme-production");
const hosts = production.domain;

describe("stack resource names", () => {
  const s = synth(production);

  it("match the load balancer address, HTTPS proxy and managed certificate", () => {
    expect(s.one("google_compute_global_address").name).toBe(loadBalancerAddressName(production.stackName));
    expect(s.one("google_compute_target_https_proxy").name).toBe(httpsProxyName(production.stackName));
    expect(s.one("google_compute_managed_ssl_certificate").name).toBe(
      managedCertificateName(production.stackName, hosts),
    );
  });

  it("match the Cloud Run services and their runtime service account", () => {
    const services = Object.values(s.of("google_cloud_run_v2_service")).map((r) => r.name);
    expect(services.sort()).toEqual([
      cloudRunServiceName(production.stackName, "preview"),
      cloudRunServiceName(production.stackName, "tagging"),
    ]);
    const account = s.one("google_service_account");
    expect(`${account.account_id}@${account.project}.iam.gserviceaccount.com`).toBe(
      runtimeServiceAccountEmail(production.stackName, production.gcp.project),
    );
  });

  it("match the Certificate Manager certificates, one per host, and follow the revision", () => {
    for (const revision of [
      { tagging: 0, preview: 0 },
      { tagging: 2, preview: 1 },
    ]) {
      const managed = synth(
        variant(production, {
          domain: { certificates: "certificate-manager", certificateRevision: revision },
        }),
      );
      const names = Object.values(managed.of("google_certificate_manager_certificate")).map((c) => c.name);
      const expected = certificateManagerCertificateNames(production.stackName, hosts, revision);
      expect(names.sort()).toEqual([expected.preview, expected.tagging].sort());
    }
  });

  it("follow the domains: another host gives another certificate name", () => {
    const other = { ...hosts, tagging: `x.${hosts.tagging}` };
    expect(managedCertificateName(production.stackName, other)).not.toBe(
      managedCertificateName(production.stackName, hosts),
    );
  });
});
