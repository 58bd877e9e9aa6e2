/**
 * Web container exports for the deduplication tests, written from scratch in the shape GTM's
 * Admin > Export Container gives (`exportFormatVersion: 2`, UPPER_SNAKE enums, `googtag`/`gaawe` tags,
 * table rows of `parameter`/`parameterValue`, gallery templates with `galleryReference`): see
 * docs/facts/web-gtm.md. No third-party export is copied.
 */
import type {
  ContainerVersion,
  CustomTemplate,
  Parameter,
  Tag,
  Trigger,
  Variable,
} from "../../../src/gtm/core/api";

export const ALL_PAGES = "2147479553";
export const INITIALIZATION = "2147479573";
export const ACCOUNT_ID = "6012345678";
export const WEB_CONTAINER_ID = "98765432";

const text = (key: string, value: string): Parameter => ({ type: "TEMPLATE", key, value });
const flag = (key: string, value: boolean): Parameter => ({ type: "BOOLEAN", key, value: String(value) });
const rows = (key: string, entries: readonly Record<string, string>[]): Parameter => ({
  type: "LIST",
  key,
  list: entries.map((entry) => ({
    type: "MAP",
    map: Object.entries(entry).map(([name, value]) => text(name, value)),
  })),
});
/** A settings table (`eventSettingsTable`, `configSettingsTable`) of parameter -> value. */
const settings = (key: string, values: Readonly<Record<string, string>>): Parameter =>
  rows(
    key,
    Object.entries(values).map(([parameter, parameterValue]) => ({ parameter, parameterValue })),
  );

const GALLERY = {
  tiktok: { owner: "tiktok", repository: "gtm-template-pixel", id: "TTPX1", name: "TikTok Pixel" },
  stape: { owner: "stape-io", repository: "tiktok-web-tag", id: "STTT2", name: "TikTok Pixel by Stape" },
  uniqueEventId: {
    owner: "stape-io",
    repository: "unique-event-id-variable",
    id: "UEID3",
    name: "Unique Event ID",
  },
} as const;
export type GalleryTemplate = keyof typeof GALLERY;

/** Where a tag fires: a built-in trigger id (ALL_PAGES, INITIALIZATION) or a custom event's name. */
export type On = string;

export class WebExport {
  readonly tags: Tag[] = [];
  readonly triggers: Trigger[] = [];
  readonly variables: Variable[] = [];
  readonly templates: CustomTemplate[] = [];
  private nextId = 10;
  usageContext = ["WEB"];

  private id(): string {
    return String(this.nextId++);
  }

  /** The trigger id for `on`: a built-in id as is, a custom event trigger made once per name. */
  trigger(on: On): string {
    if (on === ALL_PAGES || on === INITIALIZATION) return on;
    const name = `CE - ${on}`;
    const found = this.triggers.find((t) => t.name === name);
    if (found?.triggerId) return found.triggerId;
    const triggerId = this.id();
    this.triggers.push({
      ...this.where(),
      triggerId,
      name,
      type: "CUSTOM_EVENT",
      customEventFilter: [{ type: "EQUALS", parameter: [text("arg0", "{{_event}}"), text("arg1", on)] }],
    });
    return triggerId;
  }

  dataLayerVariable(name: string, key: string): this {
    return this.variable(name, "v", [
      flag("setDefaultValue", false),
      text("name", key),
      { type: "INTEGER", key: "dataLayerVersion", value: "2" },
    ]);
  }

  customJsVariable(name: string, code: string): this {
    return this.variable(name, "jsm", [text("javascript", code)]);
  }

  constantVariable(name: string, value: string): this {
    return this.variable(name, "c", [text("value", value)]);
  }

  templateVariable(name: string, template: GalleryTemplate): this {
    return this.variable(name, this.galleryType(template), []);
  }

  /** A "Google tag: Event settings" variable. */
  eventSettingsVariable(name: string, values: Readonly<Record<string, string>>): this {
    return this.variable(name, "gtes", [settings("eventSettingsTable", values)]);
  }

  googleTag(
    name: string,
    options: {
      readonly tagId: string;
      readonly config?: Readonly<Record<string, string>>;
      readonly eventSettings?: Readonly<Record<string, string>>;
      readonly eventSettingsVariable?: string;
      readonly on?: On;
    },
  ): this {
    const parameter = [text("tagId", options.tagId)];
    if (options.config) parameter.push(settings("configSettingsTable", options.config));
    if (options.eventSettings) parameter.push(settings("eventSettingsTable", options.eventSettings));
    if (options.eventSettingsVariable)
      parameter.push(text("eventSettingsVariable", options.eventSettingsVariable));
    return this.tag(name, "googtag", parameter, options.on ?? INITIALIZATION);
  }

  ga4Event(
    name: string,
    options: {
      readonly event: string;
      readonly measurementId: string;
      readonly eventSettings?: Readonly<Record<string, string>>;
      readonly on?: On;
    },
  ): this {
    const parameter = [
      flag("sendEcommerceData", false),
      text("eventName", options.event),
      text("measurementIdOverride", options.measurementId),
    ];
    if (options.eventSettings) parameter.push(settings("eventSettingsTable", options.eventSettings));
    return this.tag(name, "gaawe", parameter, options.on ?? options.event);
  }

  /** TikTok's official pixel template; `event` absent keeps the field's default `{{Event}}`. */
  tiktokPixel(
    name: string,
    options: { readonly event?: string; readonly eventId?: string; readonly on: On },
  ): this {
    const parameter = [
      text("pixel_code", "C4A1B2C3D4E5F6G7H8I9"),
      flag("enhance_ecomm", true),
      text("ga_ecomm", "ecomm"),
    ];
    if (options.event !== undefined) parameter.push(text("event", options.event));
    if (options.eventId !== undefined) parameter.push(text("event_id", options.eventId));
    return this.tag(name, this.galleryType("tiktok"), parameter, options.on);
  }

  stapePixel(
    name: string,
    options: {
      readonly inherit?: boolean;
      readonly event?: string;
      readonly eventId?: string;
      readonly on: On;
    },
  ): this {
    const parameter = [
      text("pixelIds", "C4A1B2C3D4E5F6G7H8I9"),
      text("eventNameSetupMethod", options.inherit ? "inherit" : "override"),
    ];
    if (!options.inherit)
      parameter.push(text("eventName", "standard"), text("eventNameStandard", options.event ?? "Pageview"));
    if (options.eventId !== undefined) parameter.push(text("eventId", options.eventId));
    return this.tag(name, this.galleryType("stape"), parameter, options.on);
  }

  customHtml(name: string, html: string, on: On): this {
    return this.tag(name, "html", [text("html", html), flag("supportDocumentWrite", false)], on);
  }

  /** The pixel's base code as TikTok gives it: load the pixel, then a page view. */
  baseCode(name = "TT - Base code"): this {
    return this.customHtml(
      name,
      "<script>\n!function (w, d, t) {\n  w.TiktokAnalyticsObject = t; var ttq = w[t] = w[t] || [];\n  /* TikTok's loader, shortened for the fixture */\n  ttq.load('C4A1B2C3D4E5F6G7H8I9');\n  ttq.page();\n}(window, document, 'ttq');\n</script>",
      ALL_PAGES,
    );
  }

  version(): ContainerVersion {
    return {
      path: `accounts/${ACCOUNT_ID}/containers/${WEB_CONTAINER_ID}/versions/12`,
      ...this.where(),
      containerVersionId: "12",
      name: "Shop web container",
      container: {
        path: `accounts/${ACCOUNT_ID}/containers/${WEB_CONTAINER_ID}`,
        ...this.where(),
        name: "shop.com",
        publicId: "GTM-W3BSHOP",
        usageContext: this.usageContext,
      },
      tag: this.tags,
      trigger: this.triggers,
      variable: this.variables,
      customTemplate: this.templates,
    };
  }

  /** The export file's text, indented as GTM writes it. */
  toJson(): string {
    return `${JSON.stringify({ exportFormatVersion: 2, exportTime: "2026-12-01 10:00:00", containerVersion: this.version() }, null, 4)}\n`;
  }

  private where() {
    return { accountId: ACCOUNT_ID, containerId: WEB_CONTAINER_ID };
  }

  private variable(name: string, type: string, parameter: Parameter[]): this {
    this.variables.push({ ...this.where(), variableId: this.id(), name, type, parameter });
    return this;
  }

  private tag(name: string, type: string, parameter: Parameter[], on: On): this {
    this.tags.push({
      ...this.where(),
      tagId: this.id(),
      name,
      type,
      parameter,
      firingTriggerId: [this.trigger(on)],
      tagFiringOption: "ONCE_PER_EVENT",
      monitoringMetadata: { type: "MAP" },
      consentSettings: { consentStatus: "NOT_SET" },
    });
    return this;
  }

  /** `cvt_<galleryTemplateId>`, the template added once. */
  private galleryType(key: GalleryTemplate): string {
    const gallery = GALLERY[key];
    if (!this.templates.some((t) => t.galleryReference?.galleryTemplateId === gallery.id)) {
      this.templates.push({
        ...this.where(),
        templateId: this.id(),
        name: gallery.name,
        galleryReference: {
          host: "github.com",
          owner: gallery.owner,
          repository: gallery.repository,
          version: "0000000000000000000000000000000000000000",
          galleryTemplateId: gallery.id,
        },
        templateData: '___INFO___\n\n{"type": "TAG", "id": "cvt_temp_public_id", "version": 1}\n',
      });
    }
    return `cvt_${gallery.id}`;
  }
}

/** A Google tag on this fixture's tagging host with a Data Layer Variable for event_id: the usual base. */
export function shopBase(taggingHost: string): WebExport {
  return new WebExport()
    .dataLayerVariable("DLV - event_id", "event_id")
    .constantVariable("CONST - GA4 ID", "G-SHOP1234")
    .googleTag("GT - G-SHOP1234", {
      tagId: "{{CONST - GA4 ID}}",
      config: { server_container_url: `https://${taggingHost}` },
    });
}
