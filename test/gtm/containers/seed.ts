/**
 * The fake made to hold what an export holds (container kind, templates, variables, triggers, tags,
 * clients, built-ins, published as one version), and the check that a run wrote nothing the kit does
 * not own, read from the fake's request log.
 */
import type { EnvironmentConfig } from "../../../src/config/model";
import type { ContainerVersion, CustomTemplate } from "../../../src/gtm/core/api";
import { lowerCamelEnum } from "../../../src/gtm/core/normalize";
import { isOwnedBy } from "../../../src/gtm/core/ownership";
import { localTagType } from "../../../src/gtm/core/template-types";
import type { FakeTagManager, RecordedRequest } from "../../../src/gtm/fake";
import type { ExportFile } from "./exports";

export interface SeededExport {
  readonly containerPath: string;
  /** The Default Workspace after publishing (people's edits go there). */
  readonly workspacePath: string;
  readonly version: ContainerVersion;
}

/** UPPER_SNAKE enums of an export as the API writes them (lowerCamel), at any depth; ids and paths dropped. */
function apiShaped(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => apiShaped(v, key));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (["path", "accountId", "containerId", "fingerprint", "tagManagerUrl"].includes(k)) continue;
      out[k] = apiShaped(v, k);
    }
    return out;
  }
  const enumKeys = ["type", "tagFiringOption", "consentStatus"];
  return typeof value === "string" && enumKeys.includes(key) ? lowerCamelEnum(value) : value;
}

export function seedFromExport(fake: FakeTagManager, file: ExportFile): SeededExport {
  const cv = file.containerVersion;
  const container = cv.container ?? {};
  const { containerPath, workspacePath } = fake.state.createContainer({
    accountId: cv.accountId ?? "",
    containerId: cv.containerId ?? "",
    publicId: container.publicId ?? undefined,
    name: container.name ?? undefined,
    usageContext: (container.usageContext ?? ["server"]).map((u) => u.toLowerCase()),
  });
  const containerId = cv.containerId ?? "";
  // Templates get new ids here: tags and clients of the local form follow them.
  const typeMap = new Map<string, string>();
  for (const template of cv.customTemplate ?? []) {
    const created = fake.state.create(workspacePath, "templates", {
      name: template.name,
      templateData: template.templateData,
      ...(template.galleryReference ? { galleryReference: template.galleryReference } : {}),
    }) as CustomTemplate;
    const before = localTagType(template, containerId);
    const after = localTagType(created, containerId);
    if (before && after) typeMap.set(before, after);
  }
  const mapType = (type: string | null | undefined) => typeMap.get(type ?? "") ?? type ?? undefined;
  for (const variable of cv.variable ?? []) {
    const { variableId: _id, ...body } = apiShaped(variable) as typeof variable;
    fake.state.create(workspacePath, "variables", body);
  }
  const triggerIds = new Map<string, string>();
  for (const trigger of cv.trigger ?? []) {
    const { triggerId, ...body } = apiShaped(trigger) as typeof trigger;
    const created = fake.state.create(workspacePath, "triggers", body);
    triggerIds.set(triggerId ?? "", created.triggerId ?? "");
  }
  for (const tag of cv.tag ?? []) {
    const { tagId: _id, ...body } = apiShaped(tag) as typeof tag;
    fake.state.create(workspacePath, "tags", {
      ...body,
      type: mapType(tag.type),
      ...(body.firingTriggerId
        ? { firingTriggerId: body.firingTriggerId.map((id) => triggerIds.get(id) ?? id) }
        : {}),
    });
  }
  for (const client of cv.client ?? []) {
    const { clientId: _id, ...body } = apiShaped(client) as typeof client;
    fake.state.seedClient(workspacePath, { ...body, type: mapType(client.type) });
  }
  const builtIns = (cv.builtInVariable ?? []).map((b) => lowerCamelEnum(b.type ?? ""));
  if (builtIns.length > 0) fake.state.enableBuiltInVariables(workspacePath, builtIns);
  const seeded = fake.state.seedPublishedVersion(workspacePath, cv.name ?? "Seeded from an export");
  return { containerPath, workspacePath: seeded.workspacePath, version: seeded.version };
}

const ENTITY_PATH = /\/workspaces\/(\d+)\/(tags|triggers|variables|templates|clients)(?:\/(\d+))?$/;

/**
 * Every write of the request log since `since` that touches something the kit does not own, in words:
 * an entity it did not make (by the ids of `before`, the version the run started from), a workspace it
 * did not create, a template or client written, a create without the stack's marker. Empty when the
 * run wrote only what is the kit's.
 */
export function foreignWrites(
  fake: FakeTagManager,
  env: EnvironmentConfig,
  since: number,
  before: ContainerVersion,
  workspacesBefore: readonly string[],
): string[] {
  const stack = env.stackName;
  const entities = [...(before.tag ?? []), ...(before.trigger ?? []), ...(before.variable ?? [])];
  const handMade = new Set(
    entities
      .filter((e) => !isOwnedBy(e, stack))
      .map((e) =>
        "tagId" in e ? e.tagId : "triggerId" in e ? e.triggerId : (e as { variableId?: string }).variableId,
      ),
  );
  for (const other of [...(before.customTemplate ?? []), ...(before.client ?? [])]) {
    handMade.add("templateId" in other ? other.templateId : (other as { clientId?: string }).clientId);
  }
  const foreign: string[] = [];
  const say = (request: RecordedRequest, why: string) =>
    foreign.push(`${request.method} ${request.path}: ${why}`);
  const containerPath = `accounts/${env.gtm.accountId}/containers/${env.gtm.containerId}`;
  for (const request of fake.requests.slice(since).filter((r) => r.method !== "GET")) {
    const { method, path } = request;
    const body = (request.body ?? {}) as {
      name?: string;
      notes?: string;
      changes?: { tag?: object; trigger?: object; variable?: object; path?: string }[];
    };
    if (path === `${containerPath}/workspaces`) {
      if (body.name !== env.gtm.workspace) say(request, `creates workspace "${body.name}"`);
      continue;
    }
    if (/\/versions\/\d+:publish$/.test(path)) continue;
    const workspace = /^(accounts\/\d+\/containers\/\d+\/workspaces\/\d+)/.exec(path)?.[1];
    if (!workspace) {
      say(request, "outside any workspace");
      continue;
    }
    if (workspacesBefore.includes(workspace)) {
      say(request, "in a workspace the kit did not create");
      continue;
    }
    const entity = ENTITY_PATH.exec(path);
    if (entity) {
      const [, , kind, id] = entity;
      if (kind === "templates" || kind === "clients") say(request, `writes a ${kind.slice(0, -1)}`);
      else if (id && handMade.has(id))
        say(request, `${method === "DELETE" ? "deletes" : "writes"} hand-made ${kind.slice(0, -1)} ${id}`);
      else if (method !== "DELETE" && !isOwnedBy(body, stack))
        say(request, "writes an entity without the stack's marker");
      continue;
    }
    if (path.endsWith("/bulk_update")) {
      for (const change of body.changes ?? []) {
        const written = change.tag ?? change.trigger ?? change.variable;
        const id = /\/(\d+)$/.exec(
          change.path ?? (written as { path?: string } | undefined)?.path ?? "",
        )?.[1];
        if (id && handMade.has(id)) say(request, `bulk-updates hand-made entity ${id}`);
        else if (written && "name" in written && !isOwnedBy(written as { notes?: string }, stack))
          say(request, "bulk-writes an entity without the stack's marker");
      }
      continue;
    }
    const allowed = [
      /:create_version$/,
      /:sync$/,
      /\/templates:import_from_gallery$/,
      /\/built_in_variables$/,
      /\/workspaces\/\d+$/,
    ];
    if (!allowed.some((pattern) => pattern.test(path)))
      say(request, "a write the kit has no business making");
  }
  return foreign;
}
