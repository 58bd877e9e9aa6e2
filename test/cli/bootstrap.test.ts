/**
 * `sgtm bootstrap` and `sgtm secrets` run in-process (`runCli`) with config files in a temp dir, an
 * in-memory Secret Manager and the local fake Tag Manager API driven by the real client
 * (`SGTM_GTM_ROOT_URL`, the way the CLI connects). Every run's stdout and stderr are checked for every
 * secret value the test has handed out or the fake has answered.
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { Command } from "commander";
import { secretInstructions } from "../../src/bootstrap/instructions";
import type { SecretVersionStore } from "../../src/bootstrap/secret-store";
import { connectForEnvironment } from "../../src/cli/gtm-connect";
import { registerInfraCommands } from "../../src/cli/infra-commands";
import { loadEnvironments } from "../../src/config/load";
import type { EnvironmentConfig } from "../../src/config/model";
import { TAG_MANAGER_LOGIN_COMMAND } from "../../src/gtm/client/connect";
import type { GtmApi } from "../../src/gtm/core/api";
import { type FakeTagManager, matching, startFakeTagManager } from "../../src/gtm/fake";
import { VALID_CLIENT, VALID_ENV, writeConfig } from "../config/helpers";
import { type CliRun, runProgram } from "./run-cli";

const STACK = "shop-staging";
const CONTAINER_SECRET = "projects/shop-sgtm-staging/secrets/sgtm-shop-staging-container-config";
const TOKEN_SECRET = "projects/shop-sgtm-staging/secrets/sgtm-shop-staging-tiktok-token";
const CONFIG_VARIABLE = "SGTM_CONTAINER_CONFIG_SHOP_STAGING";
const TOKEN_VARIABLE = "SGTM_TIKTOK_ACCESS_TOKEN_SHOP_STAGING";
const TAGGING_URL = "https://sgtm.shop.com";
const CONTAINER_PATH = "accounts/6012345678/containers/123456";
const PUBLIC_ID = "GTM-SHOP123";

const TOKEN = "SENTINEL-tiktok-token-7f3a91";
const containerConfigOf = (publicId: string, auth: string) =>
  Buffer.from(`id=${publicId}&env=1&auth=${auth}`).toString("base64");
/** What someone copied from the GTM UI for this container (its auth code differs from the fake's). */
const PASTED_CONFIG = containerConfigOf(PUBLIC_ID, "SENTINELpasted42");

/** Secret Manager in memory: the stack's two secrets exist (the deploy made them), without versions. */
class MemoryStore implements SecretVersionStore {
  readonly versions = new Map<string, { data: string; enabled: boolean }[]>([
    [CONTAINER_SECRET, []],
    [TOKEN_SECRET, []],
  ]);
  readonly added: { secret: string; data: string }[] = [];

  async hasEnabledVersion(secret: string): Promise<boolean> {
    return this.of(secret).some((v) => v.enabled);
  }
  async latestData(secret: string): Promise<Buffer | undefined> {
    const latest = this.of(secret).at(-1);
    return latest?.enabled ? Buffer.from(latest.data) : undefined;
  }
  async addVersion(secret: string, data: Buffer): Promise<void> {
    this.of(secret).push({ data: data.toString("utf8"), enabled: true });
    this.added.push({ secret, data: data.toString("utf8") });
  }
  /** A version that was there before bootstrap ran (not counted as added). */
  seed(secret: string, data: string, enabled = true): this {
    this.of(secret).push({ data, enabled });
    return this;
  }
  values(): string[] {
    return [...this.versions.values()].flat().map((v) => v.data);
  }
  private of(secret: string) {
    const versions = this.versions.get(secret);
    if (!versions) throw Object.assign(new Error(`5 NOT_FOUND: Secret [${secret}] not found`), { code: 5 });
    return versions;
  }
}

let fake: FakeTagManager;
let configDir: string;
let env: EnvironmentConfig;

beforeAll(async () => {
  fake = await startFakeTagManager({ pageSize: 100 });
  const envPath = writeConfig({ client: VALID_CLIENT, env: VALID_ENV, envName: "staging" });
  configDir = dirname(dirname(envPath));
  [env] = loadEnvironments([envPath]);
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** The environment's server container in the fake (as a shop has it before the first deploy). */
function serverContainer(options: { usageContext?: string[]; taggingServerUrls?: string[] } = {}) {
  return fake.state.createContainer({
    accountId: "6012345678",
    containerId: "123456",
    publicId: PUBLIC_ID,
    ...options,
  });
}

/** The containerConfig the fake answers for the environment's container now. */
function gtmContainerConfig(): string {
  return String(fake.state.getContainerSnippet(CONTAINER_PATH).containerConfig);
}

function gtmContainerConfigIfAny(): string[] {
  try {
    const { containerConfig } = fake.state.getContainerSnippet(CONTAINER_PATH);
    return containerConfig ? [containerConfig] : [];
  } catch {
    return []; // no such container in this test
  }
}

interface RunOptions {
  readonly store?: SecretVersionStore;
  readonly vars?: NodeJS.ProcessEnv;
  readonly gtm?: (env: EnvironmentConfig, vars: NodeJS.ProcessEnv) => Promise<GtmApi>;
}

/** `sgtm --config-dir <tmp> ...args`, talking to the fake; asserts that no output holds a secret value. */
async function sgtm(args: string[], options: RunOptions = {}): Promise<CliRun> {
  const store = options.store ?? new MemoryStore();
  const vars = { SGTM_GTM_ROOT_URL: fake.rootUrl, ...options.vars };
  const program = new Command().option("--config-dir <dir>").exitOverride();
  registerInfraCommands(program, {
    env: vars,
    store: async () => store,
    gtm: options.gtm ?? connectForEnvironment,
    write: (text) => process.stdout.write(text),
    warn: (text) => process.stderr.write(text),
  });
  const run = await runProgram(program, ["--config-dir", configDir, ...args]);
  const secrets = [
    ...(store instanceof MemoryStore ? store.values() : []),
    ...Object.entries(vars)
      .filter(([name]) => /^SGTM_(CONTAINER_CONFIG|TIKTOK_ACCESS_TOKEN)/.test(name))
      .map(([, value]) => String(value).trim()),
    ...gtmContainerConfigIfAny(),
  ];
  const authCodes = secrets.map((s) => /&auth=(\S+)$/.exec(Buffer.from(s, "base64").toString())?.[1]);
  for (const secret of [...secrets, ...authCodes].filter((s): s is string => Boolean(s))) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  return run;
}

const bootstrap = (options?: RunOptions) => sgtm(["bootstrap", "--env", STACK], options);
const gtmWrites = (since = 0) => fake.requests.slice(since).filter((r) => r.method !== "GET");

describe("sgtm bootstrap: first deploy in one command", () => {
  it("adds the container config from GTM, sets the tagging server URL, adds the token; a re-run changes nothing", async () => {
    serverContainer();
    const store = new MemoryStore();
    const vars = { [TOKEN_VARIABLE]: `${TOKEN}\n` };

    const first = await bootstrap({ store, vars });
    expect(first).toEqual({
      stdout: [
        "container config: added a version of sgtm-shop-staging-container-config from the Tag Manager API",
        `taggingServerUrls: set to ${TAGGING_URL}`,
        `token: added a version of sgtm-shop-staging-tiktok-token from $${TOKEN_VARIABLE}`,
        "",
      ].join("\n"),
      stderr: "",
      exitCode: 0,
    });
    expect(store.added).toEqual([
      { secret: CONTAINER_SECRET, data: gtmContainerConfig() },
      { secret: TOKEN_SECRET, data: TOKEN },
    ]);
    expect(fake.state.getContainer(CONTAINER_PATH).taggingServerUrls).toEqual([TAGGING_URL]);
    expect(gtmWrites().map((r) => `${r.method} ${r.path}`)).toEqual([`PUT ${CONTAINER_PATH}`]);

    const since = fake.requests.length;
    const second = await bootstrap({ store, vars });
    expect(second).toEqual({
      stdout: [
        "container config: unchanged (sgtm-shop-staging-container-config already holds the value from the Tag Manager API)",
        `taggingServerUrls: unchanged (${TAGGING_URL} is listed)`,
        `token: unchanged (sgtm-shop-staging-tiktok-token already has a version; $${TOKEN_VARIABLE} is not used)`,
        "",
      ].join("\n"),
      stderr: expect.stringContaining("bootstrap only adds the first token"),
      exitCode: 0,
    });
    expect(store.added).toHaveLength(2);
    expect(gtmWrites(since)).toEqual([]);
  });

  it("adds a new version when the container config in GTM changed, and only then", async () => {
    serverContainer();
    const store = new MemoryStore();
    await bootstrap({ store });
    const before = gtmContainerConfig();
    fake.state.regenerateContainerConfig(CONTAINER_PATH);
    const run = await bootstrap({ store });
    expect(run.stdout).toContain(
      "container config: added a version of sgtm-shop-staging-container-config from the Tag Manager API\n",
    );
    expect(gtmContainerConfig()).not.toBe(before);
    expect(store.added.map((a) => a.data)).toEqual([before, gtmContainerConfig()]);
  });

  it("adds a version when the latest one is disabled, even with the same value", async () => {
    serverContainer();
    const store = new MemoryStore().seed(CONTAINER_SECRET, gtmContainerConfig(), false);
    expect((await bootstrap({ store })).stdout).toContain("container config: added a version");
    expect(store.added).toEqual([{ secret: CONTAINER_SECRET, data: gtmContainerConfig() }]);
  });

  it("compares without surrounding whitespace: a version added with echo counts as the same value", async () => {
    serverContainer();
    const store = new MemoryStore().seed(CONTAINER_SECRET, `${gtmContainerConfig()}\n`);
    expect((await bootstrap({ store })).stdout).toContain("container config: unchanged");
    expect(store.added).toEqual([]);
  });
});

describe("sgtm bootstrap: the container config", () => {
  it("refuses a container that is not a server container, naming gtm.containerId, before any write or snippet", async () => {
    serverContainer({ usageContext: ["web"] });
    const store = new MemoryStore();
    const run = await bootstrap({ store, vars: { [TOKEN_VARIABLE]: TOKEN } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      `gtm.containerId 123456 (${PUBLIC_ID}, "Server container 123456") is a web container, not a server container`,
    );
    expect(run.stderr).toMatch(/Set gtm.containerId in \S+client.yaml, \S+staging.yaml to the id of/);
    expect(store.added).toEqual([]);
    expect(fake.requests.filter((r) => r.path.endsWith(":snippet"))).toEqual([]);
    expect(gtmWrites()).toEqual([]);
  });

  it("stops when Tag Manager has no such container, naming the ids to check", async () => {
    const run = await bootstrap();
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`Tag Manager has no container ${CONTAINER_PATH} for this identity`);
    expect(run.stderr).toContain("gtm.containerId (123456)");
  });

  it("takes SGTM_CONTAINER_CONFIG_<STACK> over GTM, without asking for the snippet; a re-run changes nothing", async () => {
    serverContainer();
    const store = new MemoryStore();
    const vars = { [CONFIG_VARIABLE]: `${PASTED_CONFIG}\n` };
    const first = await bootstrap({ store, vars });
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain(
      `container config: added a version of sgtm-shop-staging-container-config from $${CONFIG_VARIABLE}\n`,
    );
    expect((await bootstrap({ store, vars })).stdout).toContain(
      `container config: unchanged (sgtm-shop-staging-container-config already holds the value from $${CONFIG_VARIABLE})\n`,
    );
    expect(store.added).toEqual([{ secret: CONTAINER_SECRET, data: PASTED_CONFIG }]);
    expect(fake.requests.filter((r) => r.path.endsWith(":snippet"))).toEqual([]);
  });

  it("refuses SGTM_CONTAINER_CONFIG_<STACK> holding another container's config", async () => {
    serverContainer();
    const store = new MemoryStore();
    const other = containerConfigOf("GTM-OTHER9", "SENTINELother42");
    const run = await bootstrap({ store, vars: { [CONFIG_VARIABLE]: other } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      `${CONFIG_VARIABLE} is the container config of GTM-OTHER9, but gtm.containerId is ${PUBLIC_ID}`,
    );
    expect(store.added).toEqual([]);
  });

  it("refuses the generic SGTM_CONTAINER_CONFIG before connecting to anything, even when a version exists", async () => {
    serverContainer();
    const store = new MemoryStore().seed(CONTAINER_SECRET, PASTED_CONFIG);
    const run = await bootstrap({ store, vars: { SGTM_CONTAINER_CONFIG: PASTED_CONFIG } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      `SGTM_CONTAINER_CONFIG is set, but bootstrap reads ${CONFIG_VARIABLE} for ${STACK}`,
    );
    expect(run.stderr).toContain(`read -rs ${CONFIG_VARIABLE} && export ${CONFIG_VARIABLE}`);
    expect([store.added, run.stdout, fake.requests]).toEqual([[], "", []]);
  });

  it("refuses a value that is not a container config, without echoing it", async () => {
    serverContainer();
    const store = new MemoryStore();
    const run = await bootstrap({ store, vars: { [CONFIG_VARIABLE]: "SENTINEL-not-a-container-config" } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`${CONFIG_VARIABLE} is not a container config`);
    expect(store.added).toEqual([]);
  });

  describe.each([
    [
      "a token without the Tag Manager scopes (403)",
      () => fake.faults.push({ match: matching("GET", CONTAINER_PATH), kind: "403-scopes" }),
      undefined,
      `GET ${CONTAINER_PATH}: 403 Request had insufficient authentication scopes.`,
    ],
    [
      "no credentials for Tag Manager",
      () => undefined,
      async () => {
        throw new Error("Could not load the default credentials. Browse to https://example.invalid");
      },
      "Could not load the default credentials.",
    ],
  ])("when the Tag Manager API cannot be used: %s", (_what, inject, gtm, problem) => {
    it("keeps an existing version, with a note that says why and how to log in", async () => {
      serverContainer();
      inject();
      const store = new MemoryStore().seed(CONTAINER_SECRET, PASTED_CONFIG).seed(TOKEN_SECRET, TOKEN);
      const run = await bootstrap({ store, gtm });
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toBe(
        [
          "container config: kept the existing version of sgtm-shop-staging-container-config (not read from GTM)",
          `taggingServerUrls: not checked (add ${TAGGING_URL} in Tag Manager > Admin > Container Settings > Server container URLs)`,
          "token: unchanged (sgtm-shop-staging-tiktok-token already has a version)",
          "",
        ].join("\n"),
      );
      expect(run.stderr).toContain(`note: the Tag Manager API could not be used (${problem}`);
      expect(run.stderr).toContain(TAG_MANAGER_LOGIN_COMMAND);
      expect(store.added).toEqual([]);
    });

    it("fails with the exact steps when the secret has no version", async () => {
      serverContainer();
      inject();
      const store = new MemoryStore();
      const run = await bootstrap({ store, gtm });
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain(
        `the container-config secret sgtm-shop-staging-container-config (project shop-sgtm-staging) has no version, ${CONFIG_VARIABLE} is not set, and the Tag Manager API could not be used (${problem}`,
      );
      expect(run.stderr).toContain(`  ${TAG_MANAGER_LOGIN_COMMAND}\n`);
      expect(run.stderr).toContain("Admin > Container Settings");
      expect(run.stderr).toContain(`read -rs ${CONFIG_VARIABLE} && export ${CONFIG_VARIABLE}`);
      expect(run.stderr).toContain(
        `printf %s "$${CONFIG_VARIABLE}" | gcloud secrets versions add sgtm-shop-staging-container-config --project shop-sgtm-staging --data-file=-`,
      );
      expect(store.added).toEqual([]);
    });
  });

  it("explains Secret Manager refusals (a missing secret, refused credentials)", async () => {
    serverContainer();
    const missing = new MemoryStore();
    missing.versions.delete(CONTAINER_SECRET);
    const run = await bootstrap({ store: missing });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`Secret Manager refused ${CONTAINER_SECRET}: the secret does not exist`);

    const expired = new MemoryStore();
    expired.latestData = async () => {
      throw Object.assign(new Error("16 UNAUTHENTICATED: Getting metadata from plugin failed"), { code: 16 });
    };
    const refused = await bootstrap({ store: expired });
    expect(refused.stderr).toContain("the credentials were refused");
    expect(refused.stderr).toContain(TAG_MANAGER_LOGIN_COMMAND);
  });

  it("names the known environments when the name is wrong", async () => {
    const run = await sgtm(["bootstrap", "--env", "shop-nope"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("no environment shop-nope (known: shop-staging)");
  });
});

describe("sgtm bootstrap: the tagging server URL", () => {
  it("still sets it when only the snippet was refused (the container config falls back to the existing version)", async () => {
    serverContainer();
    fake.faults.push({ match: matching("GET", `${CONTAINER_PATH}:snippet`), kind: "403-scopes" });
    const store = new MemoryStore().seed(CONTAINER_SECRET, PASTED_CONFIG);
    const run = await bootstrap({ store });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      "container config: kept the existing version of sgtm-shop-staging-container-config (not read from GTM)\n",
    );
    expect(run.stdout).toContain(`taggingServerUrls: set to ${TAGGING_URL}\n`);
    expect(run.stderr).toContain(`the Tag Manager API could not be used (GET ${CONTAINER_PATH}:snippet: 403`);
    expect(store.added).toEqual([]);
  });

  it("puts the environment's URL first and keeps the others", async () => {
    serverContainer({ taggingServerUrls: ["https://sgtm.other-shop.example"] });
    const run = await bootstrap();
    expect(run.stdout).toContain(
      `taggingServerUrls: set to ${TAGGING_URL} (kept https://sgtm.other-shop.example)\n`,
    );
    expect(fake.state.getContainer(CONTAINER_PATH).taggingServerUrls).toEqual([
      TAGGING_URL,
      "https://sgtm.other-shop.example",
    ]);
  });

  it("leaves a list that has the URL alone, in any position, case or trailing slash", async () => {
    serverContainer({ taggingServerUrls: ["https://sgtm.other-shop.example", "https://SGTM.shop.com/"] });
    const run = await bootstrap();
    expect(run.stdout).toContain(`taggingServerUrls: unchanged (${TAGGING_URL} is listed)\n`);
    expect(fake.requests.filter(matching("PUT", CONTAINER_PATH))).toEqual([]);
  });

  it("reads the container again when someone changed it in between (stale fingerprint), keeping their change", async () => {
    serverContainer();
    const racing = async (e: EnvironmentConfig, vars: NodeJS.ProcessEnv): Promise<GtmApi> => {
      const api = await connectForEnvironment(e, vars);
      let raced = false;
      return {
        ...api,
        updateContainer: async (path, body, fingerprint) => {
          if (!raced) {
            raced = true;
            const current = fake.state.getContainer(path);
            fake.state.updateContainer(
              path,
              { ...current, notes: "edited in the UI" },
              String(current.fingerprint),
            );
          }
          return api.updateContainer(path, body, fingerprint);
        },
      };
    };
    const run = await bootstrap({ gtm: racing });
    expect(run.stdout).toContain(`taggingServerUrls: set to ${TAGGING_URL}\n`);
    expect(fake.state.getContainer(CONTAINER_PATH)).toMatchObject({
      notes: "edited in the UI",
      taggingServerUrls: [TAGGING_URL],
    });
    expect(fake.requests.filter(matching("PUT", CONTAINER_PATH))).toHaveLength(2);
  });

  it("reports a refused update as a note with what to do by hand, and goes on", async () => {
    serverContainer({ taggingServerUrls: ["https://shop.com/metrics"] });
    const run = await bootstrap({ vars: { [TOKEN_VARIABLE]: TOKEN } });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("taggingServerUrls: not set (Tag Manager refused the update)\n");
    expect(run.stderr).toContain("all URL paths must match");
    expect(run.stderr).toContain(
      `To finish by hand: add ${TAGGING_URL} in Tag Manager > Admin > Container Settings > Server container URLs.`,
    );
    expect(run.stdout).toContain("token: added a version");
  });
});

describe("sgtm bootstrap: the TikTok access token", () => {
  it("without the token or its variable: the exact commands on stderr, the deploy goes on (exit 0)", async () => {
    serverContainer();
    const store = new MemoryStore();
    // The generic variable is never read for this: it may hold another client's token.
    const run = await bootstrap({ store, vars: { SGTM_TIKTOK_ACCESS_TOKEN: "SENTINEL-generic-token" } });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      `token: not added (sgtm-shop-staging-tiktok-token has no version and $${TOKEN_VARIABLE} is not set)\n`,
    );
    expect(run.stderr).toContain(
      `read -rs ${TOKEN_VARIABLE} && printf %s "$${TOKEN_VARIABLE}" | gcloud secrets versions add sgtm-shop-staging-tiktok-token --project shop-sgtm-staging --data-file=-`,
    );
    expect(run.stderr).toContain(
      `read -rs ${TOKEN_VARIABLE} && export ${TOKEN_VARIABLE} && npx sgtm bootstrap --env ${STACK}`,
    );
    expect(run.stderr).toContain("$SGTM_TIKTOK_ACCESS_TOKEN is set but not used here");
    expect(store.added.map((a) => a.secret)).toEqual([CONTAINER_SECRET]);
  });

  it("stores the token alone: surrounding whitespace and a Bearer prefix are not part of it", async () => {
    serverContainer();
    const store = new MemoryStore();
    const run = await bootstrap({ store, vars: { [TOKEN_VARIABLE]: `Bearer ${TOKEN}\n` } });
    expect(run.exitCode).toBe(0);
    const stored = store.added.find((a) => a.secret === TOKEN_SECRET);
    expect(stored?.data).toBe(TOKEN);
  });

  it("refuses a token with a line break inside before any step runs, naming the variable", async () => {
    serverContainer();
    const store = new MemoryStore();
    const since = fake.requests.length;
    const run = await bootstrap({ store, vars: { [TOKEN_VARIABLE]: `${TOKEN}\n${TOKEN}` } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      `error: $${TOKEN_VARIABLE} holds a line break, a space or another control character inside the token (the value is not shown)`,
    );
    expect(store.added).toEqual([]);
    expect(gtmWrites(since)).toEqual([]);
  });

  it("leaves a token secret that has a version alone, even when the variable is set", async () => {
    serverContainer();
    const store = new MemoryStore().seed(TOKEN_SECRET, "SENTINEL-earlier-token");
    const run = await bootstrap({ store, vars: { [TOKEN_VARIABLE]: TOKEN } });
    expect(run.stdout).toContain(
      `token: unchanged (sgtm-shop-staging-tiktok-token already has a version; $${TOKEN_VARIABLE} is not used)\n`,
    );
    expect(run.stderr).toContain(
      `To replace it: printf %s "$${TOKEN_VARIABLE}" | gcloud secrets versions add sgtm-shop-staging-tiktok-token`,
    );
    expect(store.added.map((a) => a.secret)).toEqual([CONTAINER_SECRET]);
  });
});

describe("sgtm secrets", () => {
  it("prints the first deploy (log in, export the token, deploy) and the manual commands, with the environment's variables", async () => {
    const run = await sgtm(["secrets", "--env", STACK]);
    expect(run.stdout).toBe(secretInstructions(env));
    const lines = run.stdout.split("\n");
    const login = lines.indexOf(TAG_MANAGER_LOGIN_COMMAND);
    const token = lines.indexOf(`read -rs ${TOKEN_VARIABLE} && export ${TOKEN_VARIABLE}`);
    const deploy = lines.indexOf(`npx cdktf deploy ${STACK}`);
    expect([login >= 0, login < token, token < deploy]).toEqual([true, true, true]);
    expect(lines).toContain(`read -rs ${CONFIG_VARIABLE} && export ${CONFIG_VARIABLE}`);
    expect(lines).toContain(`npx sgtm bootstrap --env ${STACK}`);
    expect(lines).toContain(
      `printf %s "$${CONFIG_VARIABLE}" | gcloud secrets versions add sgtm-shop-staging-container-config --project shop-sgtm-staging --data-file=-`,
    );
    expect(lines).toContain(
      `printf %s "$${TOKEN_VARIABLE}" | gcloud secrets versions add sgtm-shop-staging-tiktok-token --project shop-sgtm-staging --data-file=-`,
    );
    // Never a generic variable, and no value on a command line (only `read` assigns them).
    expect(run.stdout).not.toMatch(/SGTM_CONTAINER_CONFIG(?!_SHOP_STAGING)/);
    expect(run.stdout).not.toMatch(/SGTM_TIKTOK_ACCESS_TOKEN(?!_SHOP_STAGING)/);
    expect(run.stdout).not.toMatch(/\b[A-Z_]+=/);
  });

  it("matches the deploy guide's first deploy: log in with the scopes, export the token, deploy", () => {
    const guide = readFileSync("docs/deploy.md", "utf8");
    const deploy = guide.slice(guide.indexOf("## The first deploy"), guide.indexOf("## Monitoring"));
    const steps = [
      TAG_MANAGER_LOGIN_COMMAND,
      "read -rs SGTM_TIKTOK_ACCESS_TOKEN_ACME_PRODUCTION && export SGTM_TIKTOK_ACCESS_TOKEN_ACME_PRODUCTION",
      "npx cdktf deploy acme-production",
    ].map((line) => deploy.indexOf(`\n${line}\n`));
    expect(steps.every((at, i) => at > 0 && (i === 0 || at > steps[i - 1]))).toBe(true);
  });
});
