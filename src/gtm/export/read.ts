/**
 * A container exported from GTM's UI (Admin > Export Container), or an API dump of a version in the
 * same shape, read as an `ActualWorkspace`: what `plan --from-export FILE` plans against. Every way a
 * file can be wrong is a `GtmExportError` naming the file, what is wrong and how to get a good one.
 */
import type { ContainerVersion } from "../core/api";
import { isServerUsage, usageLabel } from "../core/container-kind";
import { type ActualWorkspace, workspaceFromVersion } from "../plan/actual";

export class GtmExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GtmExportError";
  }
}

export interface ReadExportOptions {
  /** `gtm.containerId` of the environment, for the fix when the file is of another kind of container. */
  readonly containerId?: string;
  /**
   * The kind of container the file must hold. Default `server`: the kit plans only against server
   * containers. `any`: the caller checks the kind itself (the deduplication check reads a web container).
   */
  readonly kind?: "server" | "any";
}

const ENTITY_ARRAYS = ["tag", "trigger", "variable", "customTemplate", "builtInVariable", "client"] as const;
const HINT = "export the container in GTM (Admin > Export Container) and pass that file";
/** Windows editors and some download tools put one before the JSON; JSON.parse refuses it. */
const BYTE_ORDER_MARK = "\uFEFF";

/**
 * Reads a container export (JSON text or parsed JSON). The exported version also stands for the live
 * one: exports are usually taken from the published version, and the plan says what it compared.
 */
export function fromGtmExport(
  content: unknown,
  file: string,
  options: ReadExportOptions = {},
): ActualWorkspace {
  const containerVersion = exportedVersion(parse(content, file), file);
  const container = containerVersion.container;
  if (
    options.kind !== "any" &&
    container?.usageContext &&
    container.usageContext.length > 0 &&
    !isServerUsage(container.usageContext)
  ) {
    const what = [container.publicId, container.name ? `"${container.name}"` : undefined]
      .filter(Boolean)
      .join(", ");
    const wanted = options.containerId ? ` (gtm.containerId ${options.containerId})` : "";
    throw new GtmExportError(
      `${file}: the exported container${what ? ` (${what})` : ""} is a ${usageLabel(container.usageContext)} container, not a server container: the kit plans only against the environment's server container${wanted}. Fix: ${HINT}, from the server container`,
    );
  }
  const containerId = containerVersion.containerId ?? container?.containerId ?? "";
  // The exported version stands in for the live one (client check, publish comparison).
  return workspaceFromVersion(containerId, containerVersion);
}

function parse(content: unknown, file: string): unknown {
  if (typeof content !== "string") return content;
  const text = content.startsWith(BYTE_ORDER_MARK) ? content.slice(BYTE_ORDER_MARK.length) : content;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GtmExportError(
      `${file}: not a GTM container export: not valid JSON (${(error as Error).message}). Fix: ${HINT}`,
    );
  }
}

function exportedVersion(data: unknown, file: string): ContainerVersion {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new GtmExportError(
      `${file}: not a GTM container export: expected a JSON object with "exportFormatVersion" and "containerVersion" (got ${Array.isArray(data) ? "an array" : typeof data === "object" ? "null" : `a ${typeof data}`}). Fix: ${HINT}`,
    );
  }
  const record = data as Record<string, unknown>;
  const missing = ["exportFormatVersion", "containerVersion"].filter((key) => !(key in record));
  if (missing.length > 0) {
    throw new GtmExportError(
      `${file}: not a GTM container export: missing ${missing.map((k) => `"${k}"`).join(" and ")}. Fix: ${HINT}`,
    );
  }
  if (record.exportFormatVersion !== 2) {
    throw new GtmExportError(
      `${file}: unsupported GTM export: exportFormatVersion is ${JSON.stringify(record.exportFormatVersion)} (expected 2). Fix: ${HINT}`,
    );
  }
  const version = record.containerVersion;
  if (typeof version !== "object" || version === null || Array.isArray(version)) {
    throw new GtmExportError(
      `${file}: not a GTM container export: "containerVersion" is not an object. Fix: ${HINT}`,
    );
  }
  const containerVersion = version as ContainerVersion & Record<string, unknown>;
  for (const key of ENTITY_ARRAYS) {
    const value = containerVersion[key];
    if (value !== undefined && !Array.isArray(value)) {
      throw new GtmExportError(
        `${file}: malformed GTM export: "containerVersion.${key}" is not a list. Fix: ${HINT}`,
      );
    }
  }
  return containerVersion;
}
