/**
 * The parts of cdktf's synthesized `cdk.tf.json` the review reads: resources by type and logical id,
 * and the blocks around them (Terraform settings, provider, outputs). Everything else is ignored.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface SynthJson {
  /** cdktf's metadata, and the kit's own under `sgtm` (see `kitMetadata`). */
  readonly "//"?: JsonObject;
  /** `resource.<type>.<logical id>` -> attributes (plus cdktf's `//` metadata). */
  readonly resource?: Record<string, Record<string, JsonObject>>;
  readonly terraform?: JsonObject;
  readonly provider?: JsonObject;
  readonly output?: Record<string, JsonValue>;
}

/** cdktf's metadata key (construct path, unique id): not an attribute Terraform sees. */
export const METADATA_KEY = "//";

/** Parses a `cdk.tf.json`; throws with `source` named when it is not a synthesized stack. */
export function parseSynthJson(text: string, source: string): SynthJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw new Error(`${source} is not a synthesized stack (expected a JSON object)`);
  const resource = parsed.resource;
  if (resource !== undefined && !isObject(resource)) {
    throw new Error(`${source} is not a synthesized stack ("resource" is not an object)`);
  }
  return parsed as SynthJson;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The construct path cdktf records (`<stack>/tagging-server/tagging`), without the stack's own name. */
export function constructPath(attributes: JsonObject): string | undefined {
  const metadata = attributes[METADATA_KEY];
  const path = isObject(metadata) && isObject(metadata.metadata) ? metadata.metadata.path : undefined;
  return typeof path === "string" ? path.split("/").slice(1).join("/") : undefined;
}

/** What the stack records about itself beside cdktf's metadata (stacks/environment-stack.ts). */
export interface KitMetadata {
  /** Digest of the environment's resolved config the synth was made from. */
  readonly inputs?: string;
  readonly tier?: string;
}

export function kitMetadata(synth: SynthJson | undefined): KitMetadata {
  const sgtm = synth?.["//"]?.sgtm;
  if (!isObject(sgtm)) return {};
  const text = (key: string) => (typeof sgtm[key] === "string" ? (sgtm[key] as string) : undefined);
  return { inputs: text("inputs"), tier: text("tier") };
}

export interface SynthResource {
  readonly type: string;
  readonly attributes: JsonObject;
}

/** Every resource by Terraform address (`<type>.<logical id>`). */
export function synthResources(synth: SynthJson | undefined): Map<string, SynthResource> {
  const found = new Map<string, SynthResource>();
  for (const [type, byId] of Object.entries(synth?.resource ?? {})) {
    if (!isObject(byId)) continue;
    for (const [id, attributes] of Object.entries(byId)) {
      if (isObject(attributes)) found.set(`${type}.${id}`, { type, attributes });
    }
  }
  return found;
}

/** `${type.id.attribute...}` inside a string: the addresses it references, in order. */
export function referencedAddresses(value: JsonValue | undefined): string[] {
  const texts = Array.isArray(value) ? value : [value];
  return texts.flatMap((text) =>
    typeof text === "string" ? [...text.matchAll(REFERENCE)].map(([, type, id]) => `${type}.${id}`) : [],
  );
}

/** `${type.id.attribute` in any string; the groups are the type, the logical id and the attribute. */
export const REFERENCE = /\$\{([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.([a-z_][a-z0-9_]*)/g;
