/**
 * End to end, containers the kit meets in other states than the demo's: one never versioned (GTM put
 * its default client into every workspace), one whose TikTok template was added by hand without a
 * gallery id, and plans that would delete most of what the kit made.
 */
import type { EnvironmentConfig } from "../../src/config/model";
import { ApplyRefused } from "../../src/gtm/apply/refusals";
import type { GtmApi } from "../../src/gtm/core/api";
import {
  buildTemplateData,
  type FakeTagManager,
  TIKTOK_GALLERY_ENTRY,
  TIKTOK_TEMPLATE_FIELDS,
} from "../../src/gtm/fake";
import { problemMessage } from "../../src/gtm/render/wording";
import {
  applyWith,
  changeByHand,
  connect,
  containerPathOf,
  DEFAULT_WORKSPACE,
  handMadeTikTokPurchase,
  kitEntities,
  liveVersion,
  planWith,
  productionEnv,
  rejectionOf,
  seed,
  startFake,
  workspaceNames,
  writesSince,
} from "./e2e-helpers";
import { loadEnv, PRODUCTION_ENV, productionWith } from "./fixtures";

let fake: FakeTagManager;
let env: EnvironmentConfig;
let api: GtmApi;

beforeAll(async () => {
  fake = await startFake();
  env = productionEnv();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  api = connect(fake);
});

/** The name of the environment's (first) GA4 client. */
const firstClient = () => env.gtm.clients[0]?.name ?? "";

describe("a container never versioned", () => {
  /** A server container made in the GTM UI: its GA4 client only in the Default Workspace, nothing versioned. */
  function neverVersioned(clients = [{ name: firstClient(), type: "gaaw_client" }]) {
    return fake.state.createContainer({ ...env.gtm, firstWorkspaceClients: clients });
  }

  test("the plan says the first version publishes GTM's default GA4 client; apply does so with the kit's entities", async () => {
    neverVersioned();
    const { plan, refusals } = await planWith(api, env);
    expect(refusals).toEqual([]);
    expect(plan.errors).toEqual([]);
    const first = plan.warnings.filter((w) => w.code === "first-version");
    expect(first).toHaveLength(1);
    expect(problemMessage(first[0])).toContain("publishes that client together with the kit's entities");

    const result = await applyWith(api, env);
    expect(result.published).toBe(result.version?.id);
    expect(result.notes).toContain(
      `version ${result.version?.id} is the container's first: it holds GTM's default client "${firstClient()}" too`,
    );
    const live = liveVersion(fake, env);
    expect(live.client?.map((c) => [c.name, c.type])).toEqual([[firstClient(), "gaaw_client"]]);
    expect(kitEntities(live, env.stackName).tags.length).toBeGreaterThan(0);
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);
    const next = await planWith(api, env);
    expect(next.plan.hasChanges || next.plan.publish.liveDiffers).toBe(false);
    expect(next.plan.warnings.map((w) => w.code)).not.toContain("first-version");
    // People go on in the Default Workspace: it merges the first version without a conflict.
    changeByHand(fake, env, () => {});
  });

  test("any other change GTM put there: apply refuses with the one step that fixes it, never 'discard'", async () => {
    neverVersioned([
      { name: firstClient(), type: "gaaw_client" },
      { name: "Measurement Protocol", type: "gamp_client" },
    ]);
    const since = fake.requests.length;
    const error = await rejectionOf(applyWith(api, env));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect(error.message).toContain('added client "Measurement Protocol"');
    expect(error.message).not.toContain(`"${firstClient()}"`);
    expect(error.message).toContain(
      "publish the container's first version from its Default Workspace in GTM (Submit), then run again",
    );
    expect(error.message).not.toMatch(/discard/i);
    // The workspace it made to find out is gone again.
    expect(writesSince(fake, since).map((r) => r.method)).toEqual(["POST", "DELETE"]);
    expect(workspaceNames(fake, env)).toEqual([DEFAULT_WORKSPACE]);

    // The step: someone publishes the first version; then the kit applies on top of it.
    changeByHand(fake, env, () => {});
    const result = await applyWith(api, env);
    expect(result.published).toBe(result.version?.id);
    expect(
      liveVersion(fake, env)
        .client?.map((c) => c.name)
        .sort(),
    ).toEqual([firstClient(), "Measurement Protocol"].sort());
  });

  test("without a default client the plan still says it is the first version", async () => {
    neverVersioned([]);
    const { plan } = await planWith(api, env);
    expect(plan.warnings.map((w) => w.code)).toContain("first-version");
    await applyWith(api, env);
    expect(fake.state.listVersionHeaders(containerPathOf(env))).toHaveLength(1);
  });
});

describe("a TikTok template added by hand", () => {
  test("tags typed cvt_<container>_<template> and no gallery id: the kit adopts the type and flags the hand-made tag", async () => {
    const { workspacePath } = fake.state.createContainer(env.gtm);
    fake.state.seedClient(workspacePath, { name: firstClient(), type: "gaaw_client" });
    // Added from a file, with the gallery's coordinates but neither a gallery id nor a resolved ___INFO___ id.
    const template = fake.state.create(workspacePath, "templates", {
      name: TIKTOK_GALLERY_ENTRY.displayName,
      templateData: buildTemplateData({
        id: "cvt_temp_public_id",
        displayName: TIKTOK_GALLERY_ENTRY.displayName,
        fields: TIKTOK_TEMPLATE_FIELDS,
      }),
      galleryReference: {
        host: "github.com",
        owner: TIKTOK_GALLERY_ENTRY.owner,
        repository: TIKTOK_GALLERY_ENTRY.repository,
        version: TIKTOK_GALLERY_ENTRY.shas[0],
      },
    });
    const localType = `cvt_${env.gtm.containerId}_${template.templateId}`;
    handMadeTikTokPurchase(fake, workspacePath, localType);
    fake.state.seedPublishedVersion(workspacePath, "By hand");

    const { plan } = await planWith(api, env);
    expect(plan.errors).toEqual([]);
    expect(plan.template).toMatchObject({ action: "reuse", tagType: localType });
    const doubles = plan.warnings.filter((w) => w.code === "double-sending");
    expect(doubles).toEqual([expect.objectContaining({ name: "TikTok purchase (by hand)" })]);

    await applyWith(api, env);
    const kitTags = kitEntities(liveVersion(fake, env), env.stackName).tags;
    expect(kitTags.length).toBeGreaterThan(0);
    for (const tag of kitTags) expect(tag.type).toBe(localType);
    const next = await planWith(api, env);
    expect(next.plan.hasChanges || next.plan.publish.liveDiffers).toBe(false);
  });
});

describe("two environments on one container", () => {
  test("the second's plan is one shared-container error, nothing double-sending or to adopt; its apply writes nothing", async () => {
    seed(fake, env);
    await applyWith(api, env);
    const second = loadEnv(PRODUCTION_ENV, { envName: "staging" });
    expect(second.gtm.containerId).toBe(env.gtm.containerId);

    const { plan } = await planWith(api, second);
    expect(plan.errors.map((e) => e.code)).toEqual(["shared-container"]);
    expect(plan.warnings.map((w) => w.code)).not.toContain("double-sending");
    const message = problemMessage(plan.errors[0]);
    expect(message).toContain(`manages for ${env.stackName}`);
    expect(message).not.toContain("hand-made");

    const since = fake.requests.length;
    const error = await rejectionOf(applyWith(api, second));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect(error.message).toContain("two environments cannot share a GTM container");
    expect(writesSince(fake, since)).toEqual([]);
  });
});

describe("a plan that deletes most of the kit's entities", () => {
  const withEvents = (events: string) =>
    loadEnv(productionWith(`  consent: ad-storage-granted\n  events:${events}\n`));

  test("an emptied event map is planned with a mass-delete warning, and apply refuses it without --allow-mass-delete", async () => {
    seed(fake, env);
    await applyWith(api, env);
    const owned = kitEntities(liveVersion(fake, env), env.stackName);
    const ownedCount = owned.tags.length + owned.triggers.length + owned.variables.length;
    const emptied = withEvents(" {}");

    const { plan } = await planWith(api, emptied);
    const deletes = plan.changes.filter((c) => c.action === "delete").length;
    expect(deletes * 2).toBeGreaterThan(ownedCount);
    expect(plan.warnings.filter((w) => w.code === "mass-delete")).toEqual([
      { severity: "warning", code: "mass-delete", stack: env.stackName, deletes, owned: ownedCount },
    ]);
    expect(problemMessage(plan.warnings.find((w) => w.code === "mass-delete") ?? plan.warnings[0])).toContain(
      `sgtm gtm apply --env ${env.stackName} --allow-mass-delete`,
    );

    const since = fake.requests.length;
    const error = await rejectionOf(applyWith(api, emptied));
    expect(error).toBeInstanceOf(ApplyRefused);
    expect(error.message).toContain(`deletes ${deletes} of the ${ownedCount} entities`);
    expect(error.message).toContain("a deploy's GTM step never passes it");
    expect(writesSince(fake, since)).toEqual([]);

    const result = await applyWith(api, emptied, { allowMassDelete: true });
    expect(result.published).toBe(result.version?.id);
    expect(kitEntities(liveVersion(fake, env), env.stackName).tags).toEqual([]);
  });

  test("dropping one event of three deletes less than half: no warning, applied as usual", async () => {
    seed(fake, env);
    await applyWith(api, env);
    const fewer = withEvents("\n    page_view: {}\n    purchase: {}");
    const { plan } = await planWith(api, fewer);
    expect(plan.changes.some((c) => c.action === "delete")).toBe(true);
    expect(plan.warnings.map((w) => w.code)).not.toContain("mass-delete");
    await applyWith(api, fewer);
  });
});
