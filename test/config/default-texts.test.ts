import { KIT_DEFAULTS, TIER_DEFAULTS } from "../../src/config/defaults";
import { configJsonSchema } from "../../src/config/json-schema";
import { TIERS } from "../../src/config/tables";

interface JsonSchemaNode {
  readonly description?: string;
  readonly properties?: Record<string, JsonSchemaNode>;
  readonly anyOf?: readonly JsonSchemaNode[];
  readonly oneOf?: readonly JsonSchemaNode[];
}

/** Every property's description in the generated JSON Schema, by dotted key path. */
function descriptions(node: JsonSchemaNode, path = ""): Map<string, string> {
  const found = new Map<string, string>();
  if (node.description !== undefined && path !== "") found.set(path, node.description);
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    for (const entry of descriptions(child, path ? `${path}.${key}` : key)) found.set(...entry);
  }
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) {
    for (const entry of descriptions(branch, path)) found.set(...entry);
  }
  return found;
}

const DESCRIBED = descriptions(JSON.parse(configJsonSchema()));
const described = (path: string) => DESCRIBED.get(path) ?? `(no description at ${path})`;

/** Where each kit default is configured. */
const KIT_DEFAULT_PATHS: Record<keyof typeof KIT_DEFAULTS, string> = {
  maxInstances: "tagging.maxInstances",
  image: "tagging.image",
  invoker: "tagging.invoker",
  requestLogs: "tagging.requestLogs",
  certificates: "domain.certificates",
  geoHeaders: "domain.geoHeaders",
  workspace: "gtm.workspace",
  clientName: "gtm.clientName",
  tagLayout: "tiktok.tagLayout",
  ipv6: "domain.ipv6",
  certificateRevision: "domain.certificateRevision",
  errorRatio: "monitoring.errorRatio",
  requestsPerMinutePerIp: "armor.requestsPerMinutePerIp",
  hostAllowlist: "armor.hostAllowlist",
};

describe("the schema's default texts state the defaults the kit applies", () => {
  it.each(Object.entries(KIT_DEFAULT_PATHS))("%s at %s states its value", (key, path) => {
    const value = String(KIT_DEFAULTS[key as keyof typeof KIT_DEFAULTS]);
    const text = described(path);
    expect([`Default: ${value}.`, `${value} (default):`].some((said) => text.includes(said))).toBe(true);
  });

  it("names each tier's value of a tier default, tiers that share one together", () => {
    expect(described("tagging.minInstances")).toBe("Default: 2 in production, else 0.");
    expect(described("tagging.deletionProtection")).toBe("Default: true in production, else false.");
    expect(described("gtm.publish")).toBe(
      "Publish after creating a version. Default: true in production and staging, else false.",
    );
    expect(described("tiktok.consent")).toMatch(
      /Default: none \(must be set\) in production, else ad-storage-granted\.$/,
    );
  });

  it("sums up every tier's defaults on `tier`", () => {
    for (const tier of TIERS) {
      const { minInstances, publish } = TIER_DEFAULTS[tier];
      expect(described("tier")).toContain(
        `${tier} = min ${minInstances} instances, ${TIER_DEFAULTS[tier].deletionProtection ? "" : "no "}deletion protection, ${publish ? "" : "no "}publish`,
      );
    }
  });

  it("gives the state location and the undeclared-consent default for every policy", () => {
    expect(described("backend.prefix")).toBe("Default: sgtm/<client>-<env>.");
    expect(described("backend.path")).toBe("Default: terraform.<client>-<env>.tfstate.");
    expect(described("tiktok.consentUndeclared")).toMatch(
      /Default: block for ad-storage-granted and ad-user-data-granted, send for block-if-denied and not-enforced\.$/,
    );
  });
});
