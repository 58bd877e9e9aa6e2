/**
 * Shared fixtures of the GTM core tests: configs loaded through the real loader, a simulation of what
 * the Tag Manager API returns after an apply (ids, paths, fingerprints, server defaults), hand-made
 * entities as people create them in the UI, and golden-file comparison.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadEnvironments } from "../../src/config/load";
import type { EnvironmentConfig } from "../../src/config/model";
import type {
  BuiltInVariable,
  ContainerVersion,
  CustomTemplate,
  Tag,
  Trigger,
  Variable,
} from "../../src/gtm/core/api";
import { ownershipMarker } from "../../src/gtm/core/ownership";
import { TIKTOK_GALLERY, templateTagType } from "../../src/gtm/core/tiktok-template";
import { buildTemplateData, type TemplateField } from "../../src/gtm/fake/gallery";
import { toApiBody } from "../../src/gtm/model/api-body";
import { desiredContainer } from "../../src/gtm/model/desired";
import type { DesiredContainer } from "../../src/gtm/model/types";
import type { ActualWorkspace } from "../../src/gtm/plan/actual";

/** Never printed by any render, export or JSON: tests search every output for it. */
export const TOKEN_SENTINEL = "SENTINEL-tiktok-token-7f3a9c1e5b";

export const CONTAINER_ID = "123456789";
const ACCOUNT_ID = "6012345678";
const WORKSPACE_PATH = `accounts/${ACCOUNT_ID}/containers/${CONTAINER_ID}/workspaces/3`;

export const SHOP_CLIENT = `gcp:
  region: europe-west1
gtm:
  accountId: "${ACCOUNT_ID}"
tiktok:
  pixelId: C4A1B2C3D4E5F6G7H8I9
  pixelEventNames: legacy
`;

/** The article's setup in production: legacy pixel names, granted-required consent, purchase overrides. */
export const PRODUCTION_ENV = `tier: production
gcp:
  project: shop-sgtm-prod
domain:
  tagging: sgtm.shop.com
gtm:
  containerId: "${CONTAINER_ID}"
tiktok:
  consent: ad-storage-granted
  events:
    page_view: {}
    add_to_cart: {}
    purchase:
      value: { eventData: value }
      currency: { constant: EUR }
      contents: { eventData: tt_contents }
      customProperties:
        order_id: { eventData: transaction_id }
      user:
        email: { eventData: user_data.email_address }
`;

export function loadEnv(
  envYaml: string,
  options: { client?: string; envName?: string; clientName?: string } = {},
): EnvironmentConfig {
  const root = mkdtempSync(join(tmpdir(), "sgtm-gtm-"));
  const dir = join(root, options.clientName ?? "shop");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "client.yaml"), options.client ?? SHOP_CLIENT);
  const envPath = join(dir, `${options.envName ?? "production"}.yaml`);
  writeFileSync(envPath, envYaml);
  const [config] = loadEnvironments([envPath]);
  if (!config) throw new Error("no config loaded");
  return config;
}

/** Replaces `tiktok:` settings of PRODUCTION_ENV (keeps the rest). */
export function productionWith(tiktokBlock: string): string {
  return PRODUCTION_ENV.replace(/tiktok:\n[\s\S]*$/, `tiktok:\n${tiktokBlock}`);
}

/** The desired container of PRODUCTION_ENV with this event map (YAML under `tiktok.events:`). */
export function desiredWithEvents(events: string): DesiredContainer {
  return desiredContainer(loadEnv(productionWith(`  consent: ad-storage-granted\n  events:\n${events}`)));
}

/** Search configured, then removed: the kit deletes its search tag, trigger and variable. */
export const SEARCH = {
  variable: "TikTok Kit | Event Data search_term",
  trigger: "TikTok Kit | Event Name is search",
  tag: "TikTok Kit | Search (search)",
  /** purchase, and search with a custom property from event data search_term. */
  before: (): DesiredContainer =>
    desiredContainer(
      loadEnv(
        productionWith(
          "  consent: ad-storage-granted\n  events:\n    purchase: {}\n    search:\n      customProperties:\n        query: { eventData: search_term }\n",
        ),
      ),
    ),
  /** purchase only. */
  after: (): DesiredContainer =>
    desiredContainer(loadEnv(productionWith("  consent: ad-storage-granted\n  events:\n    purchase: {}\n"))),
};

/** `workspace` with these hand-made entities added after its own. */
export function withHandMade(
  workspace: ActualWorkspace,
  extra: Partial<Pick<ActualWorkspace, "tags" | "triggers" | "variables">>,
): ActualWorkspace {
  return {
    ...workspace,
    tags: [...workspace.tags, ...(extra.tags ?? [])],
    triggers: [...workspace.triggers, ...(extra.triggers ?? [])],
    variables: [...workspace.variables, ...(extra.variables ?? [])],
  };
}

export function emptyWorkspace(): ActualWorkspace {
  return {
    containerId: CONTAINER_ID,
    tags: [],
    triggers: [],
    variables: [],
    templates: [],
    builtInVariables: [],
  };
}

/** Stape's TikTok Events API template (stape-io/tiktok-tag) as imported from the gallery: tags typed `cvt_STP01`. */
export function stapeTemplate(fields: readonly TemplateField[] = []): CustomTemplate {
  return {
    templateId: "60",
    name: "TikTok Events API",
    templateData: buildTemplateData({
      id: "cvt_STP01",
      displayName: "TikTok Events API",
      fields,
      sendHttp: ["https://business-api.tiktok.com/"],
    }),
    galleryReference: {
      host: "github.com",
      owner: "stape-io",
      repository: "tiktok-tag",
      version: "80b7d81b4658b07370c36a9700e8ccf99b26fde1",
      galleryTemplateId: "STP01",
    },
  };
}

/** A template created from raw data (no gallery reference): tags typed `cvt_<containerId>_<templateId>`. */
export function rawTemplate(templateId: string, name: string, sendHttp?: "any" | string[]): CustomTemplate {
  return {
    templateId,
    name,
    templateData: buildTemplateData({
      id: "cvt_temp_public_id",
      displayName: name,
      fields: [],
      ...(sendHttp ? { sendHttp } : {}),
    }),
  };
}

/** The TikTok template as the gallery import returns it (`___INFO___.id` = `cvt_<galleryTemplateId>`). */
export function galleryTemplate(
  options: { templateId?: string; galleryTemplateId?: string; infoId?: string; version?: string } = {},
): CustomTemplate {
  const templateId = options.templateId ?? "50";
  const galleryTemplateId = options.galleryTemplateId ?? "5TP8W";
  const info = {
    type: "TAG",
    id: options.infoId ?? `cvt_${galleryTemplateId}`,
    displayName: "TikTok Events API (Official)",
  };
  return {
    path: `${WORKSPACE_PATH}/templates/${templateId}`,
    accountId: ACCOUNT_ID,
    containerId: CONTAINER_ID,
    workspaceId: "3",
    templateId,
    name: "TikTok Events API (Official)",
    fingerprint: "1700000000001",
    templateData: `___INFO___\n\n${JSON.stringify(info, null, 2)}\n\n___TEMPLATE_PARAMETERS___\n\n[]\n`,
    galleryReference: {
      host: "github.com",
      owner: TIKTOK_GALLERY.owner,
      repository: TIKTOK_GALLERY.repository,
      version: options.version ?? TIKTOK_GALLERY.sha,
      signature: "fake-signature",
      galleryTemplateId,
      isModified: false,
    },
  };
}

export interface SimulateOptions {
  /** Entities already in the workspace (hand-made ones stay). */
  readonly existing?: ActualWorkspace;
  /** Also publish: the live version then holds the result (plus a GA4 client). */
  readonly publish?: boolean;
  readonly token?: string;
}

/**
 * What reading the workspace returns after an apply of `desired`, as the real API would: ids, paths,
 * fingerprints, server-filled defaults, and parameters in the server's own order.
 */
export function simulateApply(desired: DesiredContainer, options: SimulateOptions = {}): ActualWorkspace {
  const existing = options.existing ?? emptyWorkspace();
  const templates = existing.templates.some(
    (t) => t.galleryReference?.repository === TIKTOK_GALLERY.repository,
  )
    ? existing.templates
    : [...existing.templates, galleryTemplate()];
  const tikTokTemplate = templates.find((t) => t.galleryReference?.repository === TIKTOK_GALLERY.repository);
  const tagType = templateTagType(tikTokTemplate as CustomTemplate, CONTAINER_ID);
  let nextId = 100;
  const server = (kind: string, idField: string) => {
    const id = String(nextId++);
    return {
      path: `${WORKSPACE_PATH}/${kind}/${id}`,
      accountId: ACCOUNT_ID,
      containerId: CONTAINER_ID,
      workspaceId: "3",
      [idField]: id,
      fingerprint: `17000000${id}`,
      tagManagerUrl: `https://tagmanager.google.com/#/container/${kind}/${id}`,
    };
  };
  const token = options.token ?? TOKEN_SENTINEL;
  const variables: Variable[] = desired.variables.map((v) => {
    const body = toApiBody("variable", v, { accessToken: token });
    return {
      ...server("variables", "variableId"),
      ...body,
      parameter: [...(body.parameter ?? [])].reverse(),
      formatValue: {},
    };
  });
  const triggerIds = new Map<string, string>();
  const triggers: Trigger[] = desired.triggers.map((t) => {
    const fields = server("triggers", "triggerId");
    triggerIds.set(t.name, fields.triggerId as string);
    return { ...fields, ...toApiBody("trigger", t, {}) };
  });
  const tags: Tag[] = desired.tags.map((t) => {
    const body = toApiBody("tag", t, { tagType, triggerIds });
    return {
      ...server("tags", "tagId"),
      ...body,
      parameter: [...(body.parameter ?? [])].reverse(),
      consentSettings: { consentStatus: "notSet" },
      monitoringMetadata: { type: "map" },
    };
  });
  const enabled = new Set(existing.builtInVariables.map((b) => b.type));
  const builtInVariables: BuiltInVariable[] = [
    ...existing.builtInVariables,
    ...desired.builtIns
      .filter((type) => !enabled.has(type))
      .map((type) => ({ type, name: type === "eventName" ? "Event Name" : "Client Name" })),
  ];
  const workspace: ActualWorkspace = {
    containerId: CONTAINER_ID,
    tags: [...existing.tags, ...tags],
    triggers: [...existing.triggers, ...triggers],
    variables: [...existing.variables, ...variables],
    templates,
    builtInVariables,
    ...(existing.liveVersion ? { liveVersion: existing.liveVersion } : {}),
  };
  return options.publish ? { ...workspace, liveVersion: versionOf(workspace) } : workspace;
}

export function versionOf(workspace: ActualWorkspace, clients = ["GA4"]): ContainerVersion {
  return {
    containerVersionId: "7",
    tag: workspace.tags,
    trigger: workspace.triggers,
    variable: workspace.variables,
    customTemplate: workspace.templates,
    builtInVariable: workspace.builtInVariables,
    client: clients.map((name, i) => ({ clientId: String(i + 1), name, type: "gaaw_client" })),
  };
}

/** Hand-made entities as a UI user leaves them: no marker, UPPER_SNAKE enums when read from an export. */
export const handMade = {
  ga4Trigger: (): Trigger => ({
    triggerId: "10",
    name: "All Events",
    type: "customEvent",
    customEventFilter: [
      {
        type: "matchRegex",
        parameter: [
          { type: "template", key: "arg0", value: "{{_event}}" },
          { type: "template", key: "arg1", value: ".*" },
        ],
      },
    ],
    fingerprint: "1",
  }),
  ga4Tag: (): Tag => ({
    tagId: "11",
    name: "GA4 All Events",
    type: "sgtmgaaw",
    parameter: [{ type: "boolean", key: "redactVisitorIp", value: "false" }],
    firingTriggerId: ["10"],
    fingerprint: "1",
  }),
  variable: (name = "Transaction ID"): Variable => ({
    variableId: "12",
    name,
    type: "ed",
    parameter: [{ type: "template", key: "keyPath", value: "transaction_id" }],
    fingerprint: "1",
  }),
  purchaseTrigger: (): Trigger => ({
    triggerId: "20",
    name: "Event purchase",
    type: "CUSTOM_EVENT",
    customEventFilter: [
      {
        type: "EQUALS",
        parameter: [
          { type: "TEMPLATE", key: "arg0", value: "{{_event}}" },
          { type: "TEMPLATE", key: "arg1", value: "purchase" },
        ],
      },
    ],
    fingerprint: "1",
  }),
  tikTokTag: (type: string): Tag => ({
    tagId: "21",
    name: "TikTok - CompletePayment",
    type,
    parameter: [
      { type: "TEMPLATE", key: "pixel_code", value: "C4A1B2C3D4E5F6G7H8I9" },
      { type: "TEMPLATE", key: "access_token", value: TOKEN_SENTINEL },
      { type: "TEMPLATE", key: "event", value: "CompletePayment" },
    ],
    firingTriggerId: ["20"],
    tagFiringOption: "ONCE_PER_EVENT",
    fingerprint: "1",
  }),
  /** A GA4 tag sending `{{variable}}` in a nested map value (an event parameter). */
  mapReference: (variable: string): Tag => ({
    ...handMade.ga4Tag(),
    name: "GA4 search",
    parameter: [
      {
        type: "LIST",
        key: "eventParameters",
        list: [
          {
            type: "MAP",
            map: [
              { type: "TEMPLATE", key: "name", value: "search_term" },
              { type: "TEMPLATE", key: "value", value: `q={{${variable}}}` },
            ],
          },
        ],
      },
    ],
  }),
  /** A trigger with a condition on `{{variable}}`. */
  conditionOn: (variable: string): Trigger => ({
    ...handMade.purchaseTrigger(),
    triggerId: "30",
    name: "Long searches",
    filter: [
      {
        type: "CONTAINS",
        parameter: [
          { type: "TEMPLATE", key: "arg0", value: `{{${variable}}}` },
          { type: "TEMPLATE", key: "arg1", value: " " },
        ],
      },
    ],
  }),
};

/** Marks an entity as owned by `stack` (what adoption in the UI does). */
export function adopted<T extends { notes?: string | null }>(entity: T, stack: string): T {
  return { ...entity, notes: `${ownershipMarker(stack)}\nadopted` };
}

const GOLDEN_DIR = join(__dirname, "..", "fixtures", "gtm");

/** Compares with a checked-in file; `UPDATE_GOLDEN=1` rewrites it instead. */
export function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing: run with UPDATE_GOLDEN=1`);
  expect(actual).toBe(readFileSync(path, "utf8"));
}
