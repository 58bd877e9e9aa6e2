/**
 * Container exports shaped like real ones, written for these tests (no third-party file is committed):
 * the shapes follow public exports studied for issue 16 (docs/facts/gtm-api-v2.md#gallery-templates
 * names them): a UI export writes enums in UPPER_SNAKE and ids as strings, gallery templates carry
 * `galleryReference` with `galleryTemplateId` and the resolved `___INFO___.id`, templates added from a
 * file carry neither and their tags and clients are typed `cvt_<containerId>_<templateId>`; an API dump
 * (a `versions.get` answer in the export envelope) writes lowerCamel enums and full paths.
 *
 * The template texts are the fake's own fixtures (src/gtm/fake/gallery.ts): the official template's
 * fields and `send_http` permission as the pinned version declares them, Stape's TikTok tag with its
 * permission for business-api.tiktok.com, Stape's Data Client with none. The files are written by
 * `UPDATE_GOLDEN=1` from these builders (test/gtm/e2e-real-containers.test.ts checks they match).
 */
import type {
  Client,
  ContainerVersion,
  CustomTemplate,
  Parameter,
  Tag,
  Trigger,
} from "../../../src/gtm/core/api";
import { upperSnakeEnum } from "../../../src/gtm/core/normalize";
import { TIKTOK_GALLERY } from "../../../src/gtm/core/tiktok-template";
import {
  buildTemplateData,
  type TemplateField,
  TIKTOK_SEND_HTTP_URLS,
  TIKTOK_TEMPLATE_FIELDS,
} from "../../../src/gtm/fake/gallery";
import { CONTAINER_ID, stapeTemplate } from "../fixtures";

export const ACCOUNT_ID = "6012345678";
export { CONTAINER_ID };

export interface ExportFile {
  readonly exportFormatVersion: 2;
  readonly exportTime: string;
  readonly containerVersion: ContainerVersion;
}

/** `ui`: GTM's Export Container (UPPER_SNAKE enums, no paths); `api`: a version as the API returns it. */
type Shape = "ui" | "api";

const enumIn = (shape: Shape, value: string) => (shape === "ui" ? upperSnakeEnum(value) : value);

function parameter(shape: Shape, key: string, value: string, type = "template"): Parameter {
  return { type: enumIn(shape, type), key, value };
}

function onEvent(shape: Shape, event: string) {
  return {
    type: enumIn(shape, "equals"),
    parameter: [parameter(shape, "arg0", "{{_event}}"), parameter(shape, "arg1", event)],
  };
}

interface Ids {
  readonly accountId: string;
  readonly containerId: string;
}

function located(shape: Shape, ids: Ids, kind: string, id: string) {
  return {
    ...(shape === "api"
      ? { path: `accounts/${ids.accountId}/containers/${ids.containerId}/versions/12/${kind}/${id}` }
      : {}),
    accountId: ids.accountId,
    containerId: ids.containerId,
  };
}

function trigger(shape: Shape, ids: Ids, triggerId: string, name: string, event: string): Trigger {
  return {
    ...located(shape, ids, "triggers", triggerId),
    triggerId,
    name,
    type: enumIn(shape, "customEvent"),
    customEventFilter: [onEvent(shape, event)],
    fingerprint: "1736530439361",
  };
}

function tag(
  shape: Shape,
  ids: Ids,
  fields: {
    tagId: string;
    name: string;
    type: string;
    parameter: Parameter[];
    firingTriggerId?: string[];
    paused?: boolean;
  },
): Tag {
  return {
    ...located(shape, ids, "tags", fields.tagId),
    tagId: fields.tagId,
    name: fields.name,
    type: fields.type,
    parameter: fields.parameter,
    fingerprint: "1736530439361",
    ...(fields.firingTriggerId && fields.firingTriggerId.length > 0
      ? { firingTriggerId: fields.firingTriggerId }
      : {}),
    ...(fields.paused ? { paused: true } : {}),
    tagFiringOption: enumIn(shape, "oncePerEvent"),
    monitoringMetadata: { type: enumIn(shape, "map") },
    consentSettings: { consentStatus: enumIn(shape, "notSet") },
  };
}

function client(shape: Shape, ids: Ids, clientId: string, name: string, type: string): Client {
  return {
    ...located(shape, ids, "clients", clientId),
    clientId,
    name,
    type,
    parameter: [parameter(shape, "cookieManagement", "server")],
    fingerprint: "1736530439361",
  };
}

/** The official template (TikTok's gallery entry), as imported; `galleryTemplateId` absent: added from a file. */
function officialTemplate(ids: Ids, templateId: string, galleryTemplateId?: string): CustomTemplate {
  return {
    accountId: ids.accountId,
    containerId: ids.containerId,
    templateId,
    name: "TikTok Events API (Official)",
    fingerprint: "1736530439361",
    templateData: buildTemplateData({
      id: galleryTemplateId ? `cvt_${galleryTemplateId}` : "cvt_temp_public_id",
      displayName: "TikTok Events API (Official)",
      fields: TIKTOK_TEMPLATE_FIELDS,
      sendHttp: TIKTOK_SEND_HTTP_URLS,
    }),
    galleryReference: {
      host: "github.com",
      owner: TIKTOK_GALLERY.owner,
      repository: TIKTOK_GALLERY.repository,
      version: TIKTOK_GALLERY.sha,
      signature: "4f7d9a0c1e2b3a4d5c6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d",
      ...(galleryTemplateId ? { galleryTemplateId } : {}),
    },
  };
}

const text = (name: string): TemplateField => ({ type: "TEXT", name, displayName: name });

/** Stape's TikTok Events API tag (stape-io/tiktok-tag) from the gallery: a few of its fields, its permission. */
function stapeTikTokTemplate(ids: Ids, templateId: string): CustomTemplate {
  const fields = ["eventType", "eventName", "pixelId", "accessToken", "testEventCode"].map(text);
  const { galleryReference, ...template } = stapeTemplate(fields);
  return {
    accountId: ids.accountId,
    containerId: ids.containerId,
    ...template,
    templateId,
    fingerprint: "1736530439361",
    galleryReference: {
      ...galleryReference,
      signature: "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b",
    },
  };
}

/** Stape's Data Client added from a file: no gallery reference, its client typed cvt_<containerId>_<templateId>. */
function dataClientTemplate(ids: Ids, templateId: string): CustomTemplate {
  return {
    accountId: ids.accountId,
    containerId: ids.containerId,
    templateId,
    name: "Data Client",
    fingerprint: "1736530439361",
    templateData: buildTemplateData({
      id: "cvt_temp_public_id",
      displayName: "Data Client",
      type: "CLIENT",
      fields: [],
    }),
  };
}

function envelope(
  shape: Shape,
  ids: Ids,
  container: { name: string; publicId: string; usageContext: string },
  version: Omit<ContainerVersion, "container">,
): ExportFile {
  return {
    exportFormatVersion: 2,
    exportTime: "2026-02-09 22:50:11",
    containerVersion: {
      ...(shape === "api"
        ? { path: `accounts/${ids.accountId}/containers/${ids.containerId}/versions/12` }
        : {}),
      accountId: ids.accountId,
      containerId: ids.containerId,
      containerVersionId: "12",
      name: "Published by hand",
      container: {
        accountId: ids.accountId,
        containerId: ids.containerId,
        name: container.name,
        publicId: container.publicId,
        usageContext: [enumIn(shape, container.usageContext)],
        fingerprint: "1736530439361",
      },
      ...version,
      fingerprint: "1736530439361",
    },
  };
}

const IDS: Ids = { accountId: ACCOUNT_ID, containerId: CONTAINER_ID };
const SERVER = { name: "Shop - Server", publicId: "GTM-SHOPSRV", usageContext: "server" };

/**
 * A server container set up by hand in the UI, exported: the official template added from a file (no
 * gallery template id), a hand-made TikTok tag on purchase typed `cvt_<containerId>_<templateId>`.
 */
export function uiExportLocalType(): ExportFile {
  const shape = "ui";
  return envelope(shape, IDS, SERVER, {
    tag: [
      tag(shape, IDS, {
        tagId: "21",
        name: "TikTok - CompletePayment",
        type: `cvt_${CONTAINER_ID}_9`,
        parameter: [
          parameter(shape, "pixel_code", "C4A1B2C3D4E5F6G7H8I9"),
          parameter(shape, "access_token", "{{Const - TikTok token}}"),
          parameter(shape, "event", "CompletePayment"),
        ],
        firingTriggerId: ["20"],
      }),
    ],
    trigger: [trigger(shape, IDS, "20", "CE - purchase", "purchase")],
    variable: [
      {
        accountId: ACCOUNT_ID,
        containerId: CONTAINER_ID,
        variableId: "30",
        name: "Const - TikTok token",
        type: "c",
        parameter: [parameter(shape, "value", "hand-pasted-token-value")],
        fingerprint: "1736530439361",
        formatValue: {},
      },
    ],
    builtInVariable: [
      { accountId: ACCOUNT_ID, containerId: CONTAINER_ID, type: "EVENT_NAME", name: "Event Name" },
      { accountId: ACCOUNT_ID, containerId: CONTAINER_ID, type: "CLIENT_NAME", name: "Client Name" },
    ],
    customTemplate: [officialTemplate(IDS, "9")],
    client: [client(shape, IDS, "5", "GA4", "gaaw_client")],
  });
}

/**
 * The live version read through the API (lowerCamel, paths): the official template from the gallery
 * (`cvt_<galleryTemplateId>`), one hand-made TikTok tag paused, one with no trigger.
 */
export function apiDumpGalleryType(): ExportFile {
  const shape = "api";
  const tikTok = (tagId: string, name: string, extra: { paused?: boolean; firingTriggerId?: string[] }) =>
    tag(shape, IDS, {
      tagId,
      name,
      type: "cvt_KX8Q2",
      parameter: [
        parameter(shape, "pixel_code", "C4A1B2C3D4E5F6G7H8I9"),
        parameter(shape, "event", "CompletePayment"),
      ],
      ...extra,
    });
  return envelope(shape, IDS, SERVER, {
    tag: [
      tikTok("41", "TikTok purchase (paused)", { paused: true, firingTriggerId: ["40"] }),
      tikTok("42", "TikTok (no trigger yet)", {}),
    ],
    trigger: [trigger(shape, IDS, "40", "purchase", "purchase")],
    builtInVariable: [
      { accountId: ACCOUNT_ID, containerId: CONTAINER_ID, type: "eventName", name: "Event Name" },
      { accountId: ACCOUNT_ID, containerId: CONTAINER_ID, type: "clientName", name: "Client Name" },
    ],
    customTemplate: [officialTemplate(IDS, "38", "KX8Q2")],
    client: [client(shape, IDS, "3", "GA4", "gaaw_client")],
  });
}

/** A web container: its tags are the page's, it holds no client (GTM's boilerplate web exports' shape). */
export function webContainer(): ExportFile {
  const shape = "ui";
  return envelope(
    shape,
    IDS,
    { name: "Shop - Web", publicId: "GTM-SHOPWEB", usageContext: "web" },
    {
      tag: [
        tag(shape, IDS, {
          tagId: "4",
          name: "Google Tag",
          type: "googtag",
          parameter: [parameter(shape, "tagId", "G-ABCDEF1234")],
          firingTriggerId: ["5"],
        }),
      ],
      trigger: [trigger(shape, IDS, "5", "CE - purchase", "purchase")],
      builtInVariable: [{ accountId: ACCOUNT_ID, containerId: CONTAINER_ID, type: "EVENT", name: "Event" }],
    },
  );
}

/**
 * A server container fed by GTM's GA4 client and Stape's Data Client, with Stape's TikTok Events API
 * tag on purchase and no official template.
 */
export function stapeDataClient(): ExportFile {
  const shape = "ui";
  return envelope(shape, IDS, SERVER, {
    tag: [
      tag(shape, IDS, {
        tagId: "71",
        name: "TikTok EAPI - Purchase",
        type: "cvt_STP01",
        parameter: [
          parameter(shape, "eventType", "standard"),
          parameter(shape, "eventName", "CompletePayment"),
          parameter(shape, "pixelId", "C4A1B2C3D4E5F6G7H8I9"),
          parameter(shape, "accessToken", "hand-pasted-token-value"),
        ],
        firingTriggerId: ["70"],
      }),
    ],
    trigger: [trigger(shape, IDS, "70", "CE - purchase", "purchase")],
    builtInVariable: [
      { accountId: ACCOUNT_ID, containerId: CONTAINER_ID, type: "EVENT_NAME", name: "Event Name" },
    ],
    customTemplate: [stapeTikTokTemplate(IDS, "60"), dataClientTemplate(IDS, "100")],
    client: [
      client(shape, IDS, "66", "GA4", "gaaw_client"),
      client(shape, IDS, "101", "Data Client", `cvt_${CONTAINER_ID}_100`),
    ],
  });
}

/** Every fixture file, by name (test/fixtures/gtm/containers/<name>). */
export const CONTAINER_EXPORTS = {
  "ui-export-local-type.json": uiExportLocalType,
  "api-dump-gallery-type.json": apiDumpGalleryType,
  "web-container.json": webContainer,
  "stape-data-client.json": stapeDataClient,
} as const;

/** GTM's own formatting: four-space indent; `bom` puts a byte-order mark first, as some tools save it. */
export function exportText(file: ExportFile, options: { readonly bom?: boolean } = {}): string {
  return `${options.bom ? "\uFEFF" : ""}${JSON.stringify(file, null, 4)}\n`;
}
