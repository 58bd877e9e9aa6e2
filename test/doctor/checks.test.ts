/**
 * Each check of `sgtm doctor`, passing and failing, through the real adapters against local stand-ins
 * (stand-ins.ts): DNS over UDP, HTTPS with a self-signed certificate, Google's REST APIs, the fake Tag
 * Manager API and TikTok's Events API, all on 127.0.0.1. No result may contain the token.
 */
import { authorizedGet, googleCloudReaders } from "../../src/doctor/google-cloud";
import { nodeHttps } from "../../src/doctor/net";
import { CHECKS, runDoctor } from "../../src/doctor/run";
import { tiktokEventsApi } from "../../src/doctor/tiktok-api";
import type { CheckResult, DoctorDeps, DoctorOptions } from "../../src/doctor/types";
import { SecretValue, stackTokenVariable, tokenOverride } from "../../src/gtm/client/access-token";
import type { ContainerVersion } from "../../src/gtm/core/api";
import { ACCESS_TOKEN_VARIABLE } from "../../src/gtm/model/names";
import {
  certificateManagerCertificateNames,
  httpsProxyName,
  loadBalancerAddressName,
  managedCertificateName,
  runtimeServiceAccountEmail,
} from "../../src/naming/stack-resources";
import {
  closedPort,
  EVENT_ID,
  LB_IP,
  NOW_MS,
  OTHER_IP,
  stagingEnvironment,
  TOKEN,
  tiktokCode,
  useWorld,
  type World,
} from "./stand-ins";

const ROTATED_TOKEN = "SENTINEL-TOKEN-doctor-rotated-77ab";

const env = stagingEnvironment();
const running = useWorld(env);
let world: World;
beforeEach(() => {
  world = running();
});

/** Runs the one check named `name`; no token may show in its result. */
async function check(
  name: string,
  options: Partial<DoctorOptions> = {},
  deps: Partial<DoctorDeps> = {},
): Promise<CheckResult> {
  const chosen = CHECKS.filter((c) => c.name === name);
  expect(chosen).toHaveLength(1);
  const [result] = await runDoctor({ env, ...options }, world.deps(deps), chosen);
  expect(JSON.stringify(result)).not.toContain(TOKEN);
  expect(JSON.stringify(result)).not.toContain(ROTATED_TOKEN);
  return result;
}

/** Google calls with no login at all, as google-auth-library reports it. */
function withoutCredentials(): Pick<DoctorDeps, "cloud" | "secrets"> {
  return googleCloudReaders(
    authorizedGet(async () => {
      throw new Error(
        "Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication",
      );
    }),
    world.googleRoots,
  );
}

const tagging = () => env.domain.tagging;

describe("dns-tagging and dns-preview", () => {
  it("pass when the host resolves to the load balancer address only", async () => {
    for (const name of ["dns-tagging", "dns-preview"]) {
      const result = await check(name);
      expect(result).toMatchObject({ status: "pass", fix: "" });
      expect(result.detail).toContain(LB_IP);
    }
  });

  it("fail when the host points elsewhere, with the record to set", async () => {
    world.dnsRecords.set(env.domain.preview, [OTHER_IP]);
    const result = await check("dns-preview");
    expect(result.status).toBe("fail");
    expect(result.detail).toBe(
      `${env.domain.preview} -> ${OTHER_IP}, not the load balancer address ${LB_IP}`,
    );
    expect(result.fix).toContain(`${env.domain.preview}. 300 IN A ${LB_IP}`);
  });

  it("fail when the host also points elsewhere", async () => {
    world.dnsRecords.set(tagging(), [LB_IP, OTHER_IP]);
    const result = await check("dns-tagging");
    expect(result.status).toBe("fail");
    expect(result.fix).toContain(`remove the A records other than ${LB_IP}`);
  });

  it("fail when the host does not resolve", async () => {
    world.dnsRecords.delete(tagging());
    const result = await check("dns-tagging");
    expect(result).toMatchObject({ status: "fail", detail: `${tagging()} has no A record (ENOTFOUND)` });
    expect(result.fix).toContain(`${tagging()}. 300 IN A ${LB_IP}`);
  });

  it("say the stack writes the record when it has a Cloud DNS zone", async () => {
    world.dnsRecords.set(tagging(), [OTHER_IP]);
    const zoned = {
      ...env,
      domain: { ...env.domain, dnsZone: { name: "acme-shop-com", project: "acme-dns" } },
    };
    const result = await check("dns-tagging", { env: zoned });
    expect(result.fix).toContain(
      "Cloud DNS zone acme-shop-com (project acme-dns): run npx cdktf deploy acme-staging",
    );
  });

  it("fail with the login to use when the load balancer address cannot be read", async () => {
    const result = await check("dns-tagging", {}, withoutCredentials());
    expect(result.status).toBe("fail");
    expect(result.detail).toContain(`${tagging()} -> ${LB_IP}; the load balancer address`);
    expect(result.detail).toContain("no usable Google credentials (Could not load the default credentials");
    expect(result.fix).toContain("gcloud auth application-default login");
  });

  it("fail with the deploy when the load balancer address does not exist", async () => {
    world.google.addresses.clear();
    const result = await check("dns-tagging");
    expect(result.detail).toContain(
      `the load balancer address ${loadBalancerAddressName(env.stackName)} does not exist`,
    );
    expect(result.fix).toBe("deploy the stack: npx cdktf deploy acme-staging");
  });
});

describe("certificate", () => {
  const managed = () => managedCertificateName(env.stackName, env.domain);

  it("passes when the managed certificate is ACTIVE", async () => {
    const result = await check("certificate");
    expect(result.status).toBe("pass");
    expect(result.detail).toContain(`managed SSL certificate ${managed()} is ACTIVE`);
  });

  it("fails while PROVISIONING: it waits for DNS", async () => {
    world.google.sslCertificates.set(managed(), {
      managed: { status: "PROVISIONING", domainStatus: { [tagging()]: "FAILED_NOT_VISIBLE" } },
    });
    const result = await check("certificate");
    expect(result.status).toBe("fail");
    expect(result.detail).toContain(`is PROVISIONING (${tagging()}: FAILED_NOT_VISIBLE)`);
    expect(result.fix).toMatch(/^it waits for DNS/);
  });

  it.each([
    "PROVISIONING_FAILED_PERMANENTLY",
    "RENEWAL_FAILED",
  ])("fails %s with the replacement steps", async (state) => {
    world.google.sslCertificates.set(managed(), { managed: { status: state } });
    const result = await check("certificate");
    expect(result.status).toBe("fail");
    expect(result.fix).toMatch(/^Google never retries it.*then replace it in two deploys/);
    // Prepared beside the serving certificate, served once ACTIVE: never attached while provisioning.
    const next = env.domain.certificateRevision.tagging + 1;
    expect(result.fix).toContain(`set domain.nextCertificateRevision: ${next} in`);
    expect(result.fix).toContain(`set domain.certificateRevision: ${next}, remove nextCertificateRevision`);
    expect(result.fix).toContain("npx cdktf deploy acme-staging");
  });

  it("fails PROVISIONING_FAILED with what to correct, Google retrying", async () => {
    world.google.sslCertificates.set(managed(), { managed: { status: "PROVISIONING_FAILED" } });
    const result = await check("certificate");
    expect(result.status).toBe("fail");
    expect(result.fix).toContain("no CAA record forbids");
  });

  it("fails with the deploy when the certificate named after the domains does not exist", async () => {
    world.google.sslCertificates.clear();
    const result = await check("certificate");
    expect(result.detail).toBe(
      `managed SSL certificate ${managed()} does not exist in project acme-sgtm-staging`,
    );
    expect(result.fix).toContain("npx cdktf deploy acme-staging");
  });

  it("reads Certificate Manager in that mode: ACTIVE passes, PROVISIONING waits for the authorization", async () => {
    const certificateManager = {
      ...env,
      domain: { ...env.domain, certificates: "certificate-manager" as const },
    };
    expect((await check("certificate", { env: certificateManager })).status).toBe("pass");
    world.google.managerCertificates.set(
      certificateManagerCertificateNames(env.stackName, env.domain).preview,
      {
        managed: {
          state: "PROVISIONING",
          authorizationAttemptInfo: [{ domain: tagging(), state: "AUTHORIZING" }],
        },
      },
    );
    const result = await check("certificate", { env: certificateManager });
    expect(result.status).toBe("fail");
    expect(result.detail).toContain(`Certificate Manager certificate`);
    expect(result.fix).toContain("_acme-challenge");
  });

  it("replaces a failed Certificate Manager certificate for its host only, the other host's revision kept", async () => {
    const certificateManager = {
      ...env,
      domain: {
        ...env.domain,
        certificates: "certificate-manager" as const,
        certificateRevision: { tagging: 2, preview: 0 },
      },
    };
    const names = certificateManagerCertificateNames(env.stackName, env.domain, { tagging: 2, preview: 0 });
    world.google.managerCertificates.set(names.tagging, { managed: { state: "ACTIVE" } });
    world.google.managerCertificates.set(names.preview, { managed: { state: "FAILED" } });
    const result = await check("certificate", { env: certificateManager });
    expect(result.status).toBe("fail");
    expect(result.fix).toContain("set domain.nextCertificateRevision: { preview: 1 } in");
    expect(result.fix).toContain("set domain.certificateRevision: { tagging: 2, preview: 1 }");
  });

  it("fails with the role to grant when the read is denied", async () => {
    world.google.failAll = 403;
    const result = await check("certificate");
    expect(result.detail).toContain("permission denied");
    expect(result.fix).toContain("roles/compute.viewer on project acme-sgtm-staging");
  });
});

describe("https-healthy", () => {
  it("passes when /healthy answers ok over a valid certificate", async () => {
    expect(await check("https-healthy")).toMatchObject({
      status: "pass",
      detail: `https://${tagging()}/healthy answered ok`,
    });
  });

  it("fails a 502 with where to look on Cloud Run", async () => {
    world.lb.healthy = { status: 502, body: "Bad Gateway" };
    const result = await check("https-healthy");
    expect(result.status).toBe("fail");
    expect(result.detail).toContain("HTTP 502: the load balancer cannot reach the tagging server");
    expect(result.fix).toContain("sgtm-acme-staging-tagging");
  });

  it("fails a certificate the client cannot trust, pointing at the certificate check", async () => {
    world.lb.serveCertificate("wrong");
    const result = await check("https-healthy");
    expect(result.status).toBe("fail");
    expect(result.detail).toContain(`no valid TLS certificate for ${tagging()}`);
    expect(result.fix).toContain("see the certificate check");
  });

  it("fails when nothing listens", async () => {
    const port = await closedPort();
    const https = nodeHttps({ route: () => ({ address: "127.0.0.1", port }) });
    const result = await check("https-healthy", {}, { https });
    expect(result.detail).toContain("nothing accepts HTTPS there (ECONNREFUSED");
  });
});

describe("https-unknown-host", () => {
  it("passes when an unknown host and the bare address get an answer of their own", async () => {
    const result = await check("https-unknown-host");
    expect(result.status).toBe("pass");
    expect(result.detail).toContain(`the bare address https://${LB_IP} answered HTTP 404`);
  });

  it("fails when they reach the tagging server (the URL map's default)", async () => {
    world.lb.unknownHosts = "tagging-server";
    const result = await check("https-unknown-host");
    expect(result.status).toBe("fail");
    expect(result.detail).toBe(
      `Host: sgtm-doctor-unknown-host.invalid and the bare address https://${LB_IP} reached the tagging server (/healthy answered ok)`,
    );
    expect(result.fix).toContain(`the HTTPS URL map ${httpsProxyName(env.stackName)}`);
  });

  it("skips when the load balancer cannot be reached at all", async () => {
    const port = await closedPort();
    const https = nodeHttps({ route: () => ({ address: "127.0.0.1", port }) });
    const result = await check("https-unknown-host", {}, { https });
    expect(result.status).toBe("skip");
    expect(result.fix).toContain("https-healthy");
  });
});

describe("secret-container-config and secret-tiktok-token", () => {
  it("pass when the secret has an enabled version", async () => {
    expect((await check("secret-container-config")).status).toBe("pass");
    expect((await check("secret-tiktok-token")).status).toBe("pass");
  });

  it("fail a secret without versions with the commands that add one", async () => {
    world.google.secrets.set(env.secrets.containerConfig, { versions: 0, accessors: [] });
    const result = await check("secret-container-config");
    expect(result).toMatchObject({
      status: "fail",
      detail: `secret ${env.secrets.containerConfig} (container config) has no enabled version`,
    });
    expect(result.fix).toContain(
      `read -rs SGTM_CONTAINER_CONFIG_ACME_STAGING && printf %s "$SGTM_CONTAINER_CONFIG_ACME_STAGING" | gcloud secrets versions add ${env.secrets.containerConfig} --project acme-sgtm-staging --data-file=-`,
    );
  });

  it("fail a secret that does not exist with the deploy", async () => {
    world.google.secrets.delete(env.secrets.tiktokAccessToken);
    const result = await check("secret-tiktok-token");
    expect(result.detail).toBe(
      `secret ${env.secrets.tiktokAccessToken} does not exist in project acme-sgtm-staging`,
    );
    expect(result.fix).toContain("npx cdktf deploy acme-staging");
  });

  it("fail with the login when there are no credentials", async () => {
    const result = await check("secret-tiktok-token", {}, withoutCredentials());
    expect(result.status).toBe("fail");
    expect(result.fix).toContain("gcloud auth application-default login");
  });
});

describe("runtime-account-access", () => {
  const member = () => `serviceAccount:${runtimeServiceAccountEmail(env.stackName, env.gcp.project)}`;

  it("passes when the runtime account has secretAccessor on the container config", async () => {
    const result = await check("runtime-account-access");
    expect(result.status).toBe("pass");
    expect(result.detail).toContain(member());
  });

  it("fails without the binding, with the grant", async () => {
    world.google.secrets.set(env.secrets.containerConfig, {
      versions: 1,
      accessors: ["user:someone@acme-shop.com"],
    });
    const result = await check("runtime-account-access");
    expect(result.status).toBe("fail");
    expect(result.fix).toContain(
      `gcloud secrets add-iam-policy-binding ${env.secrets.containerConfig} --project acme-sgtm-staging --member ${member()} --role roles/secretmanager.secretAccessor`,
    );
  });
});

/** The live version as the fake has it, changed by `edit` on its way to doctor. */
function editLive(edit: (version: ContainerVersion) => ContainerVersion): void {
  world.gtm.transform = (method, path, status, body) =>
    method === "GET" && path.endsWith("/versions:live") && status === 200
      ? { status, body: edit(body as ContainerVersion) }
      : { status, body };
}

describe("gtm-container-kind", () => {
  it("passes a server container", async () => {
    expect(await check("gtm-container-kind")).toMatchObject({ status: "pass" });
  });

  it("fails a web container, naming gtm.containerId, what the container is and where to fix it", async () => {
    world.gtm.transform = (method, path, status, body) =>
      method === "GET" && /^accounts\/\d+\/containers\/\d+$/.test(path)
        ? { status, body: { ...(body as object), usageContext: ["web"] } }
        : { status, body };
    const result = await check("gtm-container-kind");
    expect(result.status).toBe("fail");
    expect(result.detail).toContain(`gtm.containerId ${env.gtm.containerId} (`);
    expect(result.detail).toContain("is a web container, not a server container");
    expect(result.fix).toContain("Set gtm.containerId in ");
  });
});

describe("gtm-live-version", () => {
  it("passes when the live version holds the kit's entities, the token compared by hash", async () => {
    const result = await check("gtm-live-version");
    expect(result.status).toBe("pass");
    expect(result.detail).toMatch(/^live version \d+ holds the kit's 8 tag\(s\)/);
    expect(result.detail).not.toContain("not compared");
  });

  it("fails when a kit tag is missing from the live version", async () => {
    editLive((version) => {
      const kitTag = (version.tag ?? []).findIndex((t) => t.name?.startsWith("TikTok Kit | "));
      expect(kitTag).toBeGreaterThanOrEqual(0);
      return { ...version, tag: (version.tag ?? []).filter((_, i) => i !== kitTag) };
    });
    const result = await check("gtm-live-version");
    expect(result.status).toBe("fail");
    expect(result.detail).toMatch(/tag "TikTok Kit \| .+" is missing or differs/);
    expect(result.fix).toContain("npx sgtm gtm apply --env acme-staging --publish");
  });

  it("fails when the token in the container is not the one in the secret, printing neither", async () => {
    world.google.secrets.set(env.secrets.tiktokAccessToken, {
      versions: 2,
      accessors: [],
      value: ROTATED_TOKEN,
    });
    const result = await check("gtm-live-version");
    expect(result.status).toBe("fail");
    expect(result.detail).toContain(`variable "${ACCESS_TOKEN_VARIABLE}" is missing or differs`);
  });

  it("fails when nothing is published", async () => {
    world.gtm.transform = (_method, path, status, body) =>
      path.endsWith("/versions:live")
        ? { status: 404, body: { error: { code: 404, message: "Not found (stand-in)." } } }
        : { status, body };
    const result = await check("gtm-live-version");
    expect(result.detail).toBe(
      `nothing is published in GTM container accounts/6012345678/containers/198765432`,
    );
  });

  it("fails with the config keys to check when the container does not exist", async () => {
    const elsewhere = { ...env, gtm: { ...env.gtm, containerId: "404404" } };
    const result = await check("gtm-live-version", { env: elsewhere });
    expect(result.status).toBe("fail");
    expect(result.fix).toContain("check gtm.accountId and gtm.containerId");
  });
});

describe("gtm-template", () => {
  const withTemplate = (reference: Record<string, unknown>) =>
    editLive((version) => ({
      ...version,
      customTemplate: (version.customTemplate ?? []).map((t) => ({
        ...t,
        galleryReference: { ...t.galleryReference, ...reference },
      })),
    }));

  it("passes when the live template is at the pinned sha", async () => {
    expect((await check("gtm-template")).status).toBe("pass");
  });

  it("fails another sha, saying the kit does not update it", async () => {
    withTemplate({ version: "0123456789abcdef0123456789abcdef01234567" });
    const result = await check("gtm-template");
    expect(result.status).toBe("fail");
    expect(result.detail).toContain("at 0123456789abcdef0123456789abcdef01234567, not the pinned 908cfa1f");
    expect(result.fix).toContain("never updates it");
  });

  it("fails a template edited in GTM", async () => {
    withTemplate({ isModified: true });
    expect((await check("gtm-template")).detail).toContain("edited in GTM (isModified)");
  });
});

describe("gtm-tagging-server-url", () => {
  it("passes when the server container URLs name the first-party host", async () => {
    expect((await check("gtm-tagging-server-url")).status).toBe("pass");
  });

  it("fails an empty list and a run.app URL, with where to set it", async () => {
    world.gtm.taggingServerUrls = [];
    const empty = await check("gtm-tagging-server-url");
    expect(empty).toMatchObject({
      status: "fail",
      detail: "container GTM-FAKE198765432 has no server container URL",
    });
    expect(empty.fix).toContain(`Server container URLs: set https://${tagging()}`);
    world.gtm.taggingServerUrls = ["https://sgtm-acme-staging-tagging-abc123-ew.a.run.app"];
    expect((await check("gtm-tagging-server-url")).detail).toContain("never sends the _ttp cookie");
  });
});

describe("tiktok-test-event", () => {
  it("passes on code 0, having sent one test event as the facts describe it", async () => {
    const result = await check("tiktok-test-event", { testEventCode: "TEST123" });
    expect(result.status).toBe("pass");
    expect(result.detail).toContain("under TEST123");
    expect(world.tiktok.requests).toHaveLength(1);
    const [request] = world.tiktok.requests;
    expect(request.path).toBe("/open_api/v1.3/event/track/");
    expect(request.headers["access-token"]).toBe(TOKEN);
    expect(request.body).toEqual({
      event_source: "web",
      event_source_id: env.tiktok.pixelId,
      test_event_code: "TEST123",
      data: [
        {
          event: "ViewContent",
          event_time: NOW_MS / 1000,
          event_id: EVENT_ID,
          page: { url: `https://${tagging()}/` },
          user: { user_agent: "sgtm-tiktok-kit doctor" },
        },
      ],
    });
  });

  it("takes the environment's test event code when none is given", async () => {
    await check("tiktok-test-event");
    expect(world.tiktok.requests[0].body.test_event_code).toBe(env.tiktok.testEventCode);
  });

  it("skips without a test event code, sending nothing", async () => {
    const production = { ...env, tiktok: { ...env.tiktok, testEventCode: undefined } };
    const result = await check("tiktok-test-event", { env: production });
    expect(result.status).toBe("skip");
    expect(result.fix).toContain("Events Manager > pixel C4A1B2C3D4E5F6G7H8I9 > Test events");
    expect(result.fix).toContain("--test-event-code <CODE>");
    expect(world.tiktok.requests).toHaveLength(0);
  });

  it("fails 40105 as the token, with how to store a new one", async () => {
    world.tiktok.answer = tiktokCode(40105, "Access token is incorrect or has been revoked.");
    const result = await check("tiktok-test-event");
    expect(result.status).toBe("fail");
    expect(result.detail).toBe(
      "TikTok refused the access token (40105: Access token is incorrect or has been revoked.)",
    );
    expect(result.fix).toContain("Generate Access Token");
    expect(result.fix).toContain(`the token came from secret ${env.secrets.tiktokAccessToken}`);
  });

  it("fails 40002 as the pixel or a field", async () => {
    world.tiktok.answer = tiktokCode(40002, "Invalid value for event_source_id");
    const result = await check("tiktok-test-event");
    expect(result.detail).toBe(
      "TikTok refused the pixel or a field (40002: Invalid value for event_source_id)",
    );
    expect(result.fix).toContain("tiktok.pixelId (C4A1B2C3D4E5F6G7H8I9)");
  });

  it("fails other codes with TikTok's message", async () => {
    world.tiktok.answer = tiktokCode(50002, "Something else");
    const result = await check("tiktok-test-event");
    expect(result.detail).toBe("TikTok answered code 50002: Something else");
    expect(result.fix).toContain("TikTok says: Something else");
  });

  it("fails an HTTP 5xx, an HTML page and a timeout, each with a fix", async () => {
    world.tiktok.answer = { status: 503, contentType: "text/html", body: "<html>Service Unavailable</html>" };
    const unavailable = await check("tiktok-test-event");
    expect(unavailable.detail).toContain("failed with HTTP 503");
    expect(unavailable.fix).toContain("run doctor again later");

    world.tiktok.answer = {
      status: 200,
      contentType: "text/html",
      body: "<html>Sign in to the Wi-Fi</html>",
    };
    const html = await check("tiktok-test-event");
    expect(html.detail).toBe("TikTok (HTTP 200) answered text/html instead of JSON");
    expect(html.fix).toContain("a proxy, a captive portal");

    world.tiktok.answer = "hang";
    const timeout = await check("tiktok-test-event");
    expect(timeout.detail).toContain("did not answer in time");
    expect(timeout.fix).toContain("run doctor again");
  });

  it("fails when TikTok cannot be reached", async () => {
    const tiktok = tiktokEventsApi({ rootUrl: `http://127.0.0.1:${await closedPort()}/` });
    const result = await check("tiktok-test-event", {}, { tiktok });
    expect(result.detail).toContain("could not be reached (127.0.0.1");
  });

  it("fails without a token, sending nothing", async () => {
    world.google.secrets.set(env.secrets.tiktokAccessToken, { versions: 0, accessors: [] });
    const result = await check("tiktok-test-event");
    expect(result.status).toBe("fail");
    expect(result.detail).toContain("no token");
    expect(world.tiktok.requests).toHaveLength(0);
  });

  it("a token given with a trailing newline is sent and known trimmed: TikTok echoing it shows nothing", async () => {
    const echoed = "SENTINEL-TOKEN-doctor-echo-0c41e9";
    const variable = stackTokenVariable(env.stackName);
    const override = tokenOverride(env.stackName, { [variable]: `${echoed}\n` });
    world.tiktok.answer = tiktokCode(40105, `Access token ${echoed} is incorrect.`);
    const result = await check("tiktok-test-event", { tokenOverride: override });
    expect(world.tiktok.requests[0].headers["access-token"]).toBe(echoed);
    expect(result.status).toBe("fail");
    expect(JSON.stringify(result)).not.toContain(echoed);
  });

  it("a token secret with a line break inside fails the check, naming the secret, sending nothing", async () => {
    world.google.secrets.set(env.secrets.tiktokAccessToken, {
      versions: 1,
      accessors: [],
      value: "SENTINEL-first-half-1a2b\nSENTINEL-second-half-3c4d",
    });
    const result = await check("tiktok-test-event");
    expect(result.status).toBe("fail");
    expect(result.detail).toContain(
      `the latest version of secret ${env.secrets.tiktokAccessToken} holds a line break, a space or another control character inside the token`,
    );
    expect(JSON.stringify(result)).not.toContain("SENTINEL-");
    expect(world.tiktok.requests).toHaveLength(0);
  });

  it("uses the override variable instead of Secret Manager, and says so when the token is refused", async () => {
    world.tiktok.answer = tiktokCode(40105, "Access token is incorrect.");
    const override = {
      token: new SecretValue(ROTATED_TOKEN),
      variable: "SGTM_TIKTOK_ACCESS_TOKEN_ACME_STAGING",
    };
    const result = await check("tiktok-test-event", { tokenOverride: override });
    expect(world.tiktok.requests[0].headers["access-token"]).toBe(ROTATED_TOKEN);
    expect(result.fix).toContain("the token came from $SGTM_TIKTOK_ACCESS_TOKEN_ACME_STAGING");
  });
});
