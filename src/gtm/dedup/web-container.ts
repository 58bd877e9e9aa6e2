/**
 * The shop's web container as the deduplication check reads it: a published version (from the API or
 * a UI export) turned into lookups: variables by name, templates by tag type, the tags that fire, and
 * which data layer events fire each of them. Exports write enums in UPPER_SNAKE, the API in
 * lowerCamel; everything here reads both (docs/facts/web-gtm.md#ga4-tags-and-the-server-container).
 */
import type { ContainerVersion, CustomTemplate, Parameter, Tag, Trigger, Variable } from "../core/api";
import { lowerCamelEnum } from "../core/normalize";
import { templateTagType } from "../core/tiktok-template";

/** Which data layer events fire a tag, as far as its triggers say. */
export interface Firing {
  /** Data layer event names: custom events (`purchase`) and the page-load ones (`gtm.js`, ...). */
  readonly events: ReadonlySet<string>;
  /** Fires on a page load (All Pages, DOM Ready, Window Loaded, Initialization). */
  readonly pageLoad: boolean;
  /** Triggers whose data layer event the kit cannot name (clicks, timers, patterns), by name. */
  readonly unnamed: readonly string[];
}

/** The data layer event of each page-load trigger type (docs/facts/web-gtm.md#ga4-tags-and-the-server-container). */
const PAGE_LOAD_EVENTS: Readonly<Record<string, string>> = {
  pageview: "gtm.js",
  domReady: "gtm.dom",
  windowLoaded: "gtm.load",
  init: "gtm.init",
  consentInit: "gtm.init_consent",
};

/** Built-in triggers have fixed ids and appear in no trigger list. */
const BUILT_IN_TRIGGERS: Readonly<Record<string, { name: string; type: string }>> = {
  "2147479553": { name: "All Pages", type: "pageview" },
  "2147479573": { name: "Initialization - All Pages", type: "init" },
};

export interface WebContainer {
  readonly containerId: string;
  readonly publicId?: string;
  readonly versionId?: string;
  /** Lower case: `web`, `server`, ... */
  readonly usageContext: readonly string[];
  /** Tags that can fire (paused ones left out), in the version's order. */
  readonly tags: readonly Tag[];
  readonly variables: ReadonlyMap<string, Variable>;
  /** The custom template a `cvt_` tag or variable type belongs to. */
  templateOf(type: string | null | undefined): CustomTemplate | undefined;
  firingOf(tag: Tag): Firing;
}

export function webContainerOf(version: ContainerVersion): WebContainer {
  const containerId = version.containerId ?? version.container?.containerId ?? "";
  const triggers = new Map((version.trigger ?? []).map((t) => [t.triggerId ?? "", t]));
  const templates = version.customTemplate ?? [];
  const byType = new Map<string, CustomTemplate>();
  for (const template of templates) {
    const type = templateTagType(template, containerId);
    if (type) byType.set(type, template);
  }
  return {
    containerId,
    ...(version.container?.publicId ? { publicId: version.container.publicId } : {}),
    ...(version.containerVersionId ? { versionId: version.containerVersionId } : {}),
    usageContext: (version.container?.usageContext ?? []).map((c) => c.toLowerCase()),
    tags: (version.tag ?? []).filter((tag) => tag.paused !== true),
    variables: new Map((version.variable ?? []).map((v) => [v.name ?? "", v])),
    templateOf: (type) => (type ? byType.get(type) : undefined),
    firingOf: (tag) => firingOf(tag, triggers),
  };
}

function firingOf(tag: Tag, triggers: ReadonlyMap<string, Trigger>): Firing {
  const events = new Set<string>();
  const unnamed: string[] = [];
  let pageLoad = false;
  for (const id of tag.firingTriggerId ?? []) {
    const builtIn = BUILT_IN_TRIGGERS[id];
    const trigger = triggers.get(id);
    const type = builtIn?.type ?? lowerCamelEnum(trigger?.type ?? "");
    const name = builtIn?.name ?? trigger?.name ?? `#${id}`;
    if (PAGE_LOAD_EVENTS[type] !== undefined) {
      pageLoad = true;
      events.add(PAGE_LOAD_EVENTS[type]);
      continue;
    }
    const named = type === "customEvent" && trigger ? customEventNames(trigger) : undefined;
    if (named) for (const event of named) events.add(event);
    else unnamed.push(name);
  }
  return { events, pageLoad, unnamed };
}

/** The event names a custom event trigger matches, or undefined when its filter is not a plain name list. */
function customEventNames(trigger: Trigger): string[] | undefined {
  const filters = trigger.customEventFilter ?? [];
  if (filters.length !== 1) return undefined;
  const [filter] = filters;
  const arg0 = paramValue(filter.parameter, "arg0");
  const arg1 = paramValue(filter.parameter, "arg1");
  if (arg0 !== "{{_event}}" || arg1 === undefined || paramValue(filter.parameter, "negate") === "true") {
    return undefined;
  }
  const type = lowerCamelEnum(filter.type ?? "");
  if (type === "equals") return [arg1];
  if (type === "matchRegex") return regexAlternatives(arg1);
  return undefined;
}

/** `^(purchase|add_to_cart)$` -> the two names; any other regex -> undefined. */
export function regexAlternatives(regex: string): string[] | undefined {
  let body = regex.replace(/^\^/, "").replace(/\$$/, "");
  const group = /^\((?:\?:)?(.*)\)$/.exec(body);
  if (group) body = group[1];
  const names = body.split("|").map((part) => part.replace(/\\\./g, "."));
  return names.every((name) => /^[A-Za-z0-9_.-]+$/.test(name)) ? names : undefined;
}

// ---- parameters -------------------------------------------------------------------------------------

export function paramOf(
  parameters: readonly Parameter[] | null | undefined,
  key: string,
): Parameter | undefined {
  return (parameters ?? []).find((p) => p.key === key);
}

export function paramValue(
  parameters: readonly Parameter[] | null | undefined,
  key: string,
): string | undefined {
  const value = paramOf(parameters, key)?.value;
  return typeof value === "string" ? value : undefined;
}

/** The rows of a LIST of MAPs (`eventSettingsTable`, `fieldsToSet`, ...), each as its entries by key. */
export function tableRows(
  parameters: readonly Parameter[] | null | undefined,
  key: string,
): Record<string, string>[] {
  return (paramOf(parameters, key)?.list ?? []).map((row) =>
    Object.fromEntries(
      (row.map ?? []).flatMap((entry) =>
        entry.key && typeof entry.value === "string" ? [[entry.key, entry.value]] : [],
      ),
    ),
  );
}

/** The value of the row whose `nameKey` is `name` in a table of name/value rows. */
export function tableValue(
  parameters: readonly Parameter[] | null | undefined,
  table: string,
  name: string,
  columns: { readonly name: string; readonly value: string } = { name: "parameter", value: "parameterValue" },
): string | undefined {
  return tableRows(parameters, table).find((row) => row[columns.name] === name)?.[columns.value];
}

/** `{{Name}}` references in a text, in order. */
export function referencesIn(text: string): string[] {
  return [...text.matchAll(/\{\{([^{}]+)\}\}/g)].map((m) => m[1]);
}

/** The one variable a text consists of (`{{Name}}`), or undefined. */
export function soleReference(text: string): string | undefined {
  return /^\{\{([^{}]+)\}\}$/.exec(text.trim())?.[1];
}

/**
 * A text with its Constant variables filled in; undefined when it references anything else (a value
 * only known in the browser).
 */
export function resolveConstants(text: string, web: WebContainer): string | undefined {
  let unresolved = false;
  const resolved = text.replace(/\{\{([^{}]+)\}\}/g, (whole, name: string) => {
    const variable = web.variables.get(name);
    const value = variable?.type === "c" ? paramValue(variable.parameter, "value") : undefined;
    if (value === undefined || value.includes("{{")) unresolved = true;
    return value ?? whole;
  });
  return unresolved ? undefined : resolved;
}
