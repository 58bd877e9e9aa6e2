/**
 * The one place that knows GCP's naming rules. Constructs ask for names here; config validation uses
 * the same table so a client/environment pair that cannot produce valid names is rejected up front.
 */
import { createHash } from "node:crypto";

export interface NameRule {
  /** Inclusive maximum length. */
  readonly max: number;
  readonly min: number;
  readonly pattern: RegExp;
  /** Human wording of `pattern`, used in error messages. */
  readonly charset: string;
}

const RFC1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const RFC1035_TEXT =
  "lowercase letters, digits and hyphens; starts with a letter; does not end with a hyphen";

/** GCP limits per resource kind (from each API's reference). */
export const GCP_NAME_RULES = {
  /** `google_service_account.account_id`. */
  serviceAccountId: { min: 6, max: 30, pattern: RFC1035, charset: RFC1035_TEXT },
  /** Cloud Run v2 service names (49 so revision suffixes fit in 63). */
  cloudRunService: { min: 1, max: 49, pattern: RFC1035, charset: RFC1035_TEXT },
  /** Compute Engine resources (addresses, NEGs, backends, URL maps, proxies, rules, certificates, SSL policies). */
  compute: { min: 1, max: 63, pattern: RFC1035, charset: RFC1035_TEXT },
  /** Certificate Manager certificates, maps, map entries and DNS authorizations. */
  certificateManager: { min: 1, max: 63, pattern: RFC1035, charset: RFC1035_TEXT },
  /** Secret Manager secret ids. */
  secretId: {
    min: 1,
    max: 255,
    pattern: /^[A-Za-z0-9_-]+$/,
    charset: "letters, digits, underscores and hyphens",
  },
  /** Logging exclusions. */
  loggingExclusion: {
    min: 1,
    max: 100,
    pattern: /^[A-Za-z0-9_.-]+$/,
    charset: "letters, digits, underscores, hyphens and periods",
  },
  /** Cloud DNS record-set names are FQDNs; managed zone names are RFC1035. */
  dnsZone: { min: 1, max: 63, pattern: RFC1035, charset: RFC1035_TEXT },
  /** Resource label values (the kit's values are ASCII; Google also allows other lowercase letters). */
  labelValue: {
    min: 0,
    max: 63,
    pattern: /^[a-z0-9_-]*$/,
    charset: "lowercase letters, digits, underscores and hyphens",
  },
} as const satisfies Record<string, NameRule>;

export type GcpNameKind = keyof typeof GCP_NAME_RULES;

/** Short, stable hash used to keep truncated names unique and to version certificates. */
export function shortHash(input: string, length = 6): string {
  return createHash("sha256").update(input).digest("hex").slice(0, length);
}

/**
 * Joins parts into a valid name of `kind`. When the joined name is too long, it is truncated and a
 * hash of the full name is appended, so two long names never collide and the result is stable.
 */
export function gcpName(kind: GcpNameKind, ...parts: readonly string[]): string {
  const rule: NameRule = GCP_NAME_RULES[kind];
  const full = parts
    .filter((p) => p.length > 0)
    .join("-")
    .toLowerCase();
  let name = full;
  if (name.length > rule.max) {
    const suffix = `-${shortHash(full)}`;
    name = `${full.slice(0, rule.max - suffix.length).replace(/-+$/, "")}${suffix}`;
  }
  const problem = checkGcpName(kind, name);
  if (problem) throw new Error(`internal: generated ${kind} name "${name}" is invalid: ${problem}`);
  return name;
}

/** Returns what is wrong with `name` for `kind`, or undefined when it is valid. */
export function checkGcpName(kind: GcpNameKind, name: string): string | undefined {
  const rule: NameRule = GCP_NAME_RULES[kind];
  if (name.length < rule.min || name.length > rule.max) {
    return `must be ${rule.min}-${rule.max} characters (got ${name.length})`;
  }
  if (!rule.pattern.test(name)) return `allowed: ${rule.charset}`;
  return undefined;
}

/** The `managed-by` label value on everything the kit creates. */
export const MANAGED_BY = "sgtm-tiktok-kit";

/**
 * The labels on every resource of an environment (and on its monitoring resources), so billing and
 * the console split per client and environment.
 */
export function environmentLabels(client: string, environment: string): Record<string, string> {
  return {
    client: gcpName("labelValue", client),
    environment: gcpName("labelValue", environment),
    "managed-by": MANAGED_BY,
  };
}
