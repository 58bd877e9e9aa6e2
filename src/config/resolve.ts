/**
 * Merges a client's defaults file with one environment file, applies kit and tier defaults, and checks
 * what a single file cannot: required keys, cross-field rules, the event map.
 * Each problem names the file that supplied the value (or, for a missing key, both candidate files).
 */
import { checkGcpName, gcpName } from "../naming/gcp";
import { KIT_DEFAULTS, REQUIRED_KEYS, TIER_DEFAULTS } from "./defaults";
import { type ConfigProblem, describeValue, looksSecret, redacted } from "./errors";
import { resolveEvents } from "./events";
import type { EnvironmentConfig } from "./model";
import type { ConfigFile } from "./schema";
import type { KeyPath, SourceFile } from "./source";
import { dotted, valueAt } from "./validate-file";

export const NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const NAME_PATTERN_TEXT = "lowercase letters, digits and single hyphens, starting with a letter";
/** Keeps `sgtm-<client>-<env>-<suffix>` readable in every GCP name before hashing kicks in. */
export const STACK_NAME_MAX = 40;

export interface ResolveInput {
  readonly client: string;
  readonly environment: string;
  readonly clientFile?: SourceFile;
  readonly environmentFile: SourceFile;
  /**
   * Key paths whose values the schema already rejected (and `sanitized` removed): problems at or under
   * them are not reported twice, so a file's schema and cross-field problems come out together.
   */
  readonly reportedPaths?: ReadonlySet<string>;
}

/** Secret-looking values anywhere in a file (known keys or not): they belong in Secret Manager. */
export function secretProblems(file: SourceFile): ConfigProblem[] {
  return file
    .strings()
    .filter(({ value }) => looksSecret(value))
    .map(({ path, value }) => ({
      file: file.path,
      ...file.locate(path),
      path: dotted(path),
      message: "this looks like a pasted access token or container config; secret values never go in config",
      got: redacted(value),
      fix: "delete it and add the value to Secret Manager (`npx sgtm secrets --env <client>-<env>` prints the commands)",
    }));
}

export function resolveEnvironment(input: ResolveInput): {
  config?: EnvironmentConfig;
  problems: ConfigProblem[];
} {
  const { clientFile, environmentFile: envFile } = input;
  const files = clientFile ? [clientFile, envFile] : [envFile];
  const problems: ConfigProblem[] = [];

  /** The file that supplied `path` (most specific first); a missing key is reported on the environment file. */
  const origin = (path: KeyPath): SourceFile => [...files].reverse().find((f) => f.has(path)) ?? envFile;
  const alreadyReported = (path: string) =>
    [...(input.reportedPaths ?? [])].some(
      (r) => path === r || path.startsWith(`${r}.`) || r.startsWith(`${path}.`),
    );
  const report = (path: KeyPath, p: Omit<ConfigProblem, "file" | "line" | "col" | "path">) => {
    if (alreadyReported(dotted(path))) return;
    const file = origin(path);
    problems.push({ file: file.path, ...file.locate(path), path: dotted(path), ...p });
  };

  const merged = mergeFiles(clientFile?.data as ConfigFile | undefined, envFile.data as ConfigFile);
  // A required value the schema rejected is missing too: stop here, but it was reported already.
  let requiredMissing = false;
  for (const key of REQUIRED_KEYS) {
    const path = key.split(".");
    if (valueAt(merged, path) !== undefined) continue;
    requiredMissing = true;
    if (!alreadyReported(key)) {
      problems.push({
        file: envFile.path,
        ...envFile.locate(path),
        path: key,
        message: "required key is missing",
        fix: `set \`${key}\` in ${envFile.path}${clientFile ? ` or in ${clientFile.path}` : ""}`,
      });
    }
  }
  const stackName = `${input.client}-${input.environment}`;
  for (const [what, name] of [
    ["client folder", input.client],
    ["environment file", input.environment],
  ] as const) {
    if (!NAME_PATTERN.test(name)) {
      problems.push({
        file: envFile.path,
        line: 1,
        col: 1,
        path: "",
        message: `the ${what} name is not usable in resource names`,
        got: describeValue(name),
        allowed: NAME_PATTERN_TEXT,
        fix: `rename the ${what}`,
      });
    }
  }
  if (stackName.length > STACK_NAME_MAX) {
    problems.push({
      file: envFile.path,
      line: 1,
      col: 1,
      path: "",
      message: "<client>-<env> is too long for readable GCP resource names",
      got: `${stackName} (${stackName.length} chars)`,
      allowed: `at most ${STACK_NAME_MAX} characters`,
      fix: "use a shorter client folder or environment file name",
    });
  }
  if (problems.length > 0 || requiredMissing) return { problems };

  const tier = merged.tier as NonNullable<ConfigFile["tier"]>;
  const tierDefaults = TIER_DEFAULTS[tier];
  const tagging = domainOf(merged).tagging as string;
  const preview = domainOf(merged).preview ?? `preview.${tagging}`;
  if (preview === tagging) {
    report(["domain", "preview"], {
      message:
        "the preview host must differ from the tagging host (a host rule routes each to its own service)",
      got: describeValue(preview),
      allowed: `another host, e.g. preview.${tagging}`,
      fix: "remove domain.preview to use the default",
    });
  }
  const minInstances = merged.tagging?.minInstances ?? tierDefaults.minInstances;
  const maxInstances = merged.tagging?.maxInstances ?? KIT_DEFAULTS.maxInstances;
  if (minInstances > maxInstances) {
    report(["tagging", merged.tagging?.minInstances !== undefined ? "minInstances" : "maxInstances"], {
      message: "minInstances is greater than maxInstances",
      got: `min ${minInstances} > max ${maxInstances}`,
      allowed: `minInstances <= maxInstances`,
      fix: "lower tagging.minInstances or raise tagging.maxInstances",
    });
  }
  const image = merged.tagging?.image ?? KIT_DEFAULTS.image;
  if (!/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[\w.-]+|@sha256:[a-f0-9]{64})$/.test(image)) {
    report(["tagging", "image"], {
      message: "not a container image reference",
      got: describeValue(image),
      allowed: "registry/repository:tag or registry/repository@sha256:<64 hex>",
    });
  }
  const tiktok = merged.tiktok ?? {};
  const pixelId = tiktok.pixelId ?? "";
  if (!/^[A-Z0-9]{10,32}$/.test(pixelId)) {
    report(["tiktok", "pixelId"], {
      message: pixelId === "" ? "the pixel id is empty" : "not a TikTok pixel code",
      got: describeValue(pixelId),
      allowed:
        "10-32 uppercase letters and digits, e.g. C4A1B2C3D4E5F6G7H8I9 (Events Manager > pixel settings)",
    });
  }
  const consentExplicit = tiktok.consent !== undefined;
  if (!consentExplicit && tierDefaults.consent === "required") {
    report(["tiktok", "consent"], {
      message: `a ${tier} environment must state its consent policy explicitly`,
      got: "nothing",
      allowed: "ad-storage-granted, block-if-denied, not-enforced",
      fix: "set tiktok.consent (ad-storage-granted if the site runs Google Consent Mode)",
    });
  }
  if (tiktok.testEventCode !== undefined && !tierDefaults.testEventCodeAllowed) {
    report(["tiktok", "testEventCode"], {
      message: `test event codes are not allowed in a ${tier} environment (events would only show under Test Events)`,
      got: describeValue(tiktok.testEventCode),
      fix: "remove tiktok.testEventCode",
    });
  }
  const pixelEventNames = tiktok.pixelEventNames as NonNullable<typeof tiktok.pixelEventNames>;
  const tagLayout = tiktok.tagLayout ?? KIT_DEFAULTS.tagLayout;
  const events = resolveEvents({ events: tiktok.events, pixelEventNames, tagLayout }, report);

  const secretIds = {
    tiktokAccessToken:
      merged.secrets?.tiktokAccessToken ?? gcpName("secretId", "sgtm", stackName, "tiktok-token"),
    containerConfig:
      merged.secrets?.containerConfig ?? gcpName("secretId", "sgtm", stackName, "container-config"),
  };
  for (const [key, id] of Object.entries(secretIds)) {
    const problem = checkGcpName("secretId", id);
    if (problem)
      report(["secrets", key], { message: `not a valid secret id: ${problem}`, got: describeValue(id) });
  }
  if (problems.length > 0) return { problems };

  const backend = merged.backend ?? { type: "local" as const };
  const config: EnvironmentConfig = {
    client: input.client,
    environment: input.environment,
    stackName,
    tier,
    retired: merged.retired ?? false,
    sourceFiles: files.map((f) => f.path),
    gcp: { project: merged.gcp?.project as string, region: merged.gcp?.region as string },
    domain: {
      tagging,
      preview,
      dnsZone: merged.domain?.dnsZone
        ? {
            name: merged.domain.dnsZone.name,
            project: merged.domain.dnsZone.project ?? (merged.gcp?.project as string),
          }
        : undefined,
      certificates: merged.domain?.certificates ?? KIT_DEFAULTS.certificates,
      geoHeaders: merged.domain?.geoHeaders ?? KIT_DEFAULTS.geoHeaders,
    },
    tagging: {
      minInstances,
      maxInstances,
      image,
      deletionProtection: merged.tagging?.deletionProtection ?? tierDefaults.deletionProtection,
      invoker: merged.tagging?.invoker ?? KIT_DEFAULTS.invoker,
      requestLogs: merged.tagging?.requestLogs ?? KIT_DEFAULTS.requestLogs,
    },
    backend:
      backend.type === "gcs"
        ? { type: "gcs", bucket: backend.bucket, prefix: backend.prefix ?? `sgtm/${stackName}` }
        : { type: "local", path: backend.path ?? `terraform.${stackName}.tfstate` },
    secrets: { ...secretIds, tokenReaders: merged.secrets?.tokenReaders ?? [] },
    gtm: {
      accountId: merged.gtm?.accountId as string,
      containerId: merged.gtm?.containerId as string,
      workspace: merged.gtm?.workspace ?? KIT_DEFAULTS.workspace,
      publish: merged.gtm?.publish ?? tierDefaults.publish,
      clientName: merged.gtm?.clientName ?? KIT_DEFAULTS.clientName,
    },
    tiktok: {
      pixelId,
      pixelEventNames,
      consent: tiktok.consent ?? (tierDefaults.consent as Exclude<typeof tierDefaults.consent, "required">),
      consentExplicit,
      tagLayout,
      testEventCode: tiktok.testEventCode,
      events,
    },
  };
  return { config, problems: [] };
}

function domainOf(merged: ConfigFile): NonNullable<ConfigFile["domain"]> {
  return merged.domain ?? {};
}

/** Keys whose value the most specific file replaces whole (a map of events, a union of backends). */
export const REPLACED_WHOLE = new Set(["tiktok.events", "backend", "domain.dnsZone"]);

/** Deep merge, most specific last (documented precedence). */
export function mergeFiles(client: ConfigFile | undefined, env: ConfigFile): ConfigFile {
  return deepMerge(client ?? {}, env, "") as ConfigFile;
}

function deepMerge(base: unknown, override: unknown, path: string): unknown {
  if (override === undefined) return base;
  if (REPLACED_WHOLE.has(path) || !isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    out[key] = deepMerge(base[key], value, path ? `${path}.${key}` : key);
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
