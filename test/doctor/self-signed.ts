/**
 * A self-signed TLS certificate for local HTTPS stand-ins, made with node:crypto alone (an EC P-256
 * key, X.509 v3 with the host names as subjectAltName and CA:TRUE, so a client can trust it as its CA).
 */
import { createHash, generateKeyPairSync, sign } from "node:crypto";

export interface SelfSigned {
  readonly key: string;
  readonly cert: string;
}

const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
const COMMON_NAME = "2.5.4.3";
const BASIC_CONSTRAINTS = "2.5.29.19";
const SUBJECT_ALT_NAME = "2.5.29.17";
const DAY_MS = 24 * 60 * 60 * 1000;

export function selfSignedCertificate(hosts: readonly string[], now = Date.now()): SelfSigned {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const name = seq(set(seq(oid(COMMON_NAME), tlv(0x0c, Buffer.from(hosts[0], "utf8")))));
  const algorithm = seq(oid(ECDSA_WITH_SHA256));
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))), // v3
    integer(createHash("sha256").update(hosts.join(",")).digest().subarray(0, 8)),
    algorithm,
    name,
    seq(utcTime(new Date(now - DAY_MS)), utcTime(new Date(now + 30 * DAY_MS))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    tlv(
      0xa3,
      seq(
        seq(oid(BASIC_CONSTRAINTS), tlv(0x04, seq(tlv(0x01, Buffer.from([0xff]))))),
        seq(oid(SUBJECT_ALT_NAME), tlv(0x04, seq(...hosts.map((h) => tlv(0x82, Buffer.from(h, "ascii")))))),
      ),
    ),
  );
  const signature = sign("sha256", tbs, privateKey);
  const der = seq(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const base64 = der.toString("base64").replace(/.{1,64}/g, "$&\n");
  return {
    key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    cert: `-----BEGIN CERTIFICATE-----\n${base64}-----END CERTIFICATE-----\n`,
  };
}

// ---- DER ------------------------------------------------------------------------------------------

function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  const header =
    length < 0x80
      ? [tag, length]
      : [
          tag,
          0x80 | byteLength(length),
          ...Array.from(
            { length: byteLength(length) },
            (_, i) => (length >> (8 * (byteLength(length) - 1 - i))) & 0xff,
          ),
        ];
  return Buffer.concat([Buffer.from(header), content]);
}

function byteLength(n: number): number {
  return n < 0x100 ? 1 : n < 0x10000 ? 2 : 3;
}

const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));

/** A positive INTEGER: a leading zero keeps the sign bit clear. */
function integer(bytes: Buffer): Buffer {
  return tlv(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = arc >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const text = date
    .toISOString()
    .replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d).*$/, "$1$2$3$4$5$6Z");
  return tlv(0x17, Buffer.from(text, "ascii"));
}
