import { Command } from "commander";
import {
  bootstrapContainerConfig,
  registerInfraCommands,
  type SecretVersionStore,
} from "../../src/cli/infra-commands";
import { UserError } from "../../src/cli/run";
import { example } from "./helpers";

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
  const program = new Command().option("--config-dir <dir>", "", "config").exitOverride();
  const output: string[] = [];
  registerInfraCommands(program, { env, store: async () => store, write: (text) => output.push(text) });
  try {
    await program.parseAsync(["node", "sgtm", ...args]);
    return { output: output.join(""), error: undefined };
  } catch (error) {
    return { output: output.join(""), error: error as Error };
  }
}

const staging = example("acme-staging");
const SECRET = "projects/acme-sgtm-staging/secrets/sgtm-acme-staging-container-config";

describe("sgtm bootstrap", () => {
  it("adds SGTM_CONTAINER_CONFIG as a version, without printing it", async () => {
    const store = new FakeStore();
    const { output, error } = await run(["bootstrap", "--env", "acme-staging"], store, {
      SGTM_CONTAINER_CONFIG: `${CONTAINER_CONFIG}\n`,
    });
    expect(error).toBeUndefined();
    expect(store.added).toEqual([{ secret: SECRET, data: CONTAINER_CONFIG }]);
    expect(output).toBe(
      "added a version of sgtm-acme-staging-container-config from $SGTM_CONTAINER_CONFIG\n",
    );
  });

  it("succeeds on an existing version when the variable is not set", async () => {
    const store = new FakeStore(1);
    expect(await bootstrapContainerConfig(staging, undefined, store)).toBe("existing");
    expect(store.added).toEqual([]);
  });

  it("fails with the gcloud command and where to find the value when there is nothing", async () => {
    const { error } = await run(["bootstrap", "--env", "acme-staging"], new FakeStore());
    expect(error).toBeInstanceOf(UserError);
    expect(error?.message).toContain("has no version, and SGTM_CONTAINER_CONFIG is not set");
    expect(error?.message).toContain("Admin > Container Settings");
    expect(error?.message).toContain(
      'printf %s "$SGTM_CONTAINER_CONFIG" | gcloud secrets versions add sgtm-acme-staging-container-config --project acme-sgtm-staging --data-file=-',
    );
  });

  it("refuses a value that is not a container config, without echoing it", async () => {
    const store = new FakeStore();
    const pasted = "SENTINEL-not-a-container-config";
    const error = await bootstrapContainerConfig(staging, pasted, store).catch((e: Error) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).not.toContain(pasted);
    expect(store.added).toEqual([]);
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

  it("names the known environments when the name is wrong", async () => {
    const { error } = await run(["bootstrap", "--env", "acme-nope"], new FakeStore());
    expect(error?.message).toContain("known: acme-production, acme-staging");
  });
});

describe("sgtm secrets", () => {
  it("prints the commands for both secrets", async () => {
    const { output } = await run(["secrets", "--env", "acme-production"], new FakeStore());
    expect(output).toContain(
      'printf %s "$SGTM_CONTAINER_CONFIG" | gcloud secrets versions add sgtm-acme-production-container-config --project acme-sgtm-prod --data-file=-',
    );
    expect(output).toContain(
      'printf %s "$SGTM_TIKTOK_ACCESS_TOKEN" | gcloud secrets versions add sgtm-acme-production-tiktok-token --project acme-sgtm-prod --data-file=-',
    );
    expect(output).toContain("read -rs SGTM_TIKTOK_ACCESS_TOKEN");
  });
});
