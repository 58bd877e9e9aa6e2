/**
 * The DNS and HTTPS probes doctor makes from this machine, as a visitor's browser would: `resolve4` of
 * each host, and an HTTPS GET that verifies the certificate against the host it is for.
 */
import { Resolver } from "node:dns/promises";
import { request } from "node:https";
import { isIP } from "node:net";
import { checkServerIdentity } from "node:tls";
import {
  type DnsResolver,
  DOCTOR_USER_AGENT,
  type HttpsAnswer,
  type HttpsProbe,
  type HttpsRequest,
  REMOTE_TIMEOUT_MS,
} from "./types";

/** What of an answer's body is kept: enough for `ok` and the start of an error page. */
const MAX_BODY_BYTES = 4096;

export interface DnsOptions {
  /** `host[:port]` of the DNS servers to ask (default: the system's). */
  readonly servers?: readonly string[];
  readonly timeoutMs?: number;
}

export function systemDns(options: DnsOptions = {}): DnsResolver {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? REMOTE_TIMEOUT_MS / 2, tries: 2 });
  if (options.servers) resolver.setServers([...options.servers]);
  return { resolveA: (host) => resolver.resolve4(host) };
}

export interface HttpsProbeOptions {
  readonly timeoutMs?: number;
  /** Where a host is reached; default the host itself on 443. Tests send every host to a local server. */
  readonly route?: (host: string) => { readonly address: string; readonly port: number };
  /** Trust this CA instead of the system's (tests' self-signed certificate). */
  readonly ca?: string;
}

export function nodeHttps(options: HttpsProbeOptions = {}): HttpsProbe {
  const timeoutMs = options.timeoutMs ?? REMOTE_TIMEOUT_MS;
  return {
    get: (target: HttpsRequest) =>
      new Promise<HttpsAnswer>((resolve, reject) => {
        const { address, port } = options.route?.(target.connect) ?? { address: target.connect, port: 443 };
        const name = isIP(target.connect) ? undefined : target.connect;
        const req = request(
          {
            host: address,
            port,
            path: target.path,
            method: "GET",
            servername: name,
            headers: {
              Host: target.hostHeader ?? target.connect,
              "User-Agent": DOCTOR_USER_AGENT,
              Connection: "close",
            },
            rejectUnauthorized: target.verifyCertificate,
            // The certificate must be valid for the host asked for, wherever the connection went.
            checkServerIdentity: (_host, cert) => checkServerIdentity(target.connect, cert),
            ...(options.ca ? { ca: options.ca } : {}),
            agent: false,
          },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            const done = () =>
              resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
            res.on("data", (chunk: Buffer) => {
              if (size >= MAX_BODY_BYTES) return;
              chunks.push(chunk.subarray(0, MAX_BODY_BYTES - size));
              size += chunk.length;
              if (size >= MAX_BODY_BYTES) {
                done();
                res.destroy();
              }
            });
            res.on("end", done);
            res.on("error", reject);
          },
        );
        req.setTimeout(timeoutMs, () => {
          const error = Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), {
            code: "ETIMEDOUT",
          });
          req.destroy(error);
        });
        req.on("error", reject);
        req.end();
      }),
  };
}
