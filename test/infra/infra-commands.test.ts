import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { secretManagerStore } from "../../src/bootstrap/secret-store";
import { buildProgram } from "../../src/cli/program";
import { runCli } from "../../src/cli/run";
import { googleCredentialSource, secretManagerClientOptions } from "../../src/credentials/google";
import { UserError } from "../../src/errors/report";
import { TAG_MANAGER_LOGIN_COMMAND } from "../../src/gtm/client/connect";
import { FIXTURE_CONFIG_DIR } from "../config/helpers";

// What bootstrap does with the secrets and GTM is tested in test/cli/bootstrap.test.ts.
const STAGING_VARIABLE = "SGTM_CONTAINER_CONFIG_ACME_STAGING";

/**
 * The real Secret Manager client, with the credentials google-auth-library finds controlled: no ADC
 * file (HOME is an empty folder), no metadata server, none of the credential variables.
 */
describe("sgtm bootstrap: Google credentials", () => {
  const CREDENTIAL_VARIABLES = [
    "GOOGLE_APPLICATION_CREDENTIALS",
    "GOOGLE_OAUTH_ACCESS_TOKEN",
    "GOOGLE_CREDENTIALS",
    "GOOGLE_CLOUD_KEYFILE_JSON",
    "GCLOUD_KEYFILE_JSON",
    "SGTM_CONTAINER_CONFIG",
    STAGING_VARIABLE,
  ];
  const saved: Record<string, string | undefined> = {};
  const savedExitCode = process.exitCode;
  const TOKEN = "ya29.SENTINEL-access-token-5d1c";

  beforeAll(() => {
    for (const name of [...CREDENTIAL_VARIABLES, "HOME", "METADATA_SERVER_DETECTION"])
      saved[name] = process.env[name];
    for (const name of CREDENTIAL_VARIABLES) delete process.env[name];
    process.env.HOME = mkdtempSync(join(tmpdir(), "sgtm-home-"));
    process.env.METADATA_SERVER_DETECTION = "none";
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    process.exitCode = savedExitCode;
  });

  it("without credentials prints the exact login instructions, exit 1, no stack trace or unhandled rejection", async () => {
    const stderr: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    try {
      await runCli(buildProgram(), [
        "node",
        "sgtm",
        "--config-dir",
        FIXTURE_CONFIG_DIR,
        "bootstrap",
        "--env",
        "acme-staging",
      ]);
      // The old code also rejected a promise nobody handled; Jest fails the test when one surfaces here.
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      spy.mockRestore();
    }
    const text = stderr.join("");
    expect(process.exitCode).toBe(1);
    expect(text).toContain("no Google credentials for Secret Manager");
    // With the Tag Manager scopes: bootstrap reads the container config from GTM as that identity.
    expect(text).toContain(TAG_MANAGER_LOGIN_COMMAND);
    expect(text).toContain("export GOOGLE_APPLICATION_CREDENTIALS=");
    expect(text).toContain(
      'export GOOGLE_OAUTH_ACCESS_TOKEN="$(gcloud auth application-default print-access-token)"',
    );
    // Every variable that would have worked, in the order they are read.
    expect(text).toContain(
      "It looks, in this order, at $GOOGLE_OAUTH_ACCESS_TOKEN, $GOOGLE_CREDENTIALS, $GOOGLE_CLOUD_KEYFILE_JSON, $GCLOUD_KEYFILE_JSON, then Application Default Credentials ($GOOGLE_APPLICATION_CREDENTIALS, ",
    );
    expect(text).not.toMatch(/\n\s+at /);
    expect(text).not.toContain("unexpected error");
  });

  it("authenticates with GOOGLE_OAUTH_ACCESS_TOKEN, as Terraform's google provider does", async () => {
    // Wins over a key, as in the provider; no ADC exists here, so connecting proves the token is used.
    const vars = { GOOGLE_OAUTH_ACCESS_TOKEN: `${TOKEN}\n`, GOOGLE_CREDENTIALS: "/nonexistent/key.json" };
    await expect(secretManagerStore(vars)).resolves.toBeDefined();
    const client = new SecretManagerServiceClient(
      await secretManagerClientOptions(googleCredentialSource(vars)),
    );
    const headers = await (await client.auth.getClient()).getRequestHeaders();
    expect(headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
  });

  it("authenticates with GOOGLE_CREDENTIALS as key JSON or as a key file path", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const key = JSON.stringify({
      type: "service_account",
      project_id: "acme-sgtm-staging",
      private_key_id: "0123",
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }),
      client_email: "deployer@acme-sgtm-staging.iam.gserviceaccount.com",
      client_id: "1",
    });
    const path = join(mkdtempSync(join(tmpdir(), "sgtm-key-")), "key.json");
    writeFileSync(path, key);
    for (const value of [key, path]) {
      const source = googleCredentialSource({ GOOGLE_CREDENTIALS: value });
      const client = new SecretManagerServiceClient(await secretManagerClientOptions(source));
      expect(await client.auth.getClient()).toMatchObject({
        email: "deployer@acme-sgtm-staging.iam.gserviceaccount.com",
      });
      await expect(secretManagerStore({ GOOGLE_CREDENTIALS: value })).resolves.toBeDefined();
    }
  });

  it("explains a broken GOOGLE_CREDENTIALS without showing it", async () => {
    const broken = '{"private_key": "SENTINEL-KEY-MATERIAL"';
    const error = await secretManagerStore({ GOOGLE_CREDENTIALS: broken }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain("GOOGLE_CREDENTIALS is not valid JSON");
    expect((error as Error).message).not.toContain("SENTINEL");
    const missing = await secretManagerStore({ GOOGLE_CREDENTIALS: "/nonexistent/key.json" }).catch(
      (e: Error) => e,
    );
    expect(missing).toBeInstanceOf(UserError);
    expect((missing as Error).message).toContain("GOOGLE_CREDENTIALS names /nonexistent/key.json");
    expect((missing as Error).message).toContain("gcloud auth application-default login");
  });
});
