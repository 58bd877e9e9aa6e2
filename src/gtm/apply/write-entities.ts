/**
 * The entity writes of an apply: the plan's creates, updates and deletes of variables, triggers and
 * tags, in plan order (dependencies first). When it saves calls they go in one `bulk_update` request
 * (new entities carry the ids `new_1`, `new_2`, ... that tags use for triggers created in the same
 * call). Its real behaviour is unverified (docs/facts/gtm-api-v2.md#protocol), so the result is read
 * back and planned again: whatever is still missing, and everything when the call is refused, is
 * written one by one. Each write is guarded by the fingerprint read with the plan.
 */
import type { EnvironmentConfig } from "../../config/model";
import type { EntityKind, GtmApi, Trigger, WorkspaceEntity } from "../core/api";
import { GtmApiError } from "../core/api";
import type { ApplyProgress } from "../core/progress";
import { type ApplyBindings, apiBodyOf } from "../model/api-body";
import { desiredContainer } from "../model/desired";
import { plan as planChanges } from "../plan";
import type { ActualWorkspace } from "../plan/actual";
import type { PlanChange } from "../plan/types";
import { SYMBOL } from "../render";
import { refused } from "./refusals";

const PLURAL: Readonly<Record<PlanChange["kind"], EntityKind>> = {
  variable: "variables",
  trigger: "triggers",
  tag: "tags",
};

const ID_FIELD: Readonly<Record<PlanChange["kind"], string>> = {
  variable: "variableId",
  trigger: "triggerId",
  tag: "tagId",
};

export type EntityBindings = ApplyBindings & { readonly triggerIds: Map<string, string> };

export interface EntityWrites {
  readonly api: GtmApi;
  readonly env: EnvironmentConfig;
  readonly workspacePath: string;
  readonly changes: readonly PlanChange[];
  /** Trigger ids by name: the workspace's, then those this run creates. */
  readonly bindings: EntityBindings;
  /** The workspace as planned, plus what this run added before (the imported template, built-ins). */
  readonly actual: ActualWorkspace;
  /** Compares the token constant when the read-back is planned again. */
  readonly tokenHash?: string;
  readonly progress: ApplyProgress;
  /** Step numbers for progress: the first entity write's, and the apply's total. */
  readonly firstStep: number;
  readonly totalSteps: number;
}

/** How many progress steps the entity writes take: one bulk call, or one per change. */
export function entityWriteSteps(changes: readonly PlanChange[]): number {
  return worthBulk(changes) ? 1 : changes.length;
}

/**
 * One `bulk_update` saves calls only when the changes outnumber the call plus the lists that read it
 * back (one per kind it touches).
 */
export function worthBulk(changes: readonly PlanChange[]): boolean {
  return changes.length > 1 + kindsOf(changes).length;
}

/** Writes every change; returns the number of API calls that changed something. */
export async function writeEntityChanges(input: EntityWrites): Promise<number> {
  const { changes, progress } = input;
  if (!worthBulk(changes)) return writeOneByOne(input, changes, input.firstStep, input.totalSteps);
  progress.step(
    input.firstStep,
    input.totalSteps,
    `write ${changes.length} changes in one bulk_update (${describeKinds(changes)})`,
  );
  const bulk = await writeInBulk(input);
  if (bulk.remaining.length === 0) return bulk.writes;
  progress.note(`${bulk.why}: writing ${bulk.remaining.length} change(s) one by one`);
  return bulk.writes + (await writeOneByOne(input, bulk.remaining, 1, bulk.remaining.length));
}

interface BulkOutcome {
  /** 1 when something went through, else 0. */
  readonly writes: number;
  /** What the workspace still lacks, as planned from the read-back (fresh paths and fingerprints). */
  readonly remaining: readonly PlanChange[];
  readonly why: string;
}

async function writeInBulk(input: EntityWrites): Promise<BulkOutcome> {
  const { api, workspacePath, changes } = input;
  // Placeholders go into a copy: should the call fail, the one-by-one writes need real ids.
  const placeholders = new Map(input.bindings.triggerIds);
  const entities = bulkEntities(changes, { ...input.bindings, triggerIds: placeholders });
  let why = "bulk_update left changes undone";
  let answered = true;
  try {
    await api.bulkUpdate(workspacePath, entities);
  } catch (error) {
    answered = false;
    if (!(error instanceof GtmApiError)) throw error;
    if (error.status === 409) {
      throw refused("entity-changed");
    }
    // Not there at all: nothing was written, no need to look.
    if (error.status === 404) return { writes: 0, remaining: changes, why: "bulk_update is not available" };
    // Refused, or no answer: whatever went through shows in the read-back.
    why = `bulk_update failed (${error.status ?? "no response"})`;
  }
  const remaining = await whatIsMissing(input);
  return { writes: answered || remaining.length < changes.length ? 1 : 0, remaining, why };
}

/** The plan's changes as bulk_update entities, creates with placeholder ids tags can reference. */
function bulkEntities(changes: readonly PlanChange[], bindings: EntityBindings): WorkspaceEntity[] {
  let placeholder = 0;
  return changes.map((change): WorkspaceEntity => {
    if (change.action === "delete") {
      const { path, fingerprint } = locate(change);
      return { changeStatus: "deleted", [change.kind]: { path, ...(fingerprint ? { fingerprint } : {}) } };
    }
    const body = apiBodyOf(change, bindings);
    if (change.action === "update") {
      const { path, fingerprint } = locate(change);
      return { changeStatus: "updated", [change.kind]: { ...body, path, fingerprint } };
    }
    const id = `new_${++placeholder}`;
    if (change.kind === "trigger") bindings.triggerIds.set(change.name, id);
    return { changeStatus: "added", [change.kind]: { ...body, [ID_FIELD[change.kind]]: id } };
  });
}

/**
 * Reads back the kinds the changes touched and plans against them: the changes still to make. Each
 * must be one the reviewed plan holds; anything else means the workspace is not what was reviewed.
 */
async function whatIsMissing(input: EntityWrites): Promise<readonly PlanChange[]> {
  const { api, workspacePath, changes, actual } = input;
  const touched = new Set(kindsOf(changes));
  const read = async <K extends EntityKind>(kind: K) =>
    touched.has(kind) ? api.list(kind, workspacePath) : undefined;
  const variables = (await read("variables")) ?? actual.variables;
  const triggers = ((await read("triggers")) ?? actual.triggers) as Trigger[];
  const tags = (await read("tags")) ?? actual.tags;
  for (const trigger of triggers) {
    if (trigger.name && trigger.triggerId) input.bindings.triggerIds.set(trigger.name, trigger.triggerId);
  }
  const replanned = planChanges(
    desiredContainer(input.env),
    { ...actual, variables, triggers, tags },
    { tokenHash: input.tokenHash },
  );
  const planned = new Set(changes.map((c) => `${c.kind} ${c.name}`));
  const unexpected = replanned.changes.filter((c) => !planned.has(`${c.kind} ${c.name}`));
  if (unexpected.length > 0) {
    throw refused(
      "unplanned-differences",
      unexpected.map((c) => `${c.kind} "${c.name}"`),
    );
  }
  return replanned.changes;
}

async function writeOneByOne(
  input: EntityWrites,
  changes: readonly PlanChange[],
  firstStep: number,
  totalSteps: number,
): Promise<number> {
  let step = firstStep;
  for (const change of changes) {
    input.progress.step(step++, totalSteps, `${SYMBOL[change.action]} ${change.kind} ${change.name}`);
    await writeChange(input.api, input.workspacePath, change, input.bindings);
  }
  return changes.length;
}

export async function writeChange(
  api: GtmApi,
  workspacePath: string,
  change: PlanChange,
  bindings: EntityBindings,
): Promise<void> {
  const kind = PLURAL[change.kind];
  if (change.action === "delete") return api.remove(kind, locate(change).path);
  const body = apiBodyOf(change, bindings);
  try {
    if (change.action === "create") {
      const created = await api.create(kind, workspacePath, body);
      const triggerId = "triggerId" in created ? created.triggerId : undefined;
      // Tags created later in this run fire on this trigger: learn its id.
      if (change.kind === "trigger" && created.name && triggerId)
        bindings.triggerIds.set(created.name, triggerId);
    } else {
      const { path, fingerprint } = locate(change);
      await api.update(kind, path, body, fingerprint ?? "");
    }
  } catch (error) {
    if (error instanceof GtmApiError && error.status === 409) {
      throw refused("entity-changed", change);
    }
    throw error;
  }
}

/** The API path of an update or delete: a plan computed from a UI export has none and cannot be applied. */
function locate(change: {
  readonly kind: string;
  readonly name: string;
  readonly path?: string;
  readonly fingerprint?: string;
}) {
  if (!change.path) {
    throw refused("no-api-path", change.kind, change.name);
  }
  return { path: change.path, fingerprint: change.fingerprint };
}

function kindsOf(changes: readonly PlanChange[]): EntityKind[] {
  return [...new Set(changes.map((c) => PLURAL[c.kind]))];
}

function describeKinds(changes: readonly PlanChange[]): string {
  return kindsOf(changes)
    .map((kind) => `${changes.filter((c) => PLURAL[c.kind] === kind).length} ${kind}`)
    .join(", ");
}
