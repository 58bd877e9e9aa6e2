/** What an API failure tells the person running the kit: each names the cause and the next step. */
import { UserError } from "../../src/errors/report";
import { TAG_MANAGER_LOGIN_COMMAND as LOGIN_COMMAND, TAG_MANAGER_SCOPES } from "../../src/gtm/client/connect";
import { explainGtmFailure, type GtmFailureContext } from "../../src/gtm/client/explain";
import { GtmApiError } from "../../src/gtm/core/api";
import { loadEnv, PRODUCTION_ENV } from "./fixtures";

const env = loadEnv(PRODUCTION_ENV);
const container = `accounts/${env.gtm.accountId}/containers/${env.gtm.containerId}`;
const apply: GtmFailureContext = { env, action: "apply", publish: true };

function explained(error: unknown, ctx: GtmFailureContext = apply): string {
  const result = explainGtmFailure(error, ctx);
  if (!(result instanceof UserError)) throw new Error(`not explained: ${String(result)}`);
  return result.message;
}

const apiError = (status: number | undefined, message: string, reasons: string[] = [], path = container) =>
  new GtmApiError(
    `GET ${path}/workspaces: ${status ?? "no response"} ${message}`,
    status,
    reasons,
    "GET",
    path,
  );

describe("explaining Tag Manager API failures", () => {
  test("missing credentials print the login command with every Tag Manager scope", () => {
    const text = explained(new Error("Could not load the default credentials. Browse to https://..."));
    expect(text).toContain(LOGIN_COMMAND);
    for (const scope of TAG_MANAGER_SCOPES) expect(LOGIN_COMMAND).toContain(scope);
    expect(LOGIN_COMMAND).toContain("auth/cloud-platform");
  });

  test("a container the API does not know names gtm.containerId, the numeric id and the files", () => {
    const text = explained(apiError(404, "Not found: container."));
    expect(text).toContain(`gtm.containerId ("${env.gtm.containerId}")`);
    expect(text).toContain("numeric id from the GTM URL (.../containers/<id>)");
    expect(text).toContain(env.sourceFiles[env.sourceFiles.length - 1]);
  });

  test("403 names the GTM permission the run needs: Read to plan, Publish to apply and publish", () => {
    const denied = apiError(403, "The caller does not have permission", ["forbidden"]);
    expect(explained(denied, { env, action: "plan" })).toMatch(/needs Read permission on the container/);
    expect(explained(denied)).toMatch(/needs Publish permission on the container in GTM's user management/);
    expect(explained(denied, { env, action: "apply", publish: false })).toContain("Approve permission");
    expect(explained(denied)).toContain("gtm.containerId");
  });

  test("a disabled API, missing scopes and refused credentials each say what to run", () => {
    expect(
      explained(apiError(403, "Tag Manager API has not been used in project 1 before or it is disabled")),
    ).toContain(`gcloud services enable tagmanager.googleapis.com --project ${env.gcp.project}`);
    expect(explained(apiError(403, "Request had insufficient authentication scopes."))).toContain(
      LOGIN_COMMAND,
    );
    expect(explained(apiError(401, "Request had invalid authentication credentials."))).toContain(
      LOGIN_COMMAND,
    );
  });

  test("an unreachable Google API says what was tried and that the network is down", () => {
    const refused = apiError(undefined, "fetch failed: connect ECONNREFUSED 142.250.1.1:443 (ECONNREFUSED)");
    expect(explained(refused)).toBe(
      `cannot reach Google's Tag Manager API (https://tagmanager.googleapis.com/): connection refused (ECONNREFUSED) for GET ${container}, retried. The network is down or does not let this machine reach Google's APIs: check the connection (the kit's client does not use HTTPS_PROXY), then run again.`,
    );
    expect(explained(apiError(undefined, "fetch failed: getaddrinfo ENOTFOUND x (ENOTFOUND)"))).toContain(
      "the host name does not resolve (ENOTFOUND)",
    );
  });

  test("an unreachable loopback root says to start the fake or unset the variable", () => {
    const local = { ...apply, rootUrl: "http://127.0.0.1:9/" };
    expect(explained(apiError(undefined, "fetch failed: connect ECONNREFUSED (ECONNREFUSED)"), local)).toBe(
      `nothing answers at SGTM_GTM_ROOT_URL (http://127.0.0.1:9/): connection refused (ECONNREFUSED) for GET ${container}, retried. Start it with \`npx sgtm fake\` (in another shell), or unset SGTM_GTM_ROOT_URL to use Google's API.`,
    );
    const remote = { ...apply, rootUrl: "http://10.0.0.5:8080/" };
    expect(explained(apiError(undefined, "fetch failed"), remote)).toContain(
      "cannot reach the server SGTM_GTM_ROOT_URL names (http://10.0.0.5:8080/): no response",
    );
  });

  test("a quota still exhausted after every retry names the shared project quota", () => {
    expect(explained(apiError(429, "Quota exceeded", ["rateLimitExceeded"]))).toContain(
      `quota of project ${env.gcp.project}`,
    );
  });

  test("anything else passes unchanged (reported as unexpected, exit 1)", () => {
    const other = apiError(400, "Invalid value");
    expect(explainGtmFailure(other, apply)).toBe(other);
    const bug = new TypeError("x is undefined");
    expect(explainGtmFailure(bug, apply)).toBe(bug);
  });
});
