import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isLoopback, processQuotaLimiter, tagManagerAuth } from "../../src/gtm/connect";
import { startFakeTagManager } from "../../src/gtm/fake";
import { seedDemoContainer } from "../../src/gtm/fake/seed";
import { createGoogleapisGtmApi } from "../../src/gtm/googleapis-api";

describe("connecting to the Tag Manager API", () => {
  it("treats only loopback roots as the local fake (no quota throttle, no credentials)", () => {
    expect(isLoopback("http://127.0.0.1:4000/")).toBe(true);
    expect(isLoopback("http://localhost:4000/")).toBe(true);
    expect(isLoopback("http://[::1]:4000/")).toBe(true);
    expect(isLoopback("https://tagmanager.googleapis.com/")).toBe(false);
    expect(isLoopback("http://10.0.0.5/")).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });

  it("bills the environment's project even when the credential file names none", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sgtm-adc-"));
    const file = join(dir, "adc.json");
    // What `gcloud auth application-default login` writes, without a quota_project_id.
    writeFileSync(
      file,
      JSON.stringify({
        type: "authorized_user",
        client_id: "id",
        client_secret: "secret",
        refresh_token: "r",
      }),
    );
    const previous = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.GOOGLE_APPLICATION_CREDENTIALS = file;
    try {
      const auth = await tagManagerAuth("acme-sgtm-prod");
      // GoogleAuth hands every request the same cached client: the one that carries the quota project.
      expect((await auth.getClient()).quotaProjectId).toBe("acme-sgtm-prod");
    } finally {
      if (previous === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      else process.env.GOOGLE_APPLICATION_CREDENTIALS = previous;
    }
  });

  it("shares one quota limiter per project across the process (every connect, every environment)", () => {
    expect(processQuotaLimiter("acme-sgtm-prod")).toBe(processQuotaLimiter("acme-sgtm-prod"));
    expect(processQuotaLimiter("acme-sgtm-prod")).not.toBe(processQuotaLimiter("other-sgtm-prod"));
  });

  it("passes every HTTP request through the quota hook, each page of a list included", async () => {
    const fake = await startFakeTagManager({ pageSize: 2 });
    try {
      const demo = seedDemoContainer(fake.state, { accountId: "1", containerId: "2" });
      const seen: string[] = [];
      const api = createGoogleapisGtmApi({
        rootUrl: fake.rootUrl,
        beforeRequest: async (description) => {
          seen.push(description);
        },
      });
      for (let i = 0; i < 4; i++) {
        fake.state.create(demo.defaultWorkspacePath, "variables", {
          name: `v${i}`,
          type: "c",
          parameter: [{ type: "template", key: "value", value: String(i) }],
        });
      }
      const before = fake.requests.length;
      expect(await api.list("variables", demo.defaultWorkspacePath)).toHaveLength(4);
      expect(fake.requests.length - before).toBe(2); // two pages of two
      expect(seen).toHaveLength(2);
      expect(seen[1]).toContain("(next page)");
    } finally {
      await fake.close();
    }
  });
});
