/**
 * Puts a fixture web container into the local fake Tag Manager as the API would hold it: a container
 * with `usageContext: ["web"]` whose live version has the fixture's entities, written through the fake's
 * own create calls (API casing, new ids). The fake models no built-in triggers, so All Pages and
 * Initialization become triggers of their types.
 */
import type { Tag, Trigger, Variable } from "../../../src/gtm/core/api";
import { lowerCamelEnum } from "../../../src/gtm/core/normalize";
import type { FakeTagManagerState } from "../../../src/gtm/fake";
import { ACCOUNT_ID, ALL_PAGES, INITIALIZATION, WEB_CONTAINER_ID, type WebExport } from "./web-export";

export const WEB_CONTAINER_PATH = `accounts/${ACCOUNT_ID}/containers/${WEB_CONTAINER_ID}`;

/** Seeds the web container and publishes it; returns its path. */
export function seedWebContainer(state: FakeTagManagerState, web: WebExport): string {
  const { containerPath, workspacePath } = state.createContainer({
    accountId: ACCOUNT_ID,
    containerId: WEB_CONTAINER_ID,
    publicId: "GTM-W3BSHOP",
    name: "shop.com",
    usageContext: ["web"],
  });
  for (const template of web.templates) {
    state.create(workspacePath, "templates", {
      name: template.name,
      templateData: template.templateData,
      galleryReference: template.galleryReference,
    });
  }
  for (const variable of web.variables) {
    state.create(
      workspacePath,
      "variables",
      apiCasing({ name: variable.name, type: variable.type, parameter: variable.parameter }) as Variable,
    );
  }
  const triggerIds = new Map<string, string>();
  const builtIns: Readonly<Record<string, Trigger>> = {
    [ALL_PAGES]: { name: "All Pages", type: "pageview" },
    [INITIALIZATION]: { name: "Initialization - All Pages", type: "init" },
  };
  const triggerId = (id: string): string => {
    const known = triggerIds.get(id);
    if (known) return known;
    const source = builtIns[id] ?? web.triggers.find((t) => t.triggerId === id);
    const created = state.create(
      workspacePath,
      "triggers",
      apiCasing({ ...source, triggerId: undefined }) as Trigger,
    );
    triggerIds.set(id, created.triggerId as string);
    return created.triggerId as string;
  };
  for (const tag of web.tags) {
    state.create(workspacePath, "tags", {
      ...(apiCasing({ name: tag.name, type: tag.type, parameter: tag.parameter, paused: tag.paused }) as Tag),
      firingTriggerId: (tag.firingTriggerId ?? []).map(triggerId),
    });
  }
  state.seedPublishedVersion(workspacePath, "Shop web container");
  return containerPath;
}

/** Export casing (`TEMPLATE`, `CUSTOM_EVENT`) to the API's (`template`, `customEvent`), deeply. */
function apiCasing(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(apiCasing);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .map(([key, inner]) => [
        key,
        // Tag and variable types are codes (`gaawe`, `cvt_TTPX1`): lowerCamelEnum leaves them alone.
        key === "type" && typeof inner === "string" ? lowerCamelEnum(inner) : apiCasing(inner),
      ]),
  );
}
