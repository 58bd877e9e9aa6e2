import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { Command } from "commander";
import {
  bootstrapContainerConfig,
  googleCredentialSource,
  registerInfraCommands,
  type SecretVersionStore,
  secretInstructions,
  secretManagerClientOptions,
  secretManagerStore,
} from "../../src/cli/infra-commands";
import { buildProgram } from "../../src/cli/program";
import { runCli } from "../../src/cli/run";
import { UserError } from "../../src/errors/report";
import { containerConfigVariable } from "../../src/naming/variables";
import { FIXTURE_CONFIG_DIR } from "../config/helpers";
import { fixture } from "./helpers";

/** base64 of a container config as GTM shows it (fake auth code). */
const CONTAINER_CONFIG = Buffer.from("id=GTM-ABC1234&env=1&auth=SENTINELauthCODE42").toString("base64");

class FakeStore implements SecretVersionStore {
  readonly added: { secret: string; data: string }[] = [];
  constructor(private versions = 0) {}
  async hasEnabledVersion(): Promise<boolean> {
    return this.versions > 0;
  }
  async addVersion(secret: string, data: Buffer): Promise<void> {
    this.added.push({ secret, data: data.toString("utf8") });
    this.versions++;
  }
}

async function run(args: string[], store: SecretVersionStore, env: NodeJS.ProcessEnv = {}) {
  const program = new Command().option("--config-dir <dir>", "", FIXTURE_CONFIG_DIR).exitOverride();
  const output: string[] = [];
  registerInfraCommands(program, { env, store: async () => store, write: (text) => output.push(text) });
  try {
    await program.parseAsync(["node", "sgtm", ...args]);
    return { output: output.join(""), error: undefined };
  } catch (error) {
    return { output: output.join(""), error: error as Error };
  }
}

const staging = fixture("acme-staging");
const SECRET = "projects/acme-sgtm-staging/secrets/sgtm-acme-staging-container-config";
const STAGING_VARIABLE = "SGTM_CONTAINER_CONFIG_ACME_STAGING";

describe("sgtm bootstrap", () => {
  it("adds SGTM_CONTAINER_CONFIG_<STACK> as a version, without printing it", async () => {
    const store = new FakeStore();
    const { output, error } = await run(["bootstrap", "--env", "acme-staging"], store, {
      [STAGING_VARIABLE]: `${CONTAINER_CONFIG}\n`,
    });
    expect(error).toBeUndefined();
    expect(store.added).toEqual([{ secret: SECRET, data: CONTAINER_CONFIG }]);
    expect(output).toBe(
      "added a version of sgtm-acme-staging-container-config from $SGTM_CONTAINER_CONFIG_ACME_STAGING\n",
    );
  });

  it("names the variable after the stack: upper case, every other character an underscore", () => {
    expect(containerConfigVariable("acme-staging")).toBe(STAGING_VARIABLE);
    expect(containerConfigVariable("shop.de-prod-2")).toBe("SGTM_CONTAINER_CONFIG_SHOP_DE_PROD_2");
  });

  it("refuses the generic SGTM_CONTAINER_CONFIG, naming the variable to use, even when a version exists", async () => {
    for (const versions of [0, 1]) {
      const store = new FakeStore(versions);
      const { output, error } = await run(["bootstrap", "--env", "acme-staging"], store, {
        SGTM_CONTAINER_CONFIG: CONTAINER_CONFIG,
      });
      expect(error).toBeInstanceOf(UserError);
      expect(error?.message).toContain(
        "SGTM_CONTAINER_CONFIG is set, but bootstrap reads SGTM_CONTAINER_CONFIG_ACME_STAGING for acme-staging",
      );
      expect(error?.message).toContain("the same for every environment");
      expect(error?.message).toContain(
        "read -rs SGTM_CONTAINER_CONFIG_ACME_STAGING && export SGTM_CONTAINER_CONFIG_ACME_STAGING",
      );
      expect(error?.message).not.toContain(CONTAINER_CONFIG);
      expect([store.added, output]).toEqual([[], ""]);
    }
  });

  it("never stores another environment's value: only its own variable counts", async () => {
    const otherOnly = { SGTM_CONTAINER_CONFIG_ACME_PRODUCTION: CONTAINER_CONFIG };
    const existing = new FakeStore(1);
    expect((await run(["bootstrap", "--env", "acme-staging"], existing, otherOnly)).output).toBe(
      "sgtm-acme-staging-container-config already has a version\n",
    );
    const empty = new FakeStore();
    const { error } = await run(["bootstrap", "--env", "acme-staging"], empty, otherOnly);
    expect(error?.message).toContain("has no version, and SGTM_CONTAINER_CONFIG_ACME_STAGING is not set");
    expect([existing.added, empty.added]).toEqual([[], []]);

    // Both set: the environment's own variable wins, the generic one is ignored.
    const both = new FakeStore();
    const result = await run(["bootstrap", "--env", "acme-staging"], both, {
      SGTM_CONTAINER_CONFIG: "SENTINEL-generic",
      [STAGING_VARIABLE]: CONTAINER_CONFIG,
    });
    expect(result.error).toBeUndefined();
    expect(both.added).toEqual([{ secret: SECRET, data: CONTAINER_CONFIG }]);
  });

  it("succeeds on an existing version when the variable is not set", async () => {
    const store = new FakeStore(1);
    expect(await bootstrapContainerConfig(staging, undefined, store)).toBe("existing");
    expect(store.added).toEqual([]);
  });

  it("fails with the read -rs form, the gcloud command and where to find the value when there is nothing", async () => {
    const { error } = await run(["bootstrap", "--env", "acme-staging"], new FakeStore());
    expect(error).toBeInstanceOf(UserError);
    expect(error?.message).toContain("has no version, and SGTM_CONTAINER_CONFIG_ACME_STAGING is not set");
    expect(error?.message).toContain("Admin > Container Settings");
    expect(error?.message).toContain(
      "read -rs SGTM_CONTAINER_CONFIG_ACME_STAGING && export SGTM_CONTAINER_CONFIG_ACME_STAGING",
    );
    expect(error?.message).toContain(
      'printf %s "$SGTM_CONTAINER_CONFIG_ACME_STAGING" | gcloud secrets versions add sgtm-acme-staging-container-config --project acme-sgtm-staging --data-file=-',
    );
  });

  it("refuses a value that is not a container config, without echoing it", async () => {
    const store = new FakeStore();
    const pasted = "SENTINEL-not-a-container-config";
    const error = await bootstrapContainerConfig(staging, pasted, store).catch((e: Error) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).not.toContain(pasted);
    expect(store.added).toEqual([]);
    const cli = await run(["bootstrap", "--env", "acme-staging"], store, { [STAGING_VARIABLE]: pasted });
    expect(cli.error?.message).toContain(`${STAGING_VARIABLE} is not a container config`);
    expect(cli.error?.message).not.toContain(pasted);
  });

  it("turns Secret Manager errors into user errors", async () => {
    const store: SecretVersionStore = {
      hasEnabledVersion: async () => {
        throw Object.assign(new Error("5 NOT_FOUND"), { code: 5 });
      },
      addVersion: async () => undefined,
    };
    const error = await bootstrapContainerConfig(staging, undefined, store).catch((e: Error) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain("the secret does not exist");
  });

  it("explains refused credentials (expired login or token) with the login commands", async () => {
    const store: SecretVersionStore = {
      hasEnabledVersion: async () => {
        throw Object.assign(new Error("16 UNAUTHENTICATED: Getting metadata from plugin failed"), {
          code: 16,
        });
      },
      addVersion: async () => undefined,
    };
    const error = await bootstrapContainerConfig(staging, undefined, store).catch((e: Error) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain("the credentials were refused");
    expect((error as Error).message).toContain("gcloud auth application-default login");
  });

  it("names the known environments when the name is wrong", async () => {
    const { error } = await run(["bootstrap", "--env", "acme-nope"], new FakeStore());
    expect(error?.message).toContain("known: acme-production, acme-staging");
  });
});

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
    expect(text).toContain("gcloud auth application-default login");
    expect(text).toContain("export GOOGLE_APPLICATION_CREDENTIALS=");
    expect(text).toContain('export GOOGLE_OAUTH_ACCESS_TOKEN="$(gcloud auth print-access-token)"');
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

describe("sgtm secrets", () => {
  it("prints the read -rs form and the commands for both secrets, with the environment's variable", async () => {
    const { output } = await run(["secrets", "--env", "acme-production"], new FakeStore());
    expect(output).toBe(secretInstructions(fixture("acme-production")));
    expect(output).toContain(
      "read -rs SGTM_CONTAINER_CONFIG_ACME_PRODUCTION && export SGTM_CONTAINER_CONFIG_ACME_PRODUCTION\n",
    );
    expect(output).toContain("npx cdktf deploy acme-production\n");
    expect(output).toContain(
      'printf %s "$SGTM_CONTAINER_CONFIG_ACME_PRODUCTION" | gcloud secrets versions add sgtm-acme-production-container-config --project acme-sgtm-prod --data-file=-',
    );
    expect(output).toContain(
      'read -rs SGTM_TIKTOK_ACCESS_TOKEN && printf %s "$SGTM_TIKTOK_ACCESS_TOKEN" | gcloud secrets versions add sgtm-acme-production-tiktok-token --project acme-sgtm-prod --data-file=-',
    );
    // Never the generic variable, and no value on a command line (only `read` assigns them).
    expect(output).not.toMatch(/SGTM_CONTAINER_CONFIG(?!_ACME_PRODUCTION)/);
    expect(output).not.toMatch(/\b[A-Z_]+=/);
  });
});
