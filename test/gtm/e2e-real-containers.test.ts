/**
 * The kit against containers shaped like real ones (./containers/exports.ts): each case is planned from
 * its export file, as `plan --from-export` reads it, then the fake is made to hold the same container
 * and the kit plans and applies against it through the real client. Every run is checked on the fake's
 * request log: nothing the kit does not own is ever written.
 */
import type { EnvironmentConfig } from "../../src/config/model";
import { UserError } from "../../src/errors/report";
import { ApplyRefused } from "../../src/gtm/apply/refusals";
import type { GtmApi } from "../../src/gtm/core/api";
import { fromGtmExport, GtmExportError } from "../../src/gtm/export";
import type { FakeTagManager } from "../../src/gtm/fake";
import { desiredContainer } from "../../src/gtm/model/desired";
import { plan } from "../../src/gtm/plan";
import type { Plan } from "../../src/gtm/plan/types";
import { problemMessage } from "../../src/gtm/render/wording";
import {
  CONTAINER_EXPORTS,
  type ExportFile,
  exportText,
  stapeDataClient,
  uiExportLocalType,
} from "./containers/exports";
import { foreignWrites, seedFromExport } from "./containers/seed";
import {
  applyWith,
  connect,
  containerPathOf,
  kitEntities,
  liveVersion,
  planWith,
  productionEnv,
  rejectionOf,
  startFake,
  writesSince,
} from "./e2e-helpers";
import { CONTAINER_ID, expectGolden, loadEnv, PRODUCTION_ENV } from "./fixtures";

let fake: FakeTagManager;
let api: GtmApi;
let env: EnvironmentConfig;

beforeAll(async () => {
  fake = await startFake();
  env = productionEnv();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  api = connect(fake);
});

/** PRODUCTION_ENV with these gtm keys added. */
function envWith(gtm: string): EnvironmentConfig {
  return loadEnv(
    PRODUCTION_ENV.replace(
      `gtm:\n  containerId: "${CONTAINER_ID}"\n`,
      `gtm:\n  containerId: "${CONTAINER_ID}"\n${gtm}`,
    ),
  );
}

/** What `plan --from-export` computes for the file's text. */
function planFromExport(file: ExportFile, config = env, options: { bom?: boolean } = {}): Plan {
  return plan(desiredContainer(config), fromGtmExport(exportText(file, options), "container.json"), {});
}

const codes = (problems: Plan["warnings"]) => problems.map((p) => p.code);
const changeList = (p: Plan) => p.changes.map((c) => `${c.action} ${c.kind} ${c.name}`);

/** Seeds the fake with `file`, then applies `config`; returns what the run wrote that the kit does not own. */
async function applyToSeeded(file: ExportFile, config = env) {
  const seeded = seedFromExport(fake, file);
  const workspacesBefore = fake.state.listWorkspaces(seeded.containerPath).map((w) => w.path ?? "");
  const live = await planWith(api, config);
  const since = fake.requests.length;
  const result = await applyWith(api, config);
  return {
    live: live.plan,
    result,
    foreign: foreignWrites(fake, config, since, seeded.version, workspacesBefore),
    since,
  };
}

describe("the fixture files", () => {
  test.each(Object.entries(CONTAINER_EXPORTS))("%s is what its builder writes", (name, build) => {
    expectGolden(`containers/${name}`, exportText(build()));
  });

  test("bom.json is the UI export saved with a byte-order mark", () => {
    expectGolden("containers/bom.json", exportText(uiExportLocalType(), { bom: true }));
  });
});

test("the request-log check catches a hand-made entity written, and a write outside the kit's workspace", async () => {
  const seeded = seedFromExport(fake, stapeDataClient());
  const before = liveVersion(fake, env);
  const workspacesBefore = fake.state.listWorkspaces(seeded.containerPath).map((w) => w.path ?? "");
  const since = fake.requests.length;
  const kit = (await api.createWorkspace(seeded.containerPath, env.gtm.workspace, "")).path ?? "";
  const handMadeTag = before.tag?.[0]?.tagId ?? "";
  await api.remove("tags", `${kit}/tags/${handMadeTag}`);
  await api.create("variables", seeded.workspacePath, {
    name: "By the kit?",
    type: "c",
    parameter: [{ type: "template", key: "value", value: "x" }],
  });
  expect(foreignWrites(fake, env, since, before, workspacesBefore)).toEqual([
    `DELETE ${kit}/tags/${handMadeTag}: deletes hand-made tag ${handMadeTag}`,
    `POST ${seeded.workspacePath}/variables: in a workspace the kit did not create`,
  ]);
});

describe("the official template added without a gallery template id (UI export, cvt_<containerId>_<templateId>)", () => {
  test("plan from the export adopts it with its tags' type and flags the hand-made tag", () => {
    const result = planFromExport(uiExportLocalType());
    // Before: template-type-unknown, an error refusing the plan.
    expect(result.errors).toEqual([]);
    expect(result.template).toMatchObject({
      action: "reuse",
      templateId: "9",
      tagType: `cvt_${CONTAINER_ID}_9`,
    });
    expect(codes(result.warnings)).toEqual(["double-sending"]);
    expect(problemMessage(result.warnings[0] as Plan["warnings"][number])).toContain(
      '"TikTok - CompletePayment" sends to TikTok\'s Events API (template "TikTok Events API (Official)", tiktok/gtm-template-eapi) and fires on purchase',
    );
    const tagTypes = result.changes.flatMap((c) => (c.kind === "tag" && "body" in c ? [c.body.type] : []));
    expect(new Set(tagTypes)).toEqual(new Set([`cvt_${CONTAINER_ID}_9`]));
  });

  test("the same file with a byte-order mark plans the same", () => {
    expect(changeList(planFromExport(uiExportLocalType(), env, { bom: true }))).toEqual(
      changeList(planFromExport(uiExportLocalType())),
    );
  });

  test("apply against the same container: no second import, the kit's tags of its type, nothing foreign written", async () => {
    const { live, result, foreign, since } = await applyToSeeded(uiExportLocalType());
    expect(changeList(live)).toEqual(changeList(planFromExport(uiExportLocalType())));
    expect(live.template.action).toBe("reuse");
    expect(result.published).toBe(result.version?.id);
    expect(writesSince(fake, since).filter((r) => r.path.endsWith(":import_from_gallery"))).toEqual([]);
    const kit = kitEntities(liveVersion(fake, env), env.stackName);
    expect(new Set(kit.tags.map((t) => t.type))).toEqual(new Set([live.template.tagType]));
    expect(live.template.tagType).toMatch(new RegExp(`^cvt_${CONTAINER_ID}_\\d+$`));
    expect(foreign).toEqual([]);
  });

  test("a hand-made template merely named like the official one is a plan error; apply writes nothing", async () => {
    const file = uiExportLocalType();
    const [template] = file.containerVersion.customTemplate ?? [];
    const { galleryReference: _gone, ...fromFile } = template ?? {};
    const renamed: ExportFile = {
      ...file,
      containerVersion: { ...file.containerVersion, customTemplate: [fromFile] },
    };
    const fromExport = planFromExport(renamed);
    // Before: the plan imported the gallery template, and apply failed on the duplicate name.
    expect(codes(fromExport.errors)).toEqual(["template-name-clash"]);
    // Its code may send to TikTok (its permission says so): its tag still counts as double-sending.
    expect(codes(fromExport.warnings)).toContain("double-sending");

    seedFromExport(fake, renamed);
    const since = fake.requests.length;
    const refused = await rejectionOf(applyWith(api, env));
    expect(refused).toBeInstanceOf(ApplyRefused);
    expect(refused.message).toContain('the template "TikTok Events API (Official)"');
    expect(writesSince(fake, since)).toEqual([]);
  });
});

describe("an API dump with the gallery's type (cvt_<galleryTemplateId>), its hand-made senders idle", () => {
  test("plan lists the paused and the trigger-less TikTok tag as present, and no double sending", () => {
    const result = planFromExport(CONTAINER_EXPORTS["api-dump-gallery-type.json"]());
    expect(result.template).toMatchObject({ action: "reuse", tagType: "cvt_KX8Q2" });
    expect(result.errors).toEqual([]);
    // Before: neither was mentioned at all.
    expect(result.warnings.map((w) => [w.code, "name" in w ? w.name : ""])).toEqual([
      ["idle-sender", "TikTok (no trigger yet)"],
      ["idle-sender", "TikTok purchase (paused)"],
    ]);
  });

  test("apply against it writes only the kit's entities", async () => {
    const file = CONTAINER_EXPORTS["api-dump-gallery-type.json"]();
    const { live, result, foreign } = await applyToSeeded(file);
    expect(changeList(live)).toEqual(changeList(planFromExport(file)));
    expect(result.version).toBeDefined();
    expect(foreign).toEqual([]);
  });
});

describe("a web container", () => {
  test("its export is refused, naming the file and what the container is", () => {
    const text = exportText(CONTAINER_EXPORTS["web-container.json"]());
    expect(() => fromGtmExport(text, "web.json", { containerId: CONTAINER_ID })).toThrow(GtmExportError);
    expect(() => fromGtmExport(text, "web.json", { containerId: CONTAINER_ID })).toThrow(
      `web.json: the exported container (GTM-SHOPWEB, "Shop - Web") is a web container, not a server container`,
    );
  });

  test("plan and apply against it stop naming gtm.containerId, before any write", async () => {
    seedFromExport(fake, CONTAINER_EXPORTS["web-container.json"]());
    const since = fake.requests.length;
    for (const run of [planWith(api, env), applyWith(api, env)]) {
      const error = await rejectionOf(run);
      expect(error).toBeInstanceOf(UserError);
      expect(error.message).toContain(
        `gtm.containerId ${CONTAINER_ID} (GTM-SHOPWEB, "Shop - Web") is a web container, not a server container`,
      );
    }
    // Before: the kit's entities were created and published there.
    expect(writesSince(fake, since)).toEqual([]);
  });
});

describe("GA4 and Stape's Data Client, with Stape's TikTok tag on purchase", () => {
  const twoClients = () => envWith("  clients: [GA4, Data Client]\n");

  test("with gtm.clients left at GA4: double sending by Stape's tag, and the Data Client the config does not name", () => {
    const result = planFromExport(stapeDataClient());
    expect(result.template.action).toBe("import");
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => [w.code, "name" in w ? w.name : ""])).toEqual([
      ["double-sending", "TikTok EAPI - Purchase"],
      ["client-not-named", "Data Client"],
    ]);
  });

  test("with gtm.clients [GA4, Data Client]: a trigger per client's consent signal, the Consent line says which", () => {
    const result = planFromExport(stapeDataClient(), twoClients());
    expect(codes(result.warnings)).toEqual(["double-sending"]);
    expect(result.environment.consent.signals).toEqual([
      "x-ga-gcs (ad_storage) from the GA4 client",
      "consent_state.ad_storage (ad_storage) from the Data Client client",
    ]);
    expect(changeList(result)).toContain("create trigger TikTok Kit | Event Name is purchase (Data Client)");
  });

  test("apply imports the official template next to Stape's, fires on both clients, writes nothing foreign", async () => {
    const config = twoClients();
    const { live, result, foreign } = await applyToSeeded(stapeDataClient(), config);
    expect(changeList(live)).toEqual(changeList(planFromExport(stapeDataClient(), config)));
    expect(result.published).toBe(result.version?.id);
    const published = liveVersion(fake, config);
    expect(published.customTemplate?.map((t) => t.name).sort()).toEqual([
      "Data Client",
      "TikTok Events API",
      "TikTok Events API (Official)",
    ]);
    const purchase = kitEntities(published, config.stackName).tags.find((t) => t.name.endsWith("(purchase)"));
    expect(purchase?.firingTriggers).toEqual([
      "TikTok Kit | Event Name is purchase",
      "TikTok Kit | Event Name is purchase (Data Client)",
    ]);
    expect(foreign).toEqual([]);
  });
});

describe("retiring an environment", () => {
  test("removes everything the kit owns in one published version; the template, built-ins and hand-made entities stay", async () => {
    const seeded = seedFromExport(fake, stapeDataClient());
    await applyWith(api, env);
    const retired = { ...env, retired: true };
    const before = liveVersion(fake, env);
    const owned = kitEntities(before, env.stackName);
    const ownedCount = owned.tags.length + owned.triggers.length + owned.variables.length;

    const { plan: planned } = await planWith(api, retired);
    // Before: a retired environment's plan showed creates, and apply refused.
    expect(planned.changes.every((c) => c.action === "delete")).toBe(true);
    expect(planned.changes).toHaveLength(ownedCount);
    expect(planned.template.action).toBe("none");
    expect(planned.builtIns).toEqual([]);
    expect(planned.errors).toEqual([]);
    expect(codes(planned.warnings)).toEqual([]); // no mass-delete warning: a retirement deletes everything

    const workspacesBefore = fake.state.listWorkspaces(seeded.containerPath).map((w) => w.path ?? "");
    const since = fake.requests.length;
    const result = await applyWith(api, retired); // no --allow-mass-delete
    expect(result.published).toBe(result.version?.id);
    expect(foreignWrites(fake, env, since, before, workspacesBefore)).toEqual([]);
    // Deleted one by one or in a bulk update: each of the kit's entities once, nothing else.
    const deleted = writesSince(fake, since).flatMap((r) => {
      if (r.method === "DELETE" && /\/(tags|triggers|variables)\//.test(r.path)) return [r.path];
      const changes = (r.body as { changes?: { changeStatus?: string; path?: string }[] } | undefined)
        ?.changes;
      return (changes ?? []).filter((c) => c.changeStatus === "deleted").map((c) => c.path ?? "");
    });
    expect(deleted).toHaveLength(ownedCount);

    const after = liveVersion(fake, env);
    expect(kitEntities(after, env.stackName)).toMatchObject({ tags: [], triggers: [], variables: [] });
    expect(after.tag?.map((t) => t.name)).toEqual(["TikTok EAPI - Purchase"]);
    expect(after.customTemplate?.map((t) => t.name)).toContain("TikTok Events API (Official)");
    expect(after.builtInVariable?.map((b) => b.type).sort()).toEqual(["clientName", "eventName"]);
    const again = await planWith(api, retired);
    expect(again.plan.hasChanges || again.plan.publish.liveDiffers).toBe(false);
    expect(containerPathOf(env)).toBe(seeded.containerPath);
  });
});
