/**
 * Drives the REAL `@googleapis/tagmanager` client (through `createGoogleapisGtmApi`) against the local
 * fake: proves the fake speaks the protocol the client sends and enforces the API's semantics.
 */
import { tagmanager, type tagmanager_v2 } from "@googleapis/tagmanager";
import { createGoogleapisGtmApi } from "../../src/gtm/client/googleapis";
import { REAL_QUOTA, SimulatedClock } from "../../src/gtm/client/resilient";
import { type GtmApi, GtmApiError, type Tag, type Trigger, type Variable } from "../../src/gtm/core/api";
import {
  buildTemplateData,
  flattenFields,
  TIKTOK_GALLERY_OWNER,
  TIKTOK_GALLERY_REPOSITORY,
  TIKTOK_GALLERY_SHA,
  TIKTOK_GALLERY_TEMPLATE_ID,
  TIKTOK_TAG_TYPE,
  TIKTOK_TEMPLATE_DISPLAY_NAME,
  TIKTOK_TEMPLATE_FIELDS,
  TIKTOK_TEMPLATE_PARAMETER_KEYS,
  templateInfoId,
  templateParameterKeys,
} from "../../src/gtm/fake/gallery";
import { type FakeTagManager, matching, startFakeTagManager } from "../../src/gtm/fake/server";

type Entity = tagmanager_v2.Schema$Entity;

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

  test("a refused write quotes the request body in its message, values included, like Google's 400s", async () => {
    const secret = constantVariable("Token", "quoted-secret-value-1234");
    await api.create("variables", ws, secret);
    const error = await rejection(api.create("variables", ws, secret));
    expect(error.status).toBe(400);
    expect(error.message).toContain('"value":"quoted-secret-value-1234"');

    fake.faults.push({ match: matching("POST", /\/variables$/), kind: "400" });
    const faulted = await rejection(api.create("variables", ws, constantVariable("Other", "another-value")));
    expect(faulted.message).toMatch(/Invalid value.*"value":"another-value"/);
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

describe("the container resource", () => {
  const decode = (config: string | null | undefined) => Buffer.from(String(config), "base64").toString();

  test("a server container says so in usageContext and has no tagging server URL at first", async () => {
    const container = await api.getContainer(containerPath);
    expect(container).toMatchObject({ path: containerPath, publicId: "GTM-FAKE2", usageContext: ["server"] });
    expect(container.fingerprint).toMatch(/^\d+$/);
    expect(container.taggingServerUrls).toBeUndefined();
    expect(fake.requests.filter(matching("GET", containerPath))).toHaveLength(1);
  });

  test(":snippet answers the containerConfig of a server container: stable, new after a regeneration", async () => {
    const first = await api.getContainerSnippet(containerPath);
    expect(fake.requests.filter(matching("GET", `${containerPath}:snippet`))).toHaveLength(1);
    expect(decode(first.containerConfig)).toMatch(/^id=GTM-FAKE2&env=1&auth=[\w-]{22}$/);
    expect((await api.getContainerSnippet(containerPath)).containerConfig).toBe(first.containerConfig);
    fake.state.regenerateContainerConfig(containerPath);
    const next = await api.getContainerSnippet(containerPath);
    expect(decode(next.containerConfig)).toMatch(/^id=GTM-FAKE2&env=1&auth=/);
    expect(next.containerConfig).not.toBe(first.containerConfig);
    // Another container has another auth code.
    const other = fake.state.createContainer({ accountId: "1", containerId: "3" }).containerPath;
    expect((await api.getContainerSnippet(other)).containerConfig).not.toBe(next.containerConfig);
  });

  test("a web container has no containerConfig", async () => {
    const web = fake.state.createContainer({ accountId: "1", containerId: "4", usageContext: ["web"] });
    expect((await api.getContainer(web.containerPath)).usageContext).toEqual(["web"]);
    const snippet = await api.getContainerSnippet(web.containerPath);
    expect(snippet.containerConfig).toBeUndefined();
    expect(snippet.snippet).toContain("GTM-FAKE4");
  });

  describe("what a container's kind allows (usageContext)", () => {
    /** A web container with an empty Default Workspace. */
    const webContainer = () =>
      fake.state.createContainer({ accountId: "1", containerId: "5", usageContext: ["web"] });

    test("a web container holds no client; a server container does", async () => {
      const web = webContainer();
      const refused = await api
        .create("tags", web.workspacePath, { name: "x", type: "html" })
        .then(() => undefined);
      expect(refused).toBeUndefined(); // a plain web tag is fine
      expect(() => fake.state.seedClient(web.workspacePath, { name: "GA4", type: "gaaw_client" })).toThrow(
        "clients exist only in server containers; this is a web container",
      );
      expect(fake.state.seedClient(ws, { name: "GA4", type: "gaaw_client" }).clientId).toBeDefined();
    });

    test("built-in variables are the kind's own: clientName only in a server container, event only in a web one", async () => {
      const web = webContainer();
      const refused = await api.enableBuiltInVariables(web.workspacePath, ["clientName"]).catch((e) => e);
      expect(refused).toBeInstanceOf(GtmApiError);
      expect((refused as GtmApiError).message).toContain('type: invalid value "clientName"');
      expect((await api.enableBuiltInVariables(web.workspacePath, ["event"]))[0]?.name).toBe("Event");
      const serverRefused = await api.enableBuiltInVariables(ws, ["event"]).catch((e) => e);
      expect((serverRefused as GtmApiError).status).toBe(400);
    });

    test("a server template cannot go into a web container, by gallery import or from raw data", async () => {
      const web = webContainer();
      const imported = await api.importTemplateFromGallery(web.workspacePath, TIKTOK).catch((e) => e);
      expect(imported).toBeInstanceOf(GtmApiError);
      expect((imported as GtmApiError).message).toContain(
        "the template runs in SERVER containers (containerContexts), not in this web container",
      );
      const webTemplate = buildTemplateData({
        id: "cvt_temp_public_id",
        displayName: "Web only",
        fields: [],
        containerContexts: ["WEB"],
      });
      expect(() =>
        fake.state.create(ws, "templates", { name: "Web only", templateData: webTemplate }),
      ).toThrow("not in this server container");
      expect(
        fake.state.create(web.workspacePath, "templates", { name: "Web only", templateData: webTemplate })
          .templateId,
      ).toBeDefined();
    });

    test("a version says which kind of container it was taken from", async () => {
      const web = webContainer();
      const version = fake.state.seedPublishedVersion(web.workspacePath, "v1");
      expect(version.version.container?.usageContext).toEqual(["web"]);
      expect((await api.getLiveVersion(web.containerPath))?.container?.usageContext).toEqual(["web"]);
    });
  });

  test("update is a full replace guarded by the fingerprint, which changes", async () => {
    const read = await api.getContainer(containerPath);
    const withNotes = await api.updateContainer(
      containerPath,
      { ...read, notes: "hand-written", taggingServerUrls: ["https://sgtm.shop.example"] },
      String(read.fingerprint),
    );
    expect(withNotes).toMatchObject({
      notes: "hand-written",
      taggingServerUrls: ["https://sgtm.shop.example"],
    });
    expect(withNotes.fingerprint).not.toBe(read.fingerprint);
    const { notes: _notes, ...withoutNotes } = withNotes;
    const replaced = await api.updateContainer(
      containerPath,
      { ...withoutNotes, taggingServerUrls: ["https://sgtm.shop.example", "https://sgtm.other.example/"] },
      String(withNotes.fingerprint),
    );
    expect(replaced.notes).toBeUndefined();
    expect((await api.getContainer(containerPath)).taggingServerUrls).toEqual([
      "https://sgtm.shop.example",
      "https://sgtm.other.example/",
    ]);
    expect(fake.requests.filter(matching("PUT", containerPath)).map((r) => r.query.fingerprint)).toEqual([
      [read.fingerprint],
      [withNotes.fingerprint],
    ]);
  });

  test("a stale fingerprint is a 409 that names both fingerprints", async () => {
    const read = await api.getContainer(containerPath);
    await api.updateContainer(containerPath, { ...read, notes: "first" }, String(read.fingerprint));
    const error = await rejection(
      api.updateContainer(containerPath, { ...read, notes: "second" }, String(read.fingerprint)),
    );
    expect(error).toMatchObject({ status: 409, reasons: ["conflict"], method: "PUT", path: containerPath });
    expect(error.message).toContain(`"${read.fingerprint}"`);
    expect((await api.getContainer(containerPath)).notes).toBe("first");
  });

  test("refuses a missing name, a changed usageContext and URLs that are not URLs or whose paths differ", async () => {
    const read = await api.getContainer(containerPath);
    const put = (body: object) =>
      rejection(api.updateContainer(containerPath, body, String(read.fingerprint)));
    const { name: _name, ...nameless } = read;
    expect((await put(nameless)).message).toContain("container.name: required field is missing");
    expect((await put({ ...read, usageContext: ["web"] })).message).toContain(
      'container.usageContext: cannot be changed (stored ["server"], requested ["web"])',
    );
    expect((await put({ ...read, taggingServerUrls: ["sgtm.shop.example"] })).message).toContain(
      '"sgtm.shop.example" is not a valid URL',
    );
    const paths = await put({
      ...read,
      taggingServerUrls: ["https://a.example", "https://b.example/metrics"],
    });
    expect(paths.status).toBe(400);
    expect(paths.message).toContain('"https://a.example" and "https://b.example/metrics" differ');
    // Nothing was written.
    expect((await api.getContainer(containerPath)).fingerprint).toBe(read.fingerprint);
  });
});

describe("the TikTok template's fields", () => {
  const field = (name: string) => flattenFields(TIKTOK_TEMPLATE_FIELDS).find((f) => f.name === name);
  const p = (key: string, value: string) => ({ type: "template", key, value });

  let tags = 0;
  beforeEach(async () => {
    await api.importTemplateFromGallery(ws, TIKTOK);
  });

  async function tagWith(parameters: Tag["parameter"]) {
    tags += 1;
    const trigger = await api.create("triggers", ws, purchaseTrigger(`Purchase ${tags}`));
    return api.create("tags", ws, {
      name: `TikTok ${tags}`,
      type: TIKTOK_TAG_TYPE,
      firingTriggerId: [String(trigger.triggerId)],
      parameter: [{ type: "template", key: "pixel_code", value: "C123" }, ...(parameters ?? [])],
    });
  }

  test("are the pinned template's: hash without default, content_type a SELECT, conditions as declared", () => {
    expect(field("hash")).toMatchObject({
      type: "RADIO",
      radioItems: [{ value: "hashed" }, { value: "non-hashed" }],
    });
    expect(field("hash")?.defaultValue).toBeUndefined();
    expect(field("single_multi_product")?.defaultValue).toBeUndefined();
    expect(field("object_property_source")?.defaultValue).toBe("ga");
    expect(field("content_type")).toMatchObject({
      type: "SELECT",
      macrosInSelect: true,
      selectItems: [{ value: "product" }, { value: "product_group" }],
      enablingConditions: [{ paramName: "single_multi_product", paramValue: "single", type: "EQUALS" }],
    });
    for (const key of ["email", "phone", "external_id"]) {
      expect(field(key)?.enablingConditions).toEqual([
        { paramName: "hash", paramValue: "non-hashed", type: "EQUALS" },
      ]);
    }
    for (const key of ["sha256_email", "sha256_phone", "sha256_external_id"]) {
      expect(field(key)?.enablingConditions).toEqual([
        { paramName: "hash", paramValue: "hashed", type: "EQUALS" },
      ]);
    }
    expect(field("contents")?.enablingConditions).toEqual([
      { paramName: "single_multi_product", paramValue: "multiple", type: "EQUALS" },
    ]);
    for (const key of ["value", "currency", "description", "brand", "query"]) {
      expect(field(key)?.enablingConditions).toEqual([
        { paramName: "object_property_source", paramValue: "custom", type: "EQUALS" },
      ]);
    }
    // Labels and groups are not keys.
    expect(field("Description")).toBeUndefined();
  });

  test("a user field needs hash set to its group: without it GTM's tag editor hides the value", async () => {
    const hidden = await rejection(tagWith([p("email", "{{Email}}")]));
    expect(hidden.status).toBe(400);
    expect(hidden.message).toContain(
      'parameter "email": the template shows this field only when hash is "non-hashed" (now not set)',
    );
    expect((await rejection(tagWith([p("hash", "hashed"), p("email", "{{Email}}")]))).message).toContain(
      '(now "hashed")',
    );
    expect((await rejection(tagWith([p("hash", "non-hashed"), p("sha256_phone", "{{P}}")]))).status).toBe(
      400,
    );
    await expect(tagWith([p("hash", "non-hashed"), p("email", "{{Email}}")])).resolves.toBeDefined();
    await expect(tagWith([p("hash", "hashed"), p("sha256_email", "{{Hashed}}")])).resolves.toBeDefined();
  });

  test("property fields need their mode: contents only for multiple, value only for custom data", async () => {
    expect((await rejection(tagWith([p("value", "{{V}}")]))).message).toContain(
      'only when object_property_source is "custom" (now "ga")',
    );
    const noMode = await rejection(tagWith([p("object_property_source", "custom"), p("contents", "{{C}}")]));
    expect(noMode.message).toContain('only when single_multi_product is "multiple" (now not set)');
    // single_multi_product is itself hidden in ga mode, so contents stays hidden even with multiple set.
    const gaMode = await rejection(tagWith([p("single_multi_product", "multiple"), p("contents", "{{C}}")]));
    expect(gaMode.message).toContain('parameter "single_multi_product"');
    await expect(
      tagWith([
        p("object_property_source", "custom"),
        p("single_multi_product", "multiple"),
        p("contents", "{{C}}"),
        p("value", "{{V}}"),
      ]),
    ).resolves.toBeDefined();
  });

  test("radio and select values are options; a select that accepts macros takes a {{variable}}", async () => {
    expect((await rejection(tagWith([p("logType", "sometimes")]))).message).toContain(
      'parameter "logType": "sometimes" is not one of the options no, debug, always.',
    );
    expect((await rejection(tagWith([p("event", "Pageview")]))).message).toContain(
      'parameter "event": "Pageview" is not one of the options',
    );
    await expect(tagWith([p("event", "{{TikTok Event}}")])).resolves.toBeDefined();
    await expect(tagWith([p("event", "CompletePayment"), p("logType", "debug")])).resolves.toBeDefined();
  });

  test("tables take rows of the table's columns, fields the parameter type of their kind", async () => {
    const row = (key: string) => ({ type: "map", map: [p(key, "x")] });
    expect(
      (await rejection(tagWith([{ type: "list", key: "custom_properties", list: [row("name")] }]))).message,
    ).toContain('"name" is not a column (key, value)');
    expect((await rejection(tagWith([p("custom_properties", "x")]))).message).toContain(
      'a PARAM_TABLE field takes a parameter of type "list"',
    );
    await expect(
      tagWith([
        {
          type: "list",
          key: "custom_properties",
          list: [{ type: "map", map: [p("key", "k"), p("value", "v")] }],
        },
      ]),
    ).resolves.toBeDefined();
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
  test("a snapshot restores every container, id and fingerprint as they were", async () => {
    const trigger = await api.create("triggers", ws, purchaseTrigger());
    const before = fake.state.snapshot();
    const beforeText = JSON.stringify(await api.list("triggers", ws));
    await api.createVersion(ws, "v1", "");
    expect(await api.getLatestVersionHeader(containerPath)).toBeDefined();
    fake.state.restore(before);
    expect(await api.getLatestVersionHeader(containerPath)).toBeUndefined();
    expect(JSON.stringify(await api.list("triggers", ws))).toBe(beforeText);
    // Counters too: the next write gets what it would have got then.
    const again = await api.create("triggers", ws, purchaseTrigger("Second"));
    fake.state.restore(before);
    expect((await api.create("triggers", ws, purchaseTrigger("Second"))).fingerprint).toBe(again.fingerprint);
    expect(trigger.triggerId).toBeDefined();
  });

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
    const stale = await rejection(api.publishVersion(versionPath, { fingerprint: "123" }));
    expect(stale.status).toBe(409);
    const published = await api.publishVersion(versionPath, {
      fingerprint: String(containerVersion?.fingerprint),
    });
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
    ["403-scopes", 403, ["insufficientPermissions"]],
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

describe("bulk_update", () => {
  /** The official client's own method, so the fake is held to the URL and body the client sends. */
  const bulkUpdate = (changes: Entity[], path = ws) =>
    tagmanager({ version: "v2", rootUrl: fake.rootUrl, retry: false, fetchImplementation: fetch })
      .accounts.containers.workspaces.bulk_update({ path, requestBody: { changes } })
      .then(
        (response) => response.data,
        (error: { status?: number; response?: { data?: { error?: { message?: string } } } }) => {
          throw new GtmApiError(String(error.response?.data?.error?.message), error.status, [], "POST", path);
        },
      );

  test("adds, updates and deletes in one request; new_<n> ids link a tag to a trigger added with it", async () => {
    const old = await api.create("variables", ws, constantVariable("Old", "1"));
    const kept = await api.create("variables", ws, constantVariable("Kept", "1"));
    const before = fake.requests.length;
    const answer = await bulkUpdate([
      { changeStatus: "added", trigger: { ...purchaseTrigger(), triggerId: "new_1" } },
      { changeStatus: "added", variable: constantVariable("New", "2") },
      {
        changeStatus: "updated",
        variable: { ...constantVariable("Kept", "3"), path: kept.path, fingerprint: kept.fingerprint },
      },
      { changeStatus: "deleted", variable: { path: old.path } },
      { changeStatus: "added", tag: { name: "GA4 relay", type: "sgtmgaaw", firingTriggerId: ["new_1"] } },
    ]);
    expect(fake.requests.length - before).toBe(1);
    expect(fake.requests.at(-1)).toMatchObject({ method: "POST", path: `${ws}/bulk_update` });

    const triggers = await api.list("triggers", ws);
    const tags = await api.list("tags", ws);
    expect(tags.map((t) => t.firingTriggerId)).toEqual([[triggers[0].triggerId]]);
    expect((await api.list("variables", ws)).map((v) => [v.name, v.parameter?.[0].value])).toEqual([
      ["Kept", "3"],
      ["New", "2"],
    ]);
    // Added and updated entities come back with their real ids, in request order; deleted ones do not.
    expect(answer.changes?.map((c) => [c.changeStatus, (c.trigger ?? c.variable ?? c.tag)?.name])).toEqual([
      ["added", "Purchase"],
      ["added", "New"],
      ["updated", "Kept"],
      ["added", "GA4 relay"],
    ]);
    expect(answer.changes?.[0].trigger?.triggerId).toBe(triggers[0].triggerId);
  });

  test("one refused change fails the whole call, naming it, and nothing is written", async () => {
    await api.create("variables", ws, constantVariable("Taken", "1"));
    const fingerprint = fake.state.getWorkspace(ws).fingerprint;
    const error = await rejection(
      bulkUpdate([
        { changeStatus: "added", trigger: { ...purchaseTrigger(), triggerId: "new_1" } },
        { changeStatus: "added", variable: constantVariable("Taken", "secret-in-body") },
      ]),
    );
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^changes\[1\]: Found entity with duplicate name/);
    expect(error.message).toContain('"value":"secret-in-body"'); // quoted, like every refused write
    expect(await api.list("triggers", ws)).toEqual([]);
    expect(fake.state.getWorkspace(ws).fingerprint).toBe(fingerprint);
    // The id counter did not move either: the next create gets the id it would have had.
    const next = await api.create("triggers", ws, purchaseTrigger());
    expect(next.triggerId).toBe("2");
  });

  test("a stale fingerprint on an updated entity is a 409 for the whole call", async () => {
    const created = await api.create("variables", ws, constantVariable("V", "1"));
    await api.update(
      "variables",
      String(created.path),
      constantVariable("V", "2"),
      String(created.fingerprint),
    );
    const error = await rejection(
      bulkUpdate([
        {
          changeStatus: "updated",
          variable: { ...constantVariable("V", "3"), path: created.path, fingerprint: created.fingerprint },
        },
      ]),
    );
    expect(error.status).toBe(409);
    expect((await api.list("variables", ws))[0].parameter?.[0].value).toBe("2");
  });

  test("malformed changes are refused: two entities in one change, an unknown status, a foreign path, a dangling new_<n>", async () => {
    const foreign = fake.state.createWorkspace(containerPath, { name: "Other" }).path as string;
    const other = fake.state.create(foreign, "variables", constantVariable("Elsewhere", "1"));
    for (const changes of [
      [{ changeStatus: "added", variable: constantVariable("A", "1"), trigger: purchaseTrigger() }],
      [{ changeStatus: "touched", variable: constantVariable("A", "1") }],
      [{ changeStatus: "deleted", variable: { path: other.path } }],
      [{ changeStatus: "added", tag: { name: "T", type: "sgtmgaaw", firingTriggerId: ["new_9"] } }],
      [{ changeStatus: "added", variable: { ...constantVariable("A", "1"), variableId: "17" } }],
      [],
    ] as Entity[][]) {
      expect((await rejection(bulkUpdate(changes))).status).toBe(400);
    }
    expect(await api.list("variables", ws)).toEqual([]);
  });

  test("a server without the method answers 404 (features.bulkUpdate = false)", async () => {
    fake.features.bulkUpdate = false;
    try {
      const error = await rejection(
        bulkUpdate([{ changeStatus: "added", variable: constantVariable("A", "1") }]),
      );
      expect(error.status).toBe(404);
    } finally {
      fake.features.bulkUpdate = true;
    }
  });
});

describe("server-side quota", () => {
  test("25 requests per 100 s: the 26th is a 429 rateLimitExceeded, and refused requests count too", async () => {
    const clock = new SimulatedClock();
    const limited = await startFakeTagManager({ quota: { ...REAL_QUOTA, clock } });
    try {
      const { containerPath: c } = limited.state.createContainer({ accountId: "1", containerId: "2" });
      const client = createGoogleapisGtmApi({ rootUrl: limited.rootUrl });
      for (let i = 0; i < 25; i++) await client.listWorkspaces(c);
      await clock.sleep(50_000);
      const refused = await rejection(client.listWorkspaces(c));
      expect(refused).toMatchObject({ status: 429, reasons: ["rateLimitExceeded"] });
      expect(limited.requests.at(-1)?.overQuota).toBe(true);
      // Once the first 25 leave the window it holds only the refused request (at 50 s): 24 more go.
      await clock.sleep(50_000);
      for (let i = 0; i < 24; i++) await client.listWorkspaces(c);
      expect((await rejection(client.listWorkspaces(c))).status).toBe(429);
      // Another client on the same project spends the same window.
      await clock.sleep(100_000);
      limited.quota?.use(25);
      expect((await rejection(client.listWorkspaces(c))).status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
