import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../../src/errors/report";
import {
  connectGtm,
  isLoopback,
  processQuotaLimiter,
  TAG_MANAGER_LOGIN_COMMAND,
  TAG_MANAGER_SCOPES,
  tagManagerAuth,
} from "../../src/gtm/client/connect";
import { createGoogleapisGtmApi } from "../../src/gtm/client/googleapis";
import { GtmApiError } from "../../src/gtm/core/api";
import { startFakeTagManager } from "../../src/gtm/fake";
import { seedDemoContainer } from "../../src/gtm/fake/seed";

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

  it("sends a given access token as is, billed to the quota project", async () => {
    const auth = await tagManagerAuth("acme-sgtm-prod", { kind: "access-token", token: "ya29.SENTINEL" });
    const headers = await (await auth.getClient()).getRequestHeaders();
    expect(headers.get("authorization")).toBe("Bearer ya29.SENTINEL");
    expect(headers.get("x-goog-user-project")).toBe("acme-sgtm-prod");
  });

  it("uses a given service account key with the Tag Manager scopes", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const key = {
      type: "service_account",
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }),
      client_email: "deployer@acme-sgtm-prod.iam.gserviceaccount.com",
      client_id: "1",
    };
    const client = await (await tagManagerAuth("acme-sgtm-prod", { kind: "key", key })).getClient();
    expect(client).toMatchObject({
      email: "deployer@acme-sgtm-prod.iam.gserviceaccount.com",
      scopes: [...TAG_MANAGER_SCOPES],
      quotaProjectId: "acme-sgtm-prod",
    });
  });

  it("the login command asks for cloud-platform and every Tag Manager scope", () => {
    expect(TAG_MANAGER_LOGIN_COMMAND).toBe(
      "gcloud auth application-default login --scopes https://www.googleapis.com/auth/cloud-platform,https://www.googleapis.com/auth/tagmanager.edit.containers,https://www.googleapis.com/auth/tagmanager.edit.containerversions,https://www.googleapis.com/auth/tagmanager.publish",
    );
  });

  it("shares one quota limiter per project across the process (every connect, every environment)", () => {
    expect(processQuotaLimiter("acme-sgtm-prod")).toBe(processQuotaLimiter("acme-sgtm-prod"));
    expect(processQuotaLimiter("acme-sgtm-prod")).not.toBe(processQuotaLimiter("other-sgtm-prod"));
  });

  it("fails at once when nothing answers at a loopback root, saying to start the fake", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const rootUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    await new Promise((resolve) => server.close(resolve));
    await expect(connectGtm({ rootUrl })).rejects.toThrow(
      new UserError(
        `nothing answers at SGTM_GTM_ROOT_URL (${rootUrl}): connection refused. Start it with \`npx sgtm fake\` (in another shell), or unset SGTM_GTM_ROOT_URL to use Google's API.`,
      ),
    );
    // The client's own error (a dropped connection mid-run) says each cause once.
    const error = await createGoogleapisGtmApi({ rootUrl })
      .listWorkspaces("accounts/1/containers/2")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GtmApiError);
    const parts = (error as Error).message.split(": ");
    expect(parts.at(-1)).toMatch(/^connect ECONNREFUSED 127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
    expect(parts.filter((part, i) => part === parts[i - 1])).toEqual([]);
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
