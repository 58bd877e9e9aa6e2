/**
 * Local stand-ins for everything `sgtm doctor` calls, each on 127.0.0.1: a DNS server (UDP), the load
 * balancer (HTTPS with a self-signed certificate), Google Cloud's REST APIs (Compute, Certificate
 * Manager, Secret Manager), TikTok's Events API, and the fake Tag Manager API behind a front that adds
 * what the fake does not model (the container's server container URLs). Each holds state that a test
 * changes to make a check pass or fail; `reset()` makes every check pass.
 */
import { createSocket } from "node:dgram";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, createServer as createNetServer, type Server } from "node:net";
import { loadConfigDir } from "../../src/config/load";
import type { EnvironmentConfig } from "../../src/config/model";
import { type GoogleGet, type GoogleRoots, googleCloudReaders } from "../../src/doctor/google-cloud";
import { connectGtmReads } from "../../src/doctor/gtm-reads";
import { nodeHttps, systemDns } from "../../src/doctor/net";
import { tiktokEventsApi } from "../../src/doctor/tiktok-api";
import type { DoctorDeps } from "../../src/doctor/types";
import { SecretValue } from "../../src/gtm/client/access-token";
import type { FakeTagManager } from "../../src/gtm/fake";
import {
  certificateManagerCertificateNames,
  loadBalancerAddressName,
  managedCertificateName,
  runtimeServiceAccountEmail,
} from "../../src/naming/stack-resources";
import { FIXTURE_CONFIG_DIR } from "../config/helpers";
import { seedWebContainer } from "../gtm/dedup/seed-web";
import { shopBase, type WebExport } from "../gtm/dedup/web-export";
import { applyWith, connect, seed, startFake } from "../gtm/e2e-helpers";
import { type SelfSigned, selfSignedCertificate } from "./self-signed";

/** The TikTok token: only the TikTok stand-in may ever see it. */
export const TOKEN = "SENTINEL-TOKEN-doctor-5c2e91f0";
export const LB_IP = "203.0.113.10";
export const OTHER_IP = "198.51.100.7";
/** The test event's clock and id. */
export const NOW_MS = Date.UTC(2026, 11, 1, 12, 0, 0);
export const EVENT_ID = "sgtm-doctor-test-event";

/** The check names: part of the `--json` contract, in report order. */
export const CHECK_NAMES = [
  "dns-tagging",
  "dns-preview",
  "certificate",
  "https-healthy",
  "https-unknown-host",
  "secret-container-config",
  "secret-tiktok-token",
  "runtime-account-access",
  "gtm-container-kind",
  "gtm-live-version",
  "gtm-template",
  "gtm-tagging-server-url",
  "gtm-web-dedup",
  "tiktok-test-event",
];

export interface Answer {
  readonly status: number;
  readonly contentType?: string;
  readonly body: string;
}

export interface RecordedTrack {
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: Record<string, unknown>;
}

export interface SecretState {
  versions: number;
  accessors: string[];
  value?: string;
}

export interface World {
  readonly env: EnvironmentConfig;
  /** A host's A records; a host absent here is NXDOMAIN. */
  readonly dnsRecords: Map<string, string[]>;
  readonly lb: {
    /** What answers a host that no host rule names: the tagging server (the URL map default) or a 404. */
    unknownHosts: "404" | "tagging-server";
    /** The tagging host's `/healthy` answer. */
    healthy: Answer;
    /** Serve a certificate for other hosts, signed by nobody the client trusts. */
    serveCertificate(which: "valid" | "wrong"): void;
  };
  readonly google: {
    addresses: Map<string, string>;
    /** Managed SSL certificates (Compute), by name, as the API answers. */
    sslCertificates: Map<string, Record<string, unknown>>;
    /** Certificate Manager certificates, by name. */
    managerCertificates: Map<string, Record<string, unknown>>;
    secrets: Map<string, SecretState>;
    /** When set, every call answers this status (e.g. 403). */
    failAll?: number;
  };
  readonly tiktok: {
    readonly requests: RecordedTrack[];
    answer: Answer | "hang";
  };
  readonly gtm: {
    readonly fake: FakeTagManager;
    /** Where `SGTM_GTM_ROOT_URL` points: the front. */
    readonly rootUrl: string;
    taggingServerUrls: string[];
    /** Changes an answer of the fake on its way back (default: none). */
    transform?: (
      method: string,
      path: string,
      status: number,
      body: unknown,
    ) => { status: number; body: unknown };
  };
  readonly tiktokRootUrl: string;
  readonly googleRoots: GoogleRoots;
  /** The real adapters, pointed at the stand-ins. */
  deps(overrides?: Partial<DoctorDeps>): DoctorDeps;
  /**
   * Every check passes again. The GTM container is applied afresh when anything wrote to it since (a
   * `gtm destroy`, a workspace a plan created): the stand-in deploy does not run the stack's GTM apply.
   */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export const TIKTOK_OK: Answer = {
  status: 200,
  contentType: "application/json",
  body: JSON.stringify({ code: 0, message: "OK", request_id: "202612011200", data: {} }),
};

export function tiktokCode(code: number, message: string): Answer {
  return { status: 200, contentType: "application/json", body: JSON.stringify({ code, message, data: {} }) };
}

/** The fixture environment the doctor tests check: staging, with a test event code and a web container. */
export function stagingEnvironment(): EnvironmentConfig {
  const env = loadConfigDir(FIXTURE_CONFIG_DIR).find((e) => e.stackName === "acme-staging");
  if (!env) throw new Error("no fixture environment acme-staging");
  return env;
}

/**
 * A web container that deduplicates with `env`'s server: the pixel's base code and the Google tag both
 * without event_id for page views, and purchase with one Data Layer Variable on both sides (TikTok's
 * template sends it as CompletePayment, the legacy name the acme pixel uses).
 */
export function deduplicatingWebContainer(env: EnvironmentConfig): WebExport {
  return shopBase(env.domain.tagging)
    .baseCode()
    .ga4Event("GA4 - purchase", {
      event: "purchase",
      measurementId: "{{CONST - GA4 ID}}",
      eventSettings: { event_id: "{{DLV - event_id}}" },
    })
    .tiktokPixel("TT - Purchase", { eventId: "{{DLV - event_id}}", on: "purchase" });
}

/**
 * Starts the stand-ins for `env` around the tests of a file (every check passing again before each
 * test); the returned function gives the running world.
 */
export function useWorld(env: EnvironmentConfig): () => World {
  let world: World | undefined;
  beforeAll(async () => {
    world = await startWorld(env);
  });
  afterAll(() => world?.close());
  beforeEach(async () => {
    await world?.reset();
  });
  return () => {
    if (!world) throw new Error("the stand-ins are not running");
    return world;
  };
}

/** A port on 127.0.0.1 that nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A GET without credentials, as the authorized one would make it. */
export const plainGet: GoogleGet = async (url) => {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, data: text ? JSON.parse(text) : undefined };
};

export async function startWorld(env: EnvironmentConfig): Promise<World> {
  const hosts = [env.domain.tagging, env.domain.preview];
  const valid = selfSignedCertificate(hosts);
  const wrong = selfSignedCertificate(["other.example"]);
  const dnsRecords = new Map<string, string[]>();
  const secretState = new Map<string, SecretState>();
  let pendingTrack: AbortController | undefined;

  const lbState: Omit<World["lb"], "serveCertificate"> = { unknownHosts: "404", healthy: okAnswer() };
  const google: World["google"] = {
    addresses: new Map(),
    sslCertificates: new Map(),
    managerCertificates: new Map(),
    secrets: secretState,
  };
  const tiktok: World["tiktok"] = { requests: [], answer: TIKTOK_OK };

  const dns = await startDns(dnsRecords);
  const lbServer = createHttpsServer({ key: valid.key, cert: valid.cert }, (req, res) => {
    const host = (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
    const known = hosts.includes(host);
    if (!known && lbState.unknownHosts === "404") return send(res, { status: 404, body: "unknown host" });
    if (req.url !== "/healthy") return send(res, { status: 400, body: "" });
    send(res, host === env.domain.tagging ? lbState.healthy : okAnswer());
  });
  const lbPort = await listen(lbServer);

  const googleServer = createServer((req, res) => {
    if (google.failAll)
      return sendJson(res, google.failAll, googleError(google.failAll, "denied (stand-in)"));
    const answer = googleAnswer(env, google, new URL(req.url ?? "/", "http://x"));
    sendJson(res, answer.status, answer.body);
  });
  const googleUrl = `http://127.0.0.1:${await listen(googleServer)}/`;

  const tiktokServer = createServer(async (req, res) => {
    const text = await readBody(req);
    tiktok.requests.push({ path: req.url ?? "", headers: req.headers, body: JSON.parse(text || "{}") });
    if (tiktok.answer === "hang") {
      // Never answers: the client's deadline passes (aborted here instead of waiting for a clock).
      pendingTrack?.abort(new DOMException("The operation timed out.", "TimeoutError"));
      return;
    }
    send(res, tiktok.answer);
  });
  const tiktokRootUrl = `http://127.0.0.1:${await listen(tiktokServer)}/`;

  const fake = await startFake();
  /** The container as the stack's deploy leaves it: seeded, the kit applied, the web container beside it. */
  const applyGtm = async () => {
    fake.reset();
    seed(fake, env);
    await applyWith(connect(fake), env, { token: new SecretValue(TOKEN) });
    if (env.gtm.web) seedWebContainer(fake.state, deduplicatingWebContainer(env));
  };
  await applyGtm();
  let gtmAppliedAt = fake.requests.length;
  const gtm: World["gtm"] = {
    fake,
    rootUrl: "",
    taggingServerUrls: [],
  };
  const front = createServer(async (req, res) => {
    const body = await readBody(req);
    const upstream = await fetch(new URL(req.url ?? "/", fake.rootUrl), {
      method: req.method,
      headers: { "content-type": "application/json" },
      ...(body ? { body } : {}),
    });
    const text = await upstream.text();
    const path = new URL(req.url ?? "/", "http://x").pathname.replace("/tagmanager/v2/", "");
    let answer = { status: upstream.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    if (req.method === "GET" && /^accounts\/\d+\/containers\/\d+$/.test(path) && answer.status === 200) {
      answer = { ...answer, body: { ...(answer.body as object), taggingServerUrls: gtm.taggingServerUrls } };
    }
    if (gtm.transform) answer = gtm.transform(req.method ?? "GET", path, answer.status, answer.body);
    if (answer.body === undefined) return send(res, { status: answer.status, body: "" });
    sendJson(res, answer.status, answer.body);
  });
  (gtm as { rootUrl: string }).rootUrl = `http://127.0.0.1:${await listen(front)}/`;

  const googleRoots: GoogleRoots = {
    compute: googleUrl,
    certificateManager: googleUrl,
    secretManager: googleUrl,
  };
  const world: World = {
    env,
    dnsRecords,
    lb: {
      get unknownHosts() {
        return lbState.unknownHosts;
      },
      set unknownHosts(value) {
        lbState.unknownHosts = value;
      },
      get healthy() {
        return lbState.healthy;
      },
      set healthy(value) {
        lbState.healthy = value;
      },
      serveCertificate(which) {
        const pair: SelfSigned = which === "valid" ? valid : wrong;
        lbServer.setSecureContext({ key: pair.key, cert: pair.cert });
      },
    },
    google,
    tiktok,
    gtm,
    tiktokRootUrl,
    googleRoots,
    deps(overrides = {}) {
      const { cloud, secrets } = googleCloudReaders(plainGet, googleRoots);
      return {
        dns: systemDns({ servers: [`127.0.0.1:${dns.port}`], timeoutMs: 2000 }),
        https: nodeHttps({ route: () => ({ address: "127.0.0.1", port: lbPort }), ca: valid.cert }),
        cloud,
        secrets,
        gtm: () => connectGtmReads({ rootUrl: gtm.rootUrl, quotaProject: env.gcp.project }),
        tiktok: tiktokEventsApi({
          rootUrl: tiktokRootUrl,
          deadline: () => {
            pendingTrack = new AbortController();
            return pendingTrack.signal;
          },
        }),
        now: () => NOW_MS,
        newEventId: () => EVENT_ID,
        ...overrides,
      };
    },
    async reset() {
      if (fake.requests.slice(gtmAppliedAt).some((r) => r.method !== "GET")) {
        await applyGtm();
        gtmAppliedAt = fake.requests.length;
      }
      dnsRecords.clear();
      for (const host of hosts) dnsRecords.set(host, [LB_IP]);
      lbState.unknownHosts = "404";
      lbState.healthy = okAnswer();
      world.lb.serveCertificate("valid");
      google.failAll = undefined;
      google.addresses.clear();
      google.addresses.set(loadBalancerAddressName(env.stackName), LB_IP);
      google.sslCertificates.clear();
      google.sslCertificates.set(managedCertificateName(env.stackName, env.domain), {
        type: "MANAGED",
        managed: {
          status: "ACTIVE",
          domains: hosts,
          domainStatus: Object.fromEntries(hosts.map((h) => [h, "ACTIVE"])),
        },
      });
      google.managerCertificates.clear();
      const perHost = certificateManagerCertificateNames(env.stackName, env.domain);
      for (const [role, name] of Object.entries(perHost) as [keyof typeof perHost, string][]) {
        google.managerCertificates.set(name, {
          managed: {
            state: "ACTIVE",
            authorizationAttemptInfo: [{ domain: env.domain[role], state: "AUTHORIZED" }],
          },
        });
      }
      const runtime = `serviceAccount:${runtimeServiceAccountEmail(env.stackName, env.gcp.project)}`;
      secretState.clear();
      secretState.set(env.secrets.containerConfig, { versions: 1, accessors: [runtime] });
      secretState.set(env.secrets.tiktokAccessToken, { versions: 1, accessors: [], value: TOKEN });
      tiktok.requests.length = 0;
      tiktok.answer = TIKTOK_OK;
      gtm.taggingServerUrls = [`https://${env.domain.tagging}`];
      gtm.transform = undefined;
    },
    async close() {
      dns.close();
      for (const server of [lbServer, googleServer, tiktokServer, front]) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await fake.close();
    },
  };
  await world.reset();
  return world;
}

function okAnswer(): Answer {
  return { status: 200, body: "ok" };
}

/** Compute, Certificate Manager and Secret Manager, as far as doctor reads them. */
function googleAnswer(
  env: EnvironmentConfig,
  google: World["google"],
  url: URL,
): { status: number; body: unknown } {
  const path = decodeURIComponent(url.pathname);
  const project = `projects/${env.gcp.project}`;
  const notFound = { status: 404, body: googleError(404, `The resource '${path}' was not found`) };
  const match = (pattern: string) => new RegExp(`^/${pattern.replace("PROJECT", project)}$`).exec(path);
  let m = match("compute/v1/PROJECT/global/addresses/([^/]+)");
  if (m) {
    const address = google.addresses.get(m[1]);
    return address ? { status: 200, body: { name: m[1], address, status: "IN_USE" } } : notFound;
  }
  for (const [pattern, certificates] of [
    ["compute/v1/PROJECT/global/sslCertificates/([^/]+)", google.sslCertificates],
    ["v1/PROJECT/locations/global/certificates/([^/]+)", google.managerCertificates],
  ] as const) {
    m = match(pattern);
    const certificate = m ? certificates.get(m[1]) : undefined;
    if (m) return certificate ? { status: 200, body: { name: m[1], ...certificate } } : notFound;
  }
  m = match("v1/PROJECT/secrets/([^/:]+)(/versions|:getIamPolicy|/versions/latest:access)");
  const secret = m ? google.secrets.get(m[1]) : undefined;
  if (!m || !secret) return notFound;
  if (m[2] === "/versions") {
    if (url.searchParams.get("filter") !== "state:ENABLED")
      return { status: 400, body: googleError(400, "filter?") };
    return {
      status: 200,
      body: secret.versions > 0 ? { versions: [{ name: `${path}/1`, state: "ENABLED" }] } : {},
    };
  }
  if (m[2] === ":getIamPolicy") {
    const bindings = secret.accessors.length
      ? [{ role: "roles/secretmanager.secretAccessor", members: secret.accessors }]
      : [];
    return { status: 200, body: { version: 1, etag: "BwX=", bindings } };
  }
  if (secret.versions === 0 || secret.value === undefined) {
    return { status: 404, body: googleError(404, `Secret Version [${path}] not found or has no versions.`) };
  }
  return {
    status: 200,
    body: { name: path, payload: { data: Buffer.from(secret.value).toString("base64") } },
  };
}

function googleError(code: number, message: string) {
  return {
    error: {
      code,
      message,
      status: code === 404 ? "NOT_FOUND" : code === 403 ? "PERMISSION_DENIED" : "ERROR",
    },
  };
}

/** A DNS server answering A queries from `records` (NXDOMAIN for names it does not hold). */
async function startDns(records: Map<string, string[]>): Promise<{ port: number; close(): void }> {
  const socket = createSocket("udp4");
  socket.on("message", (query, client) => {
    let offset = 12;
    const labels: string[] = [];
    while (query[offset] !== 0) {
      labels.push(query.subarray(offset + 1, offset + 1 + query[offset]).toString("ascii"));
      offset += query[offset] + 1;
    }
    const type = query.readUInt16BE(offset + 1);
    const question = query.subarray(12, offset + 5);
    const name = labels.join(".").toLowerCase();
    const addresses = type === 1 ? (records.get(name) ?? []) : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0);
    header.writeUInt16BE(records.has(name) ? 0x8180 : 0x8183, 2); // response, recursion; NOERROR or NXDOMAIN
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(addresses.length, 6);
    const answers = addresses.map((ip) => {
      const answer = Buffer.alloc(16);
      answer.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      answer.writeUInt16BE(1, 2); // A
      answer.writeUInt16BE(1, 4); // IN
      answer.writeUInt32BE(300, 6);
      answer.writeUInt16BE(4, 10);
      for (const [i, octet] of ip.split(".").entries()) answer.writeUInt8(Number(octet), 12 + i);
      return answer;
    });
    socket.send(Buffer.concat([header, question, ...answers]), client.port, client.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { port: (socket.address() as AddressInfo).port, close: () => socket.close() };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { "content-type": answer.contentType ?? "text/plain" });
  res.end(answer.body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, { status, contentType: "application/json", body: JSON.stringify(body) });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
