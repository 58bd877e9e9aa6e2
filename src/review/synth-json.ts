/**
 * The parts of cdktf's synthesized `cdk.tf.json` the review reads: resources by type and logical id,
 * and the blocks around them (Terraform settings, provider, outputs). Everything else is ignored.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface SynthJson {
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
