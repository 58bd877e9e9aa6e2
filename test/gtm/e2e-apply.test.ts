/**
 * End to end: plan and apply through the REAL `@googleapis/tagmanager` client against the local fake
 * Tag Manager API, from a container that already runs sGTM by hand (GA4 client, a hand-made tag and
 * trigger, version 1 live). Asserts what ends up in the fake, not what the kit says it did.
 *
 * The kit's workspace lives only while an apply runs: once everything in it is versioned the kit deletes
 * it, so between runs a plan reads the latest version, and people edit in the Default Workspace.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import type { EnvironmentConfig } from "../../src/config/model";
import { applyEnvironment } from "../../src/gtm/apply";
import { ApplyRefused } from "../../src/gtm/apply/refusals";
import { lockOf } from "../../src/gtm/apply/workspace-lock";
import { SecretValue } from "../../src/gtm/client/access-token";
import { SimulatedClock } from "../../src/gtm/client/resilient";
import type { CreateContainerVersionResponse, GtmApi, Tag, WorkspaceEntity } from "../../src/gtm/core/api";
import { ownershipMarker } from "../../src/gtm/core/ownership";
import { renderGtmExport } from "../../src/gtm/export";
import {
  buildTemplateData,
  type FakeTagManager,
  type GalleryEntry,
  matching,
  type RecordedRequest,
  startFakeTagManager,
  TIKTOK_GALLERY_ENTRY,
  TIKTOK_TEMPLATE_FIELDS,
  templateInfoId,
} from "../../src/gtm/fake";
import type { DemoContainer } from "../../src/gtm/fake/seed";
import { desiredContainer } from "../../src/gtm/model/desired";
import { ACCESS_TOKEN_VARIABLE, PIXEL_ID_VARIABLE } from "../../src/gtm/model/names";
import type { Plan } from "../../src/gtm/plan/types";
import { renderJson, renderMarkdown, renderText } from "../../src/gtm/render";
import { problemMessage } from "../../src/gtm/render/wording";
import {
  applyWith,
  BIG_PAGE,
  changeByHand,
  connect,
  containerPathOf,
  content,
  createKitWorkspaceByHand,
  DEFAULT_WORKSPACE,
  describeRequests,
  diesBeforeDeletingWorkspace,
  duplicateNames,
  findWorkspacePath,
  handMadeTikTokPurchase,
  interrupting,
  kitEntities,
  kitWorkspacePath,
  liveVersion,
  planWith,
  planWithoutToken,
  productionEnv,
  rejectionOf,
  seed,
  startFake,
  TOKEN,
  TOKEN_VALUE,
  workspaceContents,
  workspaceNames,
  workspaceOfStoppedRun,
  writesSince,
} from "./e2e-helpers";
import { loadEnv, productionWith, TOKEN_SENTINEL } from "./fixtures";

let fake: FakeTagManager;
let env: EnvironmentConfig;
let demo: DemoContainer;
let api: GtmApi;

beforeAll(async () => {
  fake = await startFake();
  env = productionEnv();
});
afterAll(() => fake.close());
beforeEach(() => {
  demo = seed(fake, env);
  api = connect(fake);
});

/** The hand-made entities of the live version, as stored (fingerprints included). */
function handMade(): { tag?: Tag; trigger?: unknown; client?: unknown } {
  const live = liveVersion(fake, env);
  return {
    tag: content(live.tag?.find((t) => t.name === demo.handMadeTagName)),
    trigger: content(live.trigger?.find((t) => t.name === demo.handMadeTriggerName)),
    client: content(live.client?.find((c) => c.name === "GA4")),
  };
}

/** Adds entities in the Default Workspace and publishes them, as a person working in the GTM UI would. */
function publishByHand(build: (workspacePath: string) => void): void {
  changeByHand(fake, env, build);
}

/** A tag of a workspace (the kit's by default) whose name matches. */
function kitTag(name: RegExp, workspacePath = kitWorkspacePath(fake, env)): Tag {
  const tag = fake.state.list(workspacePath, "tags").find((t) => name.test(t.name ?? ""));
  if (!tag) throw new Error(`no tag matching ${name}`);
  return tag;
}

/** A hand edit in the GTM UI of an owned tag: logType debug -> always. */
function handEditLogType(tag: Tag, logType = "always"): Tag {
  const parameter = (tag.parameter ?? []).map((p) => (p.key === "logType" ? { ...p, value: logType } : p));
  return fake.state.update(tag.path as string, { ...tag, parameter }, tag.fingerprint as string) as Tag;
}

/**
 * Drift where people actually edit: an owned tag's logType changed in the Default Workspace, then
 * versioned and (unless `publish` is false) published. Returns the tag as edited.
 */
function driftByHand(name: RegExp, options: { readonly publish?: boolean } = {}): Tag {
  let edited: Tag | undefined;
  changeByHand(
    fake,
    env,
    (ws) => {
      edited = handEditLogType(kitTag(name, ws));
    },
    options,
  );
  if (!edited) throw new Error("driftByHand: nothing edited");
  return edited;
}

/** `DELETE` of one of the container's workspaces, as `describeRequests` shows it. */
function deleteOfAWorkspace(): unknown {
  return expect.stringMatching(new RegExp(`^DELETE ${containerPathOf(env)}/workspaces/\\d+$`));
}

/** `api`, with every `create_version` answer kept (to know the `newWorkspacePath` the kit deletes). */
function keepingVersionAnswers(inner: GtmApi): { api: GtmApi; answers: CreateContainerVersionResponse[] } {
  const answers: CreateContainerVersionResponse[] = [];
  return {
    answers,
    api: {
      ...inner,
      createVersion: async (...args) => {
        const answer = await inner.createVersion(...args);
        answers.push(answer);
        return answer;
      },
    },
  };
}

describe("from a container set up by hand", () => {
  test("apply creates the workspace, imports the template, creates everything, versions, publishes and deletes the workspace", async () => {
    const before = handMade();
    const versioning = keepingVersionAnswers(api);
    const result = await applyWith(versioning.api, env);

    expect(result.workspaceCreated).toBe(true);
    expect(result.version).toBeDefined();
    expect(result.published).toBe(result.version?.id);
    const writes = describeRequests(writesSince(fake));
    const base = containerPathOf(env);
    const [versioned] = versioning.answers;
    const kitWorkspace = /^POST (.+):create_version$/.exec(writes.at(-3) ?? "")?.[1];
    expect(writes[0]).toBe(`POST ${base}/workspaces`);
    expect(writes[1]).toBe(`POST ${kitWorkspace}/templates:import_from_gallery`);
    expect(writes[2]).toBe(`POST ${kitWorkspace}/built_in_variables`);
    // Every entity in one request, then the version.
    expect(writes[3]).toBe(`POST ${kitWorkspace}/bulk_update`);
    expect(writes).toHaveLength(7);
    expect(writes.slice(-3)).toEqual([
      `POST ${kitWorkspace}:create_version`,
      `POST ${base}/versions/${result.version?.id}:publish`,
      // Last: the workspace create_version left behind, holding nothing unversioned.
      `DELETE ${versioned.newWorkspacePath}`,
    ]);
    expect(versioned.newWorkspacePath).toMatch(new RegExp(`^${base}/workspaces/\\d+$`));
    // Dependency order inside it: every variable before any trigger, every trigger before any tag.
    const bulk = fake.requests.find(matching("POST", `${kitWorkspace}/bulk_update`));
    const kinds = bulkChanges(bulk).map((c) => (c.variable ? "variables" : c.trigger ? "triggers" : "tags"));
    const desired = desiredContainer(env);
    expect(kinds).toHaveLength(desired.variables.length + desired.triggers.length + desired.tags.length);
    expect(kinds).toEqual([...kinds].sort((a, b) => order(a) - order(b)));
    expect(result.writes).toBe(writes.length);
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);

    const live = liveVersion(fake, env);
    expect(live.containerVersionId).toBe(result.published);
    const kit = kitEntities(live, env.stackName);
    expect(kit.variables.map((v) => v.name)).toEqual(desired.variables.map((v) => v.name).sort());
    expect(kit.triggers.map((t) => t.name)).toEqual(desired.triggers.map((t) => t.name).sort());
    expect(kit.tags.map((t) => t.name)).toEqual(desired.tags.map((t) => t.name).sort());
    expect(kit.builtIns).toEqual(expect.arrayContaining(["clientName", "eventName"]));

    // The tag type is the imported template's own id, and that is the gallery id the fake assigned.
    const template = live.customTemplate?.find((t) => t.galleryReference?.repository === "gtm-template-eapi");
    const importedType = templateInfoId(template?.templateData ?? "");
    expect(importedType).toBe("cvt_5TP8W");
    for (const tag of kit.tags) expect(tag.type).toBe(importedType);
    for (const trigger of kit.triggers) {
      expect(trigger.type).toBe("customEvent");
      expect(trigger.customEventFilter).toHaveLength(1);
    }
    expect(duplicateNames(live)).toEqual([]);

    expect(handMade()).toEqual(before);
    expect(before.tag?.fingerprint).toBeDefined();
  });

  test("the tag type follows the id the gallery gives the template (never hard-coded)", async () => {
    const gallery = [
      {
        ...TIKTOK_GALLERY_ENTRY,
        galleryTemplateId: "Q7Z3K",
        templateData: buildTemplateData({
          id: "cvt_Q7Z3K",
          displayName: TIKTOK_GALLERY_ENTRY.displayName,
          fields: TIKTOK_TEMPLATE_FIELDS,
        }),
      },
    ];
    const other = await startFakeWithGallery(gallery);
    try {
      seed(other, env);
      await applyWith(connect(other), env);
      const tags = kitEntities(liveVersion(other, env), env.stackName).tags;
      expect(tags.length).toBeGreaterThan(0);
      for (const tag of tags) expect(tag.type).toBe("cvt_Q7Z3K");
    } finally {
      await other.close();
    }
  });

  test("a TikTok template imported by hand is reused, not imported again", async () => {
    publishByHand((ws) => {
      fake.state.importFromGallery(ws, {
        owner: TIKTOK_GALLERY_ENTRY.owner,
        repository: TIKTOK_GALLERY_ENTRY.repository,
        acknowledgePermissions: true,
      });
    });
    const { plan } = await planWith(api, env);
    expect(plan.template).toMatchObject({ action: "reuse", tagType: "cvt_5TP8W" });
    await applyWith(api, env);
    expect(fake.requests.filter(matching("POST", /templates:import_from_gallery$/))).toEqual([]);
    const live = liveVersion(fake, env);
    expect(live.customTemplate).toHaveLength(1);
    for (const tag of kitEntities(live, env.stackName).tags) expect(tag.type).toBe("cvt_5TP8W");
  });
});

describe("the template's fields as GTM's tag editor shows them", () => {
  /** Plain and hashed user fields, content properties, Consent Mode v2 with undeclared states sent. */
  const FIELDS = productionWith(`  consent: ad-user-data-granted
  consentUndeclared: send
  events:
    purchase:
      value: { eventData: value }
      currency: { constant: EUR }
      contents: { eventData: tt_contents }
      contentType: product
      contentIds: { eventData: tt_content_ids }
      user:
        email: { eventData: user_data.email_address }
        phone: { eventData: user_data.phone_number }
    sign_up:
      event: CompleteRegistration
      user:
        sha256Email: { eventData: user_data.sha256_email_address }
    page_view: {}
`);

  test("the fake accepts every tag the kit writes, hash included, and a re-plan is clean", async () => {
    const rich = loadEnv(FIELDS);
    seed(fake, rich);
    await applyWith(api, rich);
    const tags = kitEntities(liveVersion(fake, rich), rich.stackName).tags;
    const hashOf = (ga4Event: string) =>
      tags.find((t) => t.name?.endsWith(`(${ga4Event})`))?.parameter?.find((p) => p.key === "hash")?.value;
    expect(hashOf("purchase")).toBe("non-hashed");
    expect(hashOf("sign_up")).toBe("hashed");
    expect(hashOf("page_view")).toBeUndefined();
    const { plan } = await planWith(api, rich);
    expect(plan.changes).toEqual([]);
    expect(plan.errors).toEqual([]);
    expect(plan.warnings.map((w) => w.code)).toEqual(["phone-not-normalised"]);
  });
});

describe("idempotence", () => {
  test("a second apply makes zero writes; the next plan has nothing to change or publish", async () => {
    await applyWith(api, env);
    const since = fake.requests.length;
    const again = await applyWith(api, env);
    expect(describeRequests(writesSince(fake, since))).toEqual([]);
    expect(again.writes).toBe(0);
    expect(again.workspaceCreated).toBe(false);
    expect(again.version).toBeUndefined();
    expect(again.published).toBeUndefined();
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);

    const { plan, refusals } = await planWith(api, env);
    expect(plan.hasChanges).toBe(false);
    expect(plan.changes).toEqual([]);
    expect(plan.publish.liveDiffers).toBe(false);
    expect(plan.token.status).toBe("unchanged");
    expect(refusals).toEqual([]);
  });

  test("a no-op plan makes 3 API calls (budget: 8): the workspace list, the live and the latest version", async () => {
    await applyWith(api, env);
    const since = fake.requests.length;
    const { plan, read } = await planWith(api, env);
    expect(plan.hasChanges).toBe(false);
    expect(plan.publish.liveDiffers).toBe(false);
    expect(read.workspace).toBeUndefined();
    const calls = describeRequests(fake.requests.slice(since));
    const base = containerPathOf(env);
    expect(calls).toEqual([
      `GET ${base}/workspaces`,
      `GET ${base}/versions:live`,
      `GET ${base}/version_headers:latest`,
    ]);
    expect(calls.length).toBeLessThanOrEqual(8);
  });

  test("with the workspace an interrupted run left behind its own version, a plan reads the latest version and apply removes it", async () => {
    await rejectionOf(applyWith(diesBeforeDeletingWorkspace(api), env));
    const left = kitWorkspacePath(fake, env);

    const since = fake.requests.length;
    const { plan, read, refusals, notes } = await planWith(api, env);
    // Made from the version before the one its run created: behind, so not built on.
    expect(read.workspace).toBeUndefined();
    expect(read.leftovers.map((l) => l.workspace.path)).toEqual([left]);
    expect(notes.join("\n")).toContain("apply removes it");
    expect(plan.hasChanges).toBe(false);
    expect(plan.publish.liveDiffers).toBe(false);
    expect(refusals).toEqual([]);
    const base = containerPathOf(env);
    expect(describeRequests(fake.requests.slice(since))).toEqual([
      `GET ${base}/workspaces`,
      `GET ${base}/version_headers:latest`,
      `GET ${left}/status`,
      `GET ${base}/versions:live`,
    ]);

    const before = fake.requests.length;
    const result = await applyWith(api, env);
    // Taken (its lock went stale), then removed.
    expect(describeRequests(writesSince(fake, before))).toEqual([`PUT ${left}`, `DELETE ${left}`]);
    expect(result).toMatchObject({ writes: 2, workspaceCreated: false });
    expect(result.version).toBeUndefined();
    expect(result.published).toBeUndefined();
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);
  });

  test("with lists paged by 2, a re-apply builds on an interrupted run's workspace without duplicates (9 calls to plan)", async () => {
    const paged = await startFake(2);
    try {
      seed(paged, env);
      const pagedApi = connect(paged);
      // Dies just before creating the version: its workspace holds every write, made from the latest version.
      const clean = interrupting(pagedApi);
      await applyWith(clean.api, env);
      seed(paged, env);
      const dying = interrupting(pagedApi, clean.writes.indexOf("createVersion") + 1);
      await rejectionOf(applyWith(dying.api, env));
      const left = kitWorkspacePath(paged, env);
      expect(duplicateNames(workspaceContents(paged, left))).toEqual([]);
      expect(kitEntities(workspaceContents(paged, left), env.stackName)).toEqual(await cleanKitEntities());

      const planning = paged.requests.length;
      const { read, plan } = await planWith(pagedApi, env);
      expect(read.workspace?.path).toBe(left);
      expect(plan.hasChanges).toBe(false);
      const planCalls = paged.requests.slice(planning).filter((r) => r.query.pageToken === undefined);
      expect(planCalls.every((r) => r.method === "GET")).toBe(true);
      expect(planCalls).toHaveLength(9);

      const since = paged.requests.length;
      const result = await applyWith(pagedApi, env);
      // Nothing re-created: take the workspace, version, publish, remove.
      expect(describeRequests(writesSince(paged, since))).toEqual([
        `PUT ${left}`,
        `POST ${left}:create_version`,
        `POST ${containerPathOf(env)}/versions/${result.version?.id}:publish`,
        expect.stringMatching(new RegExp(`^DELETE ${containerPathOf(env)}/workspaces/\\d+$`)),
      ]);
      // The re-apply read every list through several pages: a partial read would have planned creates.
      const pagedTagLists = paged.requests
        .slice(since)
        .filter((r) => r.method === "GET" && r.path.endsWith("/tags") && r.query.pageToken !== undefined);
      expect(pagedTagLists.length).toBeGreaterThan(0);
      const live = liveVersion(paged, env);
      expect(duplicateNames(live)).toEqual([]);
      expect(kitEntities(live, env.stackName)).toEqual(await cleanKitEntities());

      const again = paged.requests.length;
      expect((await applyWith(pagedApi, env)).writes).toBe(0);
      expect(writesSince(paged, again)).toEqual([]);
    } finally {
      await paged.close();
    }
  });
});

describe("drift and hand-made entities", () => {
  test("a hand edit versioned but not published by a person: apply refuses to build on (and publish) it", async () => {
    await applyWith(api, env);
    const edited = driftByHand(/\(purchase\)$/, { publish: false });
    const { plan, refusals } = await planWith(api, env);
    expect(plan.changes.map((c) => `${c.action} ${c.name}`)).toEqual([`update ${edited.name}`]);
    expect(refusals.join("\n")).toMatch(/is newer than the live version and was not made by the kit/);

    const since = fake.requests.length;
    const error = await rejectionOf(applyWith(api, env));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect(error.message).toContain("publishing them would publish it too");
    expect(writesSince(fake, since)).toEqual([]);

    // Once the person publishes their version, the kit repairs the drift on top of it.
    const latest = fake.state.getLatestVersionHeader(containerPathOf(env));
    fake.state.publishVersion(latest.path as string);
    const result = await applyWith(api, env);
    expect(result.published).toBe(result.version?.id);
    expect((await planWith(api, env)).plan.hasChanges).toBe(false);
  });

  test.each([
    ["published", true],
  ])("a hand edit of an owned tag in the Default Workspace, %s, is planned as one update with a field diff and repaired", async (_what, publish) => {
    await applyWith(api, env);
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);
    const edited = driftByHand(/\(purchase\)$/, { publish });

    const { plan, read } = await planWith(api, env);
    expect(read.workspace).toBeUndefined(); // planned against the latest version, which holds the edit
    expect(plan.changes).toHaveLength(1);
    const [change] = plan.changes;
    expect(change).toMatchObject({
      action: "update",
      kind: "tag",
      name: edited.name,
      fingerprint: edited.fingerprint,
    });
    expect(change.diff).toEqual([{ field: "parameter.logType", before: "always", after: "debug" }]);

    const since = fake.requests.length;
    const result = await applyWith(api, env);
    const base = containerPathOf(env);
    const writes = describeRequests(writesSince(fake, since));
    // The re-created workspace starts from the latest version: the PUT goes there, guarded by the
    // fingerprint the person's edit left.
    const kitWorkspace = /^POST (.+):create_version$/.exec(writes[2] ?? "")?.[1];
    expect(kitWorkspace).not.toBe(findWorkspacePath(fake, env, DEFAULT_WORKSPACE));
    expect(writes).toEqual([
      `POST ${base}/workspaces`,
      `PUT ${kitWorkspace}/tags/${edited.tagId}`,
      `POST ${kitWorkspace}:create_version`,
      `POST ${base}/versions/${result.version?.id}:publish`,
      deleteOfAWorkspace(),
    ]);
    const puts = fake.requests.slice(since).filter((r) => r.method === "PUT");
    expect(puts.map((r) => r.query.fingerprint)).toEqual([[edited.fingerprint]]);
    expect(result.published).toBe(result.version?.id);
    const repaired = kitEntities(liveVersion(fake, env), env.stackName).tags.find(
      (t) => t.name === edited.name,
    );
    expect(repaired?.parameter).toContainEqual({ type: "template", key: "logType", value: "debug" });

    const after = await planWith(api, env);
    expect(after.plan.hasChanges).toBe(false);
    expect(after.plan.publish.liveDiffers).toBe(false);
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);
  });

  test("an edit made while apply runs is not overwritten: the fingerprint guard refuses, a re-run repairs", async () => {
    await applyWith(api, env);
    driftByHand(/\(purchase\)$/); // something for the kit to repair
    // Someone saves the same tag in the kit's workspace (it exists while apply runs) between the
    // kit's read and its PUT.
    let raced: Tag | undefined;
    const racing: GtmApi = {
      ...api,
      update: async (kind, path, body, fingerprint) => {
        const tag = kitTag(/\(purchase\)$/);
        if (path === tag.path) raced = handEditLogType(tag, "no");
        return api.update(kind, path, body, fingerprint);
      },
    };
    const error = await rejectionOf(applyWith(racing, env));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect(error.message).toContain("fingerprint");
    expect(raced).toBeDefined();
    expect(fake.requests.filter(matching("POST", /:create_version$/))).toHaveLength(1); // the first apply's
    const current = kitTag(/\(purchase\)$/);
    expect(current.fingerprint).toBe(raced?.fingerprint);
    expect(current.parameter).toContainEqual({ type: "template", key: "logType", value: "no" });

    await applyWith(api, env);
    const repaired = kitEntities(liveVersion(fake, env), env.stackName).tags.find(
      (t) => t.name === current.name,
    );
    expect(repaired?.parameter).toContainEqual({ type: "template", key: "logType", value: "debug" });
    expect((await planWith(api, env)).plan.hasChanges).toBe(false);
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);
  });

  test("a hand-made TikTok tag firing on purchase is reported as double-sending", async () => {
    publishByHand((ws) => {
      fake.state.importFromGallery(ws, {
        owner: TIKTOK_GALLERY_ENTRY.owner,
        repository: TIKTOK_GALLERY_ENTRY.repository,
        acknowledgePermissions: true,
      });
      handMadeTikTokPurchase(fake, ws, "cvt_5TP8W");
    });
    const { plan } = await planWith(api, env);
    const doubles = plan.warnings.filter((w) => w.code === "double-sending");
    expect(doubles).toHaveLength(1);
    expect(doubles[0]).toMatchObject({ name: "TikTok purchase (by hand)" });
    expect(problemMessage(doubles[0])).toContain("purchase");
    expect(plan.errors).toEqual([]);
    // A warning, not a refusal: the kit applies and leaves the hand-made tag alone.
    const before = content(liveVersion(fake, env).tag?.find((t) => t.name === "TikTok purchase (by hand)"));
    await applyWith(api, env);
    const after = content(liveVersion(fake, env).tag?.find((t) => t.name === "TikTok purchase (by hand)"));
    expect(after).toEqual(before);
  });

  test("a hand-made entity with a kit name is a plan error, and apply refuses without writing", async () => {
    publishByHand((ws) => {
      fake.state.create(ws, "variables", {
        name: PIXEL_ID_VARIABLE,
        type: "c",
        parameter: [{ type: "template", key: "value", value: "C0FFEE" }],
      });
    });
    const { plan } = await planWith(api, env);
    expect(plan.errors).toEqual([
      expect.objectContaining({ code: "name-clash", kind: "variable", name: PIXEL_ID_VARIABLE }),
    ]);
    expect(problemMessage(plan.errors[0])).toContain(ownershipMarker(env.stackName));

    const since = fake.requests.length;
    const error = await rejectionOf(applyWith(api, env));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect(error.message).toContain(PIXEL_ID_VARIABLE);
    expect(writesSince(fake, since)).toEqual([]);
  });
});

describe("reviewed plans", () => {
  test("a reviewed plan, read back from its JSON file, is applied when nothing changed since", async () => {
    const { plan } = await planWith(api, env);
    // What `plan --out` writes and `apply --plan` reads.
    const reviewed = JSON.parse(renderJson(plan)) as Plan;
    const result = await applyWith(api, env, { reviewedPlan: reviewed });
    expect(result.plan.changes.map((c) => c.name)).toEqual(plan.changes.map((c) => c.name));
    const [bulk] = fake.requests.filter(matching("POST", /\/bulk_update$/));
    expect(bulkChanges(bulk)).toHaveLength(plan.changes.length);
    expect(result.published).toBeDefined();
  });

  test("apply refuses, writing nothing, when the container changed after the plan", async () => {
    await applyWith(api, env);
    driftByHand(/\(purchase\)$/);
    const reviewed = (await planWith(api, env)).plan;
    expect(reviewed.changes).toHaveLength(1);

    // Someone edits and publishes another owned tag between review and apply.
    driftByHand(/\(page_view\)$/);
    const since = fake.requests.length;
    const error = await rejectionOf(
      applyWith(api, env, { reviewedPlan: reviewed, reviewedPlanFile: "reviewed.json" }),
    );
    expect(error).toBeInstanceOf(ApplyRefused);
    expect(error.message).toMatch(/changed since the reviewed plan reviewed.json/);
    expect(writesSince(fake, since)).toEqual([]);
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);

    // A fresh review applies.
    const fresh = (await planWith(api, env)).plan;
    expect(fresh.changes).toHaveLength(2);
    await applyWith(api, env, { reviewedPlan: fresh });
    expect((await planWith(api, env)).plan.hasChanges).toBe(false);
  });

  test("a reviewed plan made before the kit's workspace existed is refused after a new version went live", async () => {
    const reviewed = (await planWith(api, env)).plan;
    publishByHand((ws) => {
      fake.state.create(ws, "variables", {
        name: "Shop currency",
        type: "c",
        parameter: [{ type: "template", key: "value", value: "EUR" }],
      });
    });
    const since = fake.requests.length;
    const error = await rejectionOf(applyWith(api, env, { reviewedPlan: reviewed }));
    expect(error).toBeInstanceOf(ApplyRefused);
    // No plan file was used: the message says so, and asks for no file.
    expect(error.message).toMatch(/changed since the plan shown above/);
    expect(error.message).not.toMatch(/plan file/);
    expect(writesSince(fake, since)).toEqual([]);
  });
});

describe("changes the kit did not make", () => {
  test("a hand-made variable in the kit's workspace makes apply refuse, naming it, with zero writes", async () => {
    await applyWith(api, env);
    // Someone made the kit's workspace in the GTM UI and started working in it.
    const ws = createKitWorkspaceByHand(fake, env);
    fake.state.create(ws, "variables", {
      name: "Unfinished idea",
      type: "c",
      parameter: [{ type: "template", key: "value", value: "1" }],
    });
    // Something to apply, so the refusal is not just "nothing to do".
    handEditLogType(kitTag(/\(purchase\)$/, ws));

    const { plan, foreignChanges, refusals } = await planWith(api, env);
    expect(plan.hasChanges).toBe(true);
    expect(foreignChanges).toEqual(['added variable "Unfinished idea"']);
    expect(refusals).toEqual([expect.stringMatching(/holds changes the kit did not make/)]);
    const since = fake.requests.length;
    const error = await rejectionOf(applyWith(api, env));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect(error.message).toContain('variable "Unfinished idea"');
    expect(writesSince(fake, since)).toEqual([]);
    // Their workspace and work stay.
    expect(kitWorkspacePath(fake, env)).toBe(ws);
    expect(fake.state.list(ws, "variables").map((v) => v.name)).toContain("Unfinished idea");
  });

  test("an edit of a hand-made tag inside the kit's workspace makes apply refuse", async () => {
    await applyWith(api, env);
    const ws = createKitWorkspaceByHand(fake, env);
    const tag = fake.state.list(ws, "tags").find((t) => t.name === demo.handMadeTagName) as Tag;
    fake.state.update(tag.path as string, { ...tag, paused: true }, tag.fingerprint as string);
    const since = fake.requests.length;
    const error = await rejectionOf(applyWith(api, env));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect(error.message).toContain(`updated tag "${demo.handMadeTagName}"`);
    expect(writesSince(fake, since)).toEqual([]);
    expect(kitWorkspacePath(fake, env)).toBe(ws);
  });
});

describe("compiler errors", () => {
  test("a compiler error stops before publishing; once fixed, a re-run versions and publishes", async () => {
    const { workspace } = prepareKitWorkspace();
    fake.state.injectCompilerError(workspace, "Injected: template sandbox failed");
    const liveBefore = liveVersion(fake, env).containerVersionId;

    const error = await rejectionOf(applyWith(api, env));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect(error.message).toMatch(/compile/);
    expect(error.message).toContain("Injected: template sandbox failed");
    expect(fake.requests.filter(matching("POST", /:publish$/))).toEqual([]);
    expect(liveVersion(fake, env).containerVersionId).toBe(liveBefore);
    expect(fake.state.listVersionHeaders(containerPathOf(env))).toHaveLength(1);
    // Nothing is versioned, so the workspace keeps the changes: it must not be deleted.
    expect(fake.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    expect(kitWorkspacePath(fake, env)).toBe(workspace);
    expect(fake.state.getWorkspaceStatus(workspace).workspaceChange?.length).toBeGreaterThan(0);
    expect(kitEntities(workspaceContents(fake, workspace), env.stackName)).toEqual(await cleanKitEntities());

    // The failed run let go of the workspace: the next one need not wait for its lock to go stale.
    expect(lockOf(fake.state.getWorkspace(workspace))?.ended).toBe(true);

    fake.state.clearCompilerErrors(workspace);
    const since = fake.requests.length;
    const versioning = keepingVersionAnswers(api);
    const result = await applyWith(versioning.api, env);
    // The entities were written by the failed run: only the version, the publish and the clean-up remain.
    expect(result.plan.hasChanges).toBe(false);
    expect(describeRequests(writesSince(fake, since))).toEqual([
      `PUT ${workspace}`,
      `POST ${workspace}:create_version`,
      `POST ${containerPathOf(env)}/versions/${result.version?.id}:publish`,
      `DELETE ${versioning.answers[0]?.newWorkspacePath}`,
    ]);
    const live = liveVersion(fake, env);
    expect(live.containerVersionId).toBe(result.version?.id);
    expect(kitEntities(live, env.stackName)).toEqual(await cleanKitEntities());
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);
    const next = await planWith(api, env);
    expect(next.plan.hasChanges || next.plan.publish.liveDiffers).toBe(false);
  });
});

describe("merge conflicts", () => {
  test("create_version reporting a merge conflict stops before publishing and keeps the workspace", async () => {
    const { workspace } = prepareKitWorkspace();
    fake.state.injectMergeConflict(workspace);
    const liveBefore = liveVersion(fake, env).containerVersionId;

    const error = await rejectionOf(applyWith(api, env));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect(error.message).toContain("merge conflicts");
    expect(fake.requests.filter(matching("POST", /:publish$/))).toEqual([]);
    expect(fake.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    expect(liveVersion(fake, env).containerVersionId).toBe(liveBefore);
    expect(kitWorkspacePath(fake, env)).toBe(workspace);

    fake.state.injectMergeConflict(workspace, false);
    const result = await applyWith(api, env);
    expect(result.published).toBe(result.version?.id);
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);
  });
});

describe("versions made by people", () => {
  const THEIR_TAG = "GA4 - second property (by hand)";

  test("a person publishes a newer version after the kit: the kit plans and applies on top of it", async () => {
    await applyWith(api, env);
    // Nothing of the kit's is left to go stale (a workspace behind the latest version needs a merge).
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);
    const theirs = changeByHand(fake, env, (ws) => {
      const trigger = fake.state.list(ws, "triggers").find((t) => t.name === demo.handMadeTriggerName);
      fake.state.create(ws, "tags", {
        name: THEIR_TAG,
        type: "sgtmgaaw",
        parameter: [{ type: "boolean", key: "redactVisitorIp", value: "true" }],
        firingTriggerId: [trigger?.triggerId as string],
      });
    });
    expect(liveVersion(fake, env).containerVersionId).toBe(theirs.containerVersionId);
    const theirTag = content(theirs.tag?.find((t) => t.name === THEIR_TAG));
    expect(theirTag).toBeDefined();

    const { plan, refusals } = await planWith(api, env);
    expect(refusals).toEqual([]);
    expect(plan.errors).toEqual([]);
    expect(plan.hasChanges).toBe(false);
    expect(plan.publish.liveDiffers).toBe(false);
    const since = fake.requests.length;
    const result = await applyWith(api, env);
    expect(result.writes).toBe(0);
    expect(writesSince(fake, since)).toEqual([]);
    expect(liveVersion(fake, env).containerVersionId).toBe(theirs.containerVersionId);

    // A change of the environment file lands on top of their version and keeps their tag.
    const changed = loadEnv(
      productionWith(`  consent: ad-storage-granted
  events:
    page_view: {}
    add_to_cart: {}
    search: {}
`),
    );
    const next = await applyWith(api, changed);
    expect(next.plan.changes.length).toBeGreaterThan(0);
    const live = liveVersion(fake, env);
    expect(live.containerVersionId).toBe(next.published);
    expect(content(live.tag?.find((t) => t.name === THEIR_TAG))).toEqual(theirTag);
    expect(kitEntities(live, env.stackName).tags.map((t) => t.name)).toContainEqual(
      expect.stringMatching(/\(search\)$/),
    );
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);
    expect((await planWith(api, changed)).plan.hasChanges).toBe(false);
  });

  test("a version made between the plan's read and the workspace's creation stops the apply; a re-run applies on top", async () => {
    // Someone imports the TikTok template and publishes, just before the kit creates its workspace.
    const racing: GtmApi = {
      ...api,
      createWorkspace: async (...args) => {
        publishByHand((ws) => {
          fake.state.importFromGallery(ws, {
            owner: TIKTOK_GALLERY_ENTRY.owner,
            repository: TIKTOK_GALLERY_ENTRY.repository,
            acknowledgePermissions: true,
          });
        });
        return api.createWorkspace(...args);
      },
    };
    const error = await rejectionOf(applyWith(racing, env));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect(error.message).toContain("differs from the latest version the plan was made against");
    // The refusal takes the workspace it had just created away again.
    const refusedWrites = describeRequests(writesSince(fake));
    expect(refusedWrites[0]).toBe(`POST ${containerPathOf(env)}/workspaces`);
    expect(refusedWrites.slice(1)).toEqual([expect.stringMatching(/^DELETE .*\/workspaces\/\d+$/)]);
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);

    const result = await applyWith(api, env);
    expect(result.plan.template.action).toBe("reuse");
    expect(fake.requests.filter(matching("POST", /templates:import_from_gallery$/))).toEqual([]);
    expect(liveVersion(fake, env).customTemplate).toHaveLength(1);
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);
    expect((await planWith(api, env)).plan.hasChanges).toBe(false);
  });

  test("when the latest version is not live, the plan starts from the latest version (4 calls)", async () => {
    await applyWith(api, env);
    const live = liveVersion(fake, env).containerVersionId;
    // Someone versions a change without publishing it: a new workspace would start from it.
    const theirs = changeByHand(
      fake,
      env,
      (ws) => {
        fake.state.create(ws, "variables", {
          name: "Shop currency",
          type: "c",
          parameter: [{ type: "template", key: "value", value: "EUR" }],
        });
      },
      { publish: false },
    );
    expect(theirs.containerVersionId).not.toBe(live);

    const since = fake.requests.length;
    const { plan, read } = await planWith(api, env);
    const base = containerPathOf(env);
    expect(describeRequests(fake.requests.slice(since))).toEqual([
      `GET ${base}/workspaces`,
      `GET ${base}/versions:live`,
      `GET ${base}/version_headers:latest`,
      `GET ${theirs.path}`,
    ]);
    expect(read.actual.variables.map((v) => v.name)).toContain("Shop currency");
    expect(read.actual.liveVersion?.containerVersionId).toBe(live);
    expect(plan.hasChanges).toBe(false);
    expect(plan.publish.liveDiffers).toBe(false);

    // Nothing for the kit to do: it writes nothing and publishes nobody's unreviewed version.
    const before = fake.requests.length;
    expect((await applyWith(api, env)).writes).toBe(0);
    expect(writesSince(fake, before)).toEqual([]);
    expect(liveVersion(fake, env).containerVersionId).toBe(live);
  });
});

describe("the access token", () => {
  const OTHER_VALUE = "SENTINEL-TOKEN-e2e-rotated-51f0a8";
  const OTHER = new SecretValue(OTHER_VALUE);

  /** Every text a person or a log could see; none may hold a token value. */
  const outputs: string[] = [];
  const collect = (...texts: string[]) => outputs.push(...texts);
  const renders = (plan: Parameters<typeof renderJson>[0]) => [
    renderText(plan, { color: false }),
    renderText(plan, { color: true }),
    renderMarkdown(plan),
    renderJson(plan),
    JSON.stringify(plan),
  ];
  const progress = {
    step: (i: number, n: number, d: string) => collect(`[${i}/${n}] ${d}`),
    wait: (reason: string, ms: number, detail: string) => collect(`${reason} ${ms} ${detail}`),
    note: (text: string) => collect(text),
  };

  beforeEach(() => {
    outputs.length = 0;
  });

  function expectNoToken(): void {
    expect(outputs.length).toBeGreaterThan(0);
    for (const text of outputs) {
      for (const secret of [TOKEN_VALUE, OTHER_VALUE]) expect(text).not.toContain(secret);
    }
  }

  function liveTokenValue(): string | undefined {
    const variable = liveVersion(fake, env).variable?.find((v) => v.name === ACCESS_TOKEN_VARIABLE);
    return variable?.parameter?.find((p) => p.key === "value")?.value ?? undefined;
  }

  test("reaches the fake but no plan, result, progress, error or export", async () => {
    const first = await planWith(api, env);
    collect(...renders(first.plan), inspect(first.plan, { depth: null }), inspect(TOKEN), String(TOKEN));
    const result = await applyWith(api, env, { progress });
    collect(JSON.stringify(result), inspect(result, { depth: null }), ...renders(result.plan));
    collect(renderGtmExport(desiredContainer(env)));
    expect(liveTokenValue()).toBe(TOKEN_VALUE);

    // A failure while writing the token constant: the error must not echo the request body.
    seed(fake, env);
    // Every request carrying the token: the bulk update, then the one-by-one create it falls back to.
    const carriesToken = (r: { body?: unknown }) => JSON.stringify(r.body ?? "").includes(TOKEN_VALUE);
    fake.faults.push({ match: carriesToken, kind: "500", times: Infinity });
    const failure = await rejectionOf(applyWith(connect(fake, new SimulatedClock()), env, { progress }));
    // It failed while the token was in flight: the last faulted request carried it.
    const faulted = fake.requests.filter((r) => r.fault !== undefined);
    expect(JSON.stringify(faulted.at(-1)?.body)).toContain(TOKEN_VALUE);
    collect(
      failure.message,
      String(failure.stack),
      inspect(failure, { depth: null }),
      JSON.stringify(failure),
    );
    fake.faults.length = 0;

    // A refusal (foreign change) while the token is at hand.
    seed(fake, env);
    await applyWith(api, env);
    fake.state.create(createKitWorkspaceByHand(fake, env), "variables", {
      name: "Unfinished idea",
      type: "c",
      parameter: [{ type: "template", key: "value", value: "1" }],
    });
    const refusal = await rejectionOf(applyWith(api, env, { progress }));
    collect(refusal.message, String(refusal.stack));
    expectNoToken();
  });

  test("a rotated token is an update of the token constant shown as (sensitive), then written", async () => {
    await applyWith(api, env);
    const { plan } = await planWith(api, env, OTHER);
    expect(plan.token.status).toBe("changed");
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({
      action: "update",
      kind: "variable",
      name: ACCESS_TOKEN_VARIABLE,
    });
    expect(plan.changes[0].diff).toEqual([
      expect.objectContaining({ field: "parameter.value", before: "(sensitive)", after: "(sensitive)" }),
    ]);
    const text = renderText(plan, { color: false });
    expect(text).toContain(`~ update variable "${ACCESS_TOKEN_VARIABLE}"`);
    expect(text).toContain("(sensitive)");
    collect(...renders(plan));

    const result = await applyWith(api, env, { token: OTHER, progress });
    collect(JSON.stringify(result), ...renders(result.plan));
    expect(liveTokenValue()).toBe(OTHER_VALUE);
    expect((await planWith(api, env, OTHER)).plan.token.status).toBe("unchanged");
    expectNoToken();
  });

  test("without the token a plan leaves it (sensitive, not compared) and apply never writes it", async () => {
    await applyWith(api, env);
    const { plan } = await planWithoutToken(api, env);
    expect(plan.token.status).toBe("not compared");
    expect(plan.hasChanges).toBe(false);
    expect(renderText(plan, { color: false })).toContain("(sensitive, not compared)");
    const since = fake.requests.length;
    const result = await applyEnvironment({ env, api, publish: true });
    expect(result.writes).toBe(0);
    expect(writesSince(fake, since)).toEqual([]);
  });

  test("without the token, apply refuses to create the token constant and writes nothing", async () => {
    const error = await rejectionOf(applyEnvironment({ env, api, publish: true }));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect(error.message).toContain("SGTM_TIKTOK_ACCESS_TOKEN");
    expect(writesSince(fake)).toEqual([]);
  });

  test("no snapshot or golden file holds a token sentinel", () => {
    const root = join(__dirname, "..");
    const files = filesUnder(root).filter((f) => /__snapshots__|[/\\]fixtures[/\\]/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const secret of [TOKEN_VALUE, OTHER_VALUE, TOKEN_SENTINEL]) expect(text).not.toContain(secret);
    }
  });
});

// ---- helpers --------------------------------------------------------------------------------------

/** The changes a recorded `bulk_update` request carried. */
function bulkChanges(request: RecordedRequest | undefined): WorkspaceEntity[] {
  return (request?.body as { changes?: WorkspaceEntity[] } | undefined)?.changes ?? [];
}

function order(kind: string | undefined): number {
  return ["variables", "triggers", "tags"].indexOf(kind ?? "");
}

function startFakeWithGallery(gallery: readonly GalleryEntry[]): Promise<FakeTagManager> {
  return startFakeTagManager({ pageSize: BIG_PAGE, gallery });
}

/** The kit's workspace created up front (as a person might), so faults can target it before apply. */
/** The kit's workspace as a run that stopped before writing left it (built on by the next run). */
function prepareKitWorkspace(): { workspace: string } {
  return { workspace: workspaceOfStoppedRun(fake, env) };
}

let cleanEntities: ReturnType<typeof kitEntities> | undefined;
/** The kit's entities after a clean apply on a fresh fake (computed once). */
async function cleanKitEntities(): Promise<ReturnType<typeof kitEntities>> {
  if (cleanEntities) return cleanEntities;
  const reference = await startFake();
  try {
    seed(reference, env);
    await applyWith(connect(reference), env);
    cleanEntities = kitEntities(liveVersion(reference, env), env.stackName);
    expect(workspaceNames(reference, env)).toEqual([DEFAULT_WORKSPACE]);
    return cleanEntities;
  } finally {
    await reference.close();
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
