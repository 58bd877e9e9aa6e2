/** Where the resolver puts the rules' findings, and when it stops before running them. */
import { join, relative } from "node:path";
import { ConfigError } from "../../src/config/errors";
import { loadEnvironments } from "../../src/config/load";
import { VALID_CLIENT, VALID_ENV, writeConfig } from "./helpers";

function problems(files: Parameters<typeof writeConfig>[0]): {
  lines: string[];
  env: string;
  client: string;
} {
  const envPath = writeConfig(files);
  const env = relative(process.cwd(), envPath);
  const client = relative(process.cwd(), join(envPath, "..", "client.yaml"));
  try {
    loadEnvironments([envPath]);
  } catch (error) {
    if (error instanceof ConfigError) return { lines: error.message.split("\n"), env, client };
    throw error;
  }
  throw new Error("config was accepted");
}

describe("resolveEnvironment places rule findings", () => {
  it("reports a name problem at the top of the environment file, even below a comment", () => {
    const { lines, env } = problems({
      client: VALID_CLIENT,
      env: `# a comment\n${VALID_ENV}`,
      envName: "Eu",
    });
    expect(lines).toEqual([
      `${env}:1:1 the environment file name is not usable in resource names (got "Eu"; allowed: lowercase letters, digits and single hyphens, starting with a letter). Fix: rename the environment file`,
    ]);
  });

  it("reports missing keys with name problems, and runs no value rule until both are fixed", () => {
    const env = VALID_ENV.replace("tier: staging\n", "").replace(
      "sgtm.shop.com",
      "sgtm.shop.com\n  preview: sgtm.shop.com",
    );
    const { lines, env: file, client } = problems({ client: VALID_CLIENT, env, clientName: "Shop" });
    expect(lines).toEqual([
      `${file}:1:1 tier: required key is missing. Fix: set \`tier\` in ${file} or in ${client}`,
      `${file}:1:1 the client folder name is not usable in resource names (got "Shop"; allowed: lowercase letters, digits and single hyphens, starting with a letter). Fix: rename the client folder`,
    ]);
  });

  it("places a finding in client.yaml when the value comes from there", () => {
    const client = `${VALID_CLIENT}tagging:\n  minInstances: 5\n  maxInstances: 3\n`;
    const { lines, client: file } = problems({ client, env: VALID_ENV });
    expect(lines).toEqual([
      `${file}:9:17 tagging.minInstances: minInstances is greater than maxInstances (got min 5 > max 3; allowed: minInstances <= maxInstances). Fix: lower tagging.minInstances or raise tagging.maxInstances`,
    ]);
  });

  it("drops a finding at a value the schema rejected already", () => {
    // The schema removes the bad consent, so the consent rule would also say it is missing.
    const env = VALID_ENV.replace("tier: staging", "tier: production\ntiktok:\n  consent: always");
    const { lines, env: file } = problems({ client: VALID_CLIENT, env });
    expect(lines).toEqual([
      `${file}:3:12 tiktok.consent: value not allowed (got "always"; allowed: ad-storage-granted, ad-user-data-granted, block-if-denied, not-enforced).`,
    ]);
  });
});
