/**
 * Drives the REAL `@googleapis/tagmanager` client (through `createGoogleapisGtmApi`) against the local
 * fake: proves the fake speaks the protocol the client sends and enforces the API's semantics.
 */
import { type GtmApi, GtmApiError, type Tag, type Trigger, type Variable } from "../../src/gtm/api";
import {
  buildTemplateData,
  TIKTOK_GALLERY_OWNER,
  TIKTOK_GALLERY_REPOSITORY,
  TIKTOK_GALLERY_SHA,
  TIKTOK_GALLERY_TEMPLATE_ID,
  TIKTOK_TAG_TYPE,
  TIKTOK_TEMPLATE_DISPLAY_NAME,
  TIKTOK_TEMPLATE_PARAMETER_KEYS,
  templateInfoId,
  templateParameterKeys,
} from "../../src/gtm/fake/gallery";
import { type FakeTagManager, matching, startFakeTagManager } from "../../src/gtm/fake/server";
import { createGoogleapisGtmApi } from "../../src/gtm/googleapis-api";

const TIKTOK = {
  owner: TIKTOK_GALLERY_OWNER,
  repository: TIKTOK_GALLERY_REPOSITORY,
  sha: TIKTOK_GALLERY_SHA,
};

let fake: FakeTagManager;
let api: GtmApi;
let containerPath: string;
let ws: string;

beforeAll(async () => {
  fake = await startFakeTagManager({ pageSize: 2 });
  api = createGoogleapisGtmApi({ rootUrl: fake.rootUrl });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  ({ containerPath, workspacePath: ws } = fake.state.createContainer({ accountId: "1", containerId: "2" }));
});

const purchaseTrigger = (name = "Purchase"): Trigger => ({
  name,
  type: "customEvent",
  customEventFilter: [
    {
      type: "equals",
      parameter: [
        { type: "template", key: "arg0", value: "{{_event}}" },
        { type: "template", key: "arg1", value: "purchase" },
      ],
    },
  ],
});

const constantVariable = (name: string, value: string) => ({
  name,
  type: "c",
  parameter: [{ type: "template", key: "value", value }],
});

async function rejection(promise: Promise<unknown>): Promise<GtmApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GtmApiError)) throw new Error(`expected a GtmApiError, got ${String(error)}`);
  return error;
}

async function tiktokTag(triggerId: string, parameters: Tag["parameter"] = []): Promise<Tag> {
  return api.create("tags", ws, {
    name: "TikTok - Purchase",
    type: TIKTOK_TAG_TYPE,
    firingTriggerId: [triggerId],
    parameter: [{ type: "template", key: "pixel_code", value: "C123" }, ...(parameters ?? [])],
  });
}

describe("protocol", () => {
  test("lists follow nextPageToken through every page", async () => {
    for (let i = 1; i <= 5; i++) await api.create("variables", ws, constantVariable(`Const ${i}`, String(i)));
    const variables = await api.list("variables", ws);
    expect(variables.map((v) => v.name)).toEqual(["Const 1", "Const 2", "Const 3", "Const 4", "Const 5"]);
    const listCalls = fake.requests.filter(matching("GET", `${ws}/variables`));
    expect(listCalls).toHaveLength(3);
    expect(listCalls.map((r) => r.query.pageToken !== undefined)).toEqual([false, true, true]);
  });

  test("an empty list answers without the array and the client copes", async () => {
    expect(await api.list("tags", ws)).toEqual([]);
  });

  test("responses carry ids, paths, fingerprints and the server defaults", async () => {
    const trigger = await api.create("triggers", ws, purchaseTrigger());
    const tag = await api.create("tags", ws, {
      name: "Hand-made",
      type: "sgtmgaaw",
      firingTriggerId: [String(trigger.triggerId)],
      fingerprint: "client-sent",
      path: "bogus",
    });
    expect(tag).toMatchObject({
      accountId: "1",
      containerId: "2",
      workspaceId: "1",
      path: `${ws}/tags/${tag.tagId}`,
      tagFiringOption: "oncePerEvent",
      consentSettings: { consentStatus: "notSet" },
      monitoringMetadata: { type: "map" },
    });
    expect(tag.fingerprint).toMatch(/^\d+$/);
    expect(tag.tagId).not.toBe(trigger.triggerId);
    const variable = await api.create("variables", ws, constantVariable("Const", "x"));
    expect(variable.formatValue).toEqual({});
  });

  test("built-in variables are enabled with a repeated type parameter", async () => {
    const enabled = await api.enableBuiltInVariables(ws, ["eventName", "clientName"]);
    expect(enabled.map((v) => v.type)).toEqual(["eventName", "clientName"]);
    expect(fake.requests.find(matching("POST", `${ws}/built_in_variables`))?.query.type).toEqual([
      "eventName",
      "clientName",
    ]);
    const listed = await api.listBuiltInVariables(ws);
    expect(listed.map((v) => [v.type, v.name])).toEqual([
      ["eventName", "Event Name"],
      ["clientName", "Client Name"],
    ]);
    expect((await rejection(api.enableBuiltInVariables(ws, ["noSuchVariable"]))).status).toBe(400);
  });

  test("unknown routes answer a Google-style 404", async () => {
    const res = await fetch(`${fake.rootUrl}tagmanager/v2/accounts/1/containers/2/frobnicate`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      error: { code: 404, status: "NOT_FOUND", errors: [{ reason: "notFound" }] },
    });
  });
});

describe("entity semantics", () => {
  test("update is a full replace: omitted fields are gone", async () => {
    const created = await api.create("variables", ws, {
      ...constantVariable("Const", "a"),
      notes: "keep me?",
    });
    const updated = await api.update(
      "variables",
      String(created.path),
      constantVariable("Const", "b"),
      String(created.fingerprint),
    );
    expect(updated.notes).toBeUndefined();
    expect(updated.parameter?.[0].value).toBe("b");
    expect(updated.fingerprint).not.toBe(created.fingerprint);
  });

  test("a stale fingerprint is rejected with a message about the fingerprint", async () => {
    const created = await api.create("variables", ws, constantVariable("Const", "a"));
    await api.update(
      "variables",
      String(created.path),
      constantVariable("Const", "b"),
      String(created.fingerprint),
    );
    const error = await rejection(
      api.update(
        "variables",
        String(created.path),
        constantVariable("Const", "c"),
        String(created.fingerprint),
      ),
    );
    expect(error.status).toBe(409);
    expect(error.message).toMatch(/fingerprint/i);
    expect(error.method).toBe("PUT");
    expect(error.path).toBe(created.path);
  });

  test.each([0, 2])("a customEvent trigger with %i customEventFilter entries is rejected", async (count) => {
    const filter = purchaseTrigger().customEventFilter?.[0] ?? {};
    const error = await rejection(
      api.create("triggers", ws, { ...purchaseTrigger(), customEventFilter: Array(count).fill(filter) }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/customEventFilter/);
  });

  test("names are unique per kind, parameter values must be strings, trigger ids must exist", async () => {
    await api.create("triggers", ws, purchaseTrigger());
    expect((await rejection(api.create("triggers", ws, purchaseTrigger()))).reasons).toEqual(["duplicate"]);
    const numeric = { name: "N", type: "c", parameter: [{ type: "template", key: "value", value: 5 }] };
    expect((await rejection(api.create("variables", ws, numeric as never))).status).toBe(400);
    const orphan = await rejection(
      api.create("tags", ws, { name: "T", type: "sgtmgaaw", firingTriggerId: ["999"] }),
    );
    expect(orphan.message).toMatch(/firingTriggerId/);
  });

  test("a cvt_ tag is rejected until its gallery template is imported", async () => {
    const trigger = await api.create("triggers", ws, purchaseTrigger());
    const before = await rejection(tiktokTag(String(trigger.triggerId)));
    expect(before.status).toBe(400);
    expect(before.message).toContain("vendorTemplate.key: Unknown entity type");
    await api.importTemplateFromGallery(ws, TIKTOK);
    const tag = await tiktokTag(String(trigger.triggerId));
    expect(tag.type).toBe(`cvt_${TIKTOK_GALLERY_TEMPLATE_ID}`);
    const badKey = await rejection(
      api.update(
        "tags",
        String(tag.path),
        { ...tag, parameter: [{ type: "template", key: "pixel_id", value: "x" }] },
        String(tag.fingerprint),
      ),
    );
    expect(badKey.message).toMatch(/pixel_id/);
  });
});

describe("gallery import", () => {
  test("a template created from raw data is addressed as cvt_<containerId>_<templateId>", async () => {
    const raw = buildTemplateData({ id: "cvt_temp_public_id", displayName: "Mine", fields: [] });
    const template = fake.state.create(ws, "templates", { name: "Mine", templateData: raw });
    const trigger = await api.create("triggers", ws, purchaseTrigger());
    const tag = {
      name: "Mine",
      type: `cvt_2_${template.templateId}`,
      firingTriggerId: [String(trigger.triggerId)],
    };
    expect((await api.create("tags", ws, tag)).type).toBe(`cvt_2_${template.templateId}`);
    expect((await rejection(api.remove("triggers", String(trigger.path)))).status).toBe(400);
  });

  test("returns the template with its gallery id in ___INFO___ and a galleryReference", async () => {
    const template = await api.importTemplateFromGallery(ws, TIKTOK);
    expect(template.name).toBe(TIKTOK_TEMPLATE_DISPLAY_NAME);
    expect(templateInfoId(String(template.templateData))).toBe(`cvt_${TIKTOK_GALLERY_TEMPLATE_ID}`);
    expect(templateParameterKeys(String(template.templateData))?.sort()).toEqual(
      [...TIKTOK_TEMPLATE_PARAMETER_KEYS].sort(),
    );
    expect(template.galleryReference).toMatchObject({
      host: "github.com",
      owner: "tiktok",
      repository: "gtm-template-eapi",
      version: TIKTOK_GALLERY_SHA,
      galleryTemplateId: TIKTOK_GALLERY_TEMPLATE_ID,
      isModified: false,
    });
    expect(template.galleryReference?.signature).toBeTruthy();
    expect(await api.listTemplates(ws)).toHaveLength(1);
  });

  test("a second import of the same repository fails with a duplicate name", async () => {
    await api.importTemplateFromGallery(ws, TIKTOK);
    const error = await rejection(api.importTemplateFromGallery(ws, TIKTOK));
    expect(error.status).toBe(400);
    expect(error.reasons).toEqual(["duplicate"]);
  });

  test("unknown coordinates and a missing acknowledgePermissions fail", async () => {
    expect((await rejection(api.importTemplateFromGallery(ws, { ...TIKTOK, owner: "nobody" }))).status).toBe(
      404,
    );
    expect(
      (await rejection(api.importTemplateFromGallery(ws, { ...TIKTOK, sha: "0".repeat(40) }))).status,
    ).toBe(404);
    const query = `galleryOwner=${TIKTOK.owner}&galleryRepository=${TIKTOK.repository}&gallerySha=${TIKTOK.sha}`;
    const res = await fetch(`${fake.rootUrl}tagmanager/v2/${ws}/templates:import_from_gallery?${query}`, {
      method: "POST",
    });
    expect(res.status).toBe(400);
  });
});

describe("workspaces and versions", () => {
  test("a container holds at most 3 workspaces", async () => {
    await api.createWorkspace(containerPath, "second", "");
    await api.createWorkspace(containerPath, "third", "");
    const error = await rejection(api.createWorkspace(containerPath, "fourth", ""));
    expect(error.status).toBe(400);
    expect((await api.listWorkspaces(containerPath)).map((w) => w.name)).toEqual([
      "Default Workspace",
      "second",
      "third",
    ]);
  });

  test("create_version consumes the workspace and returns a fresh one with the same contents", async () => {
    const trigger = await api.create("triggers", ws, purchaseTrigger());
    const response = await api.createVersion(ws, "v1", "first release");
    expect(response.compilerError).toBe(false);
    expect(response.containerVersion).toMatchObject({
      containerVersionId: "1",
      name: "v1",
      description: "first release",
    });
    expect(response.containerVersion?.trigger?.map((t) => t.name)).toEqual(["Purchase"]);
    const successor = String(response.newWorkspacePath);
    expect(successor).not.toBe(ws);
    expect((await rejection(api.list("triggers", ws))).status).toBe(404);
    expect((await api.list("triggers", successor)).map((t) => t.triggerId)).toEqual([trigger.triggerId]);
    expect((await api.listWorkspaces(containerPath)).map((w) => [w.path, w.name])).toEqual([
      [successor, "Default Workspace"],
    ]);
  });

  test("a compile problem answers 200 with compilerError and no version", async () => {
    fake.state.injectCompilerError(ws, "boom");
    const injected = await api.createVersion(ws, "v1", "");
    expect(injected).toMatchObject({ compilerError: true, compilerErrors: [{ errorMessage: "boom" }] });
    expect(injected.containerVersion).toBeUndefined();
    fake.state.clearCompilerErrors(ws);

    await api.create("variables", ws, constantVariable("Uses event", "{{Event Name}}"));
    const natural = await api.createVersion(ws, "v1", "");
    expect(natural.compilerError).toBe(true);
    expect(natural.compilerErrors?.[0].errorMessage).toContain("{{Event Name}}");
    expect(await api.getLatestVersionHeader(containerPath)).toBeUndefined();

    await api.enableBuiltInVariables(ws, ["eventName"]);
    expect((await api.createVersion(ws, "v1", "")).compilerError).toBe(false);
  });

  test("publish makes a version live", async () => {
    expect(await api.getLiveVersion(containerPath)).toBeUndefined();
    expect(await api.getLatestVersionHeader(containerPath)).toBeUndefined();
    fake.state.seedClient(ws, { name: "GA4", type: "gaaw_client" });
    const { containerVersion } = await api.createVersion(ws, "v1", "");
    const versionPath = String(containerVersion?.path);
    expect((await api.getLatestVersionHeader(containerPath))?.containerVersionId).toBe("1");
    const stale = await rejection(api.publishVersion(versionPath, "123"));
    expect(stale.status).toBe(409);
    const published = await api.publishVersion(versionPath, String(containerVersion?.fingerprint));
    expect(published.containerVersionId).toBe("1");
    const live = await api.getLiveVersion(containerPath);
    expect(live?.containerVersionId).toBe("1");
    expect(live?.client?.map((c) => [c.name, c.type])).toEqual([["GA4", "gaaw_client"]]);
    expect((await api.getVersion(versionPath)).name).toBe("v1");
  });

  test("status reports changes relative to the workspace's base version", async () => {
    const keep = await api.create("variables", ws, constantVariable("Keep", "1"));
    const change = await api.create("variables", ws, constantVariable("Change", "1"));
    const drop = await api.create("variables", ws, constantVariable("Drop", "1"));
    const { newWorkspacePath } = await api.createVersion(ws, "v1", "");
    const next = String(newWorkspacePath);
    expect((await api.getWorkspaceStatus(next)).workspaceChange ?? []).toEqual([]);

    const pathIn = (path: unknown) => String(path).replace(ws, next);
    await api.update(
      "variables",
      pathIn(change.path),
      constantVariable("Change", "2"),
      String(change.fingerprint),
    );
    await api.remove("variables", pathIn(drop.path));
    await api.create("variables", next, constantVariable("New", "1"));
    await api.enableBuiltInVariables(next, ["clientName"]);
    const status = await api.getWorkspaceStatus(next);
    const summary = (status.workspaceChange ?? []).map((c) => [
      c.changeStatus,
      c.variable?.name ?? c.builtInVariable?.type,
    ]);
    expect(summary).toEqual([
      ["updated", "Change"],
      ["added", "New"],
      ["deleted", "Drop"],
      ["added", "clientName"],
    ]);
    expect(summary.flat()).not.toContain(keep.name);
    expect(status.mergeConflict ?? []).toEqual([]);
  });
});

describe("a workspace behind the latest version", () => {
  /** Version 1 holds the variables Keep and Edit; `kit` is a second workspace made from it. */
  async function twoWorkspaces() {
    await api.create("variables", ws, constantVariable("Keep", "1"));
    await api.create("variables", ws, constantVariable("Edit", "1"));
    const { newWorkspacePath } = await api.createVersion(ws, "v1", "");
    const kit = String((await api.createWorkspace(containerPath, "kit", "")).path);
    return { other: String(newWorkspacePath), kit };
  }
  /** Sets the constant "Edit" of a workspace to `value`. */
  const setEdit = async (workspace: string, value: string) => {
    const current = fake.state.list(workspace, "variables").find((v) => v.name === "Edit") as Variable;
    await api.update(
      "variables",
      String(current.path),
      constantVariable("Edit", value),
      String(current.fingerprint),
    );
  };
  const publishFrom = async (workspace: string, name: string) => {
    const { containerVersion } = await api.createVersion(workspace, name, "");
    await api.publishVersion(String(containerVersion?.path));
    return containerVersion;
  };

  test("status does not show what a newer version changed; sync merges it in", async () => {
    const { other, kit } = await twoWorkspaces();
    await api.create("variables", kit, constantVariable("Mine", "1"));
    await api.create("variables", other, constantVariable("Theirs", "1"));
    await publishFrom(other, "v2");

    const before = await api.getWorkspaceStatus(kit);
    expect((before.workspaceChange ?? []).map((c) => [c.changeStatus, c.variable?.name])).toEqual([
      ["added", "Mine"],
    ]);
    const synced = await api.syncWorkspace(kit);
    expect(synced.syncStatus).toEqual({ mergeConflict: false, syncError: false });
    expect(fake.state.list(kit, "variables").map((v) => v.name)).toEqual(["Keep", "Edit", "Mine", "Theirs"]);
    const after = await api.getWorkspaceStatus(kit);
    expect((after.workspaceChange ?? []).map((c) => c.variable?.name)).toEqual(["Mine"]);
  });

  test("create_version syncs a workspace that is behind: nothing a newer version changed is reverted", async () => {
    const { other, kit } = await twoWorkspaces();
    await api.create("variables", kit, constantVariable("Mine", "1"));
    await api.create("variables", other, constantVariable("Theirs", "1"));
    await publishFrom(other, "v2");
    const version = await publishFrom(kit, "v3");
    expect(version?.variable?.map((v) => v.name).sort()).toEqual(["Edit", "Keep", "Mine", "Theirs"]);
  });

  test("with behindOnCreateVersion as-is, create_version reverts what a newer version changed", async () => {
    const asIs = await startFakeTagManager({ behindOnCreateVersion: "as-is" });
    try {
      const c = asIs.state.createContainer({ accountId: "1", containerId: "2" });
      asIs.state.create(c.workspacePath, "variables", constantVariable("Keep", "1"));
      const first = asIs.state.createVersion(c.workspacePath, { name: "v1" });
      const kit = String(asIs.state.createWorkspace(c.containerPath, { name: "kit" }).path);
      asIs.state.create(String(first.newWorkspacePath), "variables", constantVariable("Theirs", "1"));
      asIs.state.createVersion(String(first.newWorkspacePath), { name: "v2" });
      const reverted = asIs.state.createVersion(kit, { name: "v3" }).containerVersion;
      expect(reverted?.variable?.map((v) => v.name)).toEqual(["Keep"]);
    } finally {
      await asIs.close();
    }
  });

  test("different edits of one entity on both sides are a merge conflict that blocks create_version", async () => {
    const { other, kit } = await twoWorkspaces();
    await setEdit(kit, "mine");
    await setEdit(other, "theirs");
    await publishFrom(other, "v2");

    const synced = await api.syncWorkspace(kit);
    expect(synced.syncStatus?.mergeConflict).toBe(true);
    expect(synced.mergeConflict?.map((c) => c.entityInWorkspace?.variable?.name)).toEqual(["Edit"]);
    expect((await api.getWorkspaceStatus(kit)).mergeConflict).toHaveLength(1);
    const refused = await api.createVersion(kit, "v3", "");
    expect(refused.syncStatus?.mergeConflict).toBe(true);
    expect(refused.containerVersion).toBeUndefined();

    // Writing the entity again resolves the conflict with the workspace's side.
    await setEdit(kit, "both");
    expect((await api.getWorkspaceStatus(kit)).mergeConflict ?? []).toEqual([]);
    expect((await api.createVersion(kit, "v3", "")).containerVersion).toBeDefined();
  });

  test("the same name added on both sides is a conflict too", async () => {
    const { other, kit } = await twoWorkspaces();
    await api.create("variables", kit, constantVariable("Twice", "mine"));
    await api.create("variables", other, constantVariable("Twice", "theirs"));
    await publishFrom(other, "v2");
    expect((await api.syncWorkspace(kit)).syncStatus?.mergeConflict).toBe(true);
    expect(fake.state.list(kit, "variables").filter((v) => v.name === "Twice")).toHaveLength(1);
  });
});

describe("workspace names, descriptions and the first workspace", () => {
  test("a workspace's name and description are replaced with PUT, guarded by its fingerprint", async () => {
    const created = await api.createWorkspace(containerPath, "kit", "first");
    const stale = await rejection(
      api.updateWorkspace(String(created.path), { name: "kit", description: "x" }, "123"),
    );
    expect(stale.status).toBe(409);
    const updated = await api.updateWorkspace(
      String(created.path),
      { name: "kit", description: "second" },
      String(created.fingerprint),
    );
    expect(updated.description).toBe("second");
    expect(updated.fingerprint).not.toBe(created.fingerprint);
    expect((await api.getWorkspace(String(created.path))).description).toBe("second");
  });

  test("names are unique per container unless the fake is told otherwise", async () => {
    await api.createWorkspace(containerPath, "kit", "");
    const error = await rejection(api.createWorkspace(containerPath, "kit", ""));
    expect(error.status).toBe(400);
    expect(error.message).toContain("duplicate name");

    const loose = await startFakeTagManager({ uniqueWorkspaceNames: false });
    try {
      const c = loose.state.createContainer({ accountId: "1", containerId: "2" });
      loose.state.createWorkspace(c.containerPath, { name: "kit" });
      loose.state.createWorkspace(c.containerPath, { name: "kit" });
      expect(loose.state.listWorkspaces(c.containerPath).map((w) => w.name)).toEqual([
        "Default Workspace",
        "kit",
        "kit",
      ]);
    } finally {
      await loose.close();
    }
  });

  test("until the first version, every new workspace holds the container's default client as an addition", async () => {
    fake.reset();
    const c = fake.state.createContainer({
      accountId: "1",
      containerId: "2",
      firstWorkspaceClients: [{ name: "GA4", type: "gaaw_client" }],
    });
    const kit = String((await api.createWorkspace(c.containerPath, "kit", "")).path);
    const status = await api.getWorkspaceStatus(kit);
    expect((status.workspaceChange ?? []).map((e) => [e.changeStatus, e.client?.name])).toEqual([
      ["added", "GA4"],
    ]);
    const clientIds = [c.workspacePath, kit].map((w) => fake.state.list(w, "clients")[0]?.clientId);
    expect(clientIds[0]).toBe(clientIds[1]);
    // Versioned from one workspace, the other merges it without a conflict.
    const { containerVersion } = await api.createVersion(kit, "v1", "");
    expect(containerVersion?.client?.map((cl) => cl.name)).toEqual(["GA4"]);
    expect((await api.syncWorkspace(c.workspacePath)).syncStatus?.mergeConflict).toBe(false);
    const later = String((await api.createWorkspace(c.containerPath, "later", "")).path);
    expect((await api.getWorkspaceStatus(later)).workspaceChange ?? []).toEqual([]);
  });
});

describe("injected faults surface as GtmApiError", () => {
  test.each([
    ["429", 429, ["rateLimitExceeded"]],
    ["403-rate", 403, ["rateLimitExceeded"]],
    ["500", 500, ["backendError"]],
  ] as const)("%s", async (kind, status, reasons) => {
    fake.faults.push({ match: matching("GET", `${ws}/tags`), kind });
    const error = await rejection(api.list("tags", ws));
    expect(error).toMatchObject({ status, reasons, method: "GET", path: `${ws}/tags` });
    // The client's own retries are off: exactly one request reached the server.
    expect(fake.requests.filter(matching("GET", `${ws}/tags`))).toHaveLength(1);
    expect(await api.list("tags", ws)).toEqual([]);
  });

  test("a dropped connection has no status", async () => {
    fake.faults.push({ match: matching("PUT", /\/variables\/\d+$/), kind: "drop" });
    const created = await api.create("variables", ws, constantVariable("Const", "a"));
    const error = await rejection(
      api.update(
        "variables",
        String(created.path),
        constantVariable("Const", "b"),
        String(created.fingerprint),
      ),
    );
    expect(error.status).toBeUndefined();
    expect(error.reasons).toEqual([]);
    expect((await api.list("variables", ws))[0].parameter?.[0].value).toBe("a");
  });

  test("drop-after-commit loses the answer but keeps the write", async () => {
    fake.faults.push({ match: matching("POST", `${ws}/triggers`), kind: "drop-after-commit" });
    const error = await rejection(api.create("triggers", ws, purchaseTrigger()));
    expect(error.status).toBeUndefined();
    expect((await api.list("triggers", ws)).map((t) => t.name)).toEqual(["Purchase"]);
    expect(fake.requests.filter((r) => r.fault === "drop-after-commit")).toHaveLength(1);
  });

  test("a fault with times hits that many matching requests, then goes away", async () => {
    fake.faults.push({ kind: "500", times: 2 });
    expect((await rejection(api.listWorkspaces(containerPath))).status).toBe(500);
    expect((await rejection(api.listWorkspaces(containerPath))).status).toBe(500);
    expect(await api.listWorkspaces(containerPath)).toHaveLength(1);
    expect(fake.faults).toHaveLength(0);
  });
});
