/**
 * What a container's kind (`usageContext`) allows, as the real API enforces it: clients exist only in
 * server containers; a template runs only in the containers its `___INFO___.containerContexts` names
 * (a server template such as TikTok's cannot be imported into a web container, and a web template not
 * into a server one); each kind has its own built-in variables (`builtins.ts`). GTM's container
 * features say as much (`supportClients` is true for server containers only, in every real export);
 * the exact wording of the 400s is the fake's.
 */
import { builtInVariablesOf } from "./builtins";
import type { CollectionKind } from "./entities";
import { invalid } from "./errors";
import { templateSection } from "./gallery";
import type { ContainerRecord } from "./store";

/** `server`, `web`, ...: how the container's kind is named in messages. */
export function containerKind(container: Pick<ContainerRecord, "usageContext">): string {
  return container.usageContext.join("/") || "unknown";
}

/** Refuses what the container's kind cannot hold: a client outside a server container, a template of another kind. */
export function checkForContainer(
  container: Pick<ContainerRecord, "usageContext">,
  kind: CollectionKind,
  entity: Record<string, unknown>,
): void {
  if (kind === "clients" && !container.usageContext.includes("server")) {
    throw invalid(
      `client: clients exist only in server containers; this is a ${containerKind(container)} container.`,
    );
  }
  if (kind === "templates" && typeof entity.templateData === "string") {
    checkTemplateContext(container, entity.templateData);
  }
}

/** A template whose `containerContexts` do not include the container's kind (none listed: any kind). */
export function checkTemplateContext(
  container: Pick<ContainerRecord, "usageContext">,
  templateData: string,
): void {
  const contexts = templateContexts(templateData);
  if (contexts === undefined) return;
  const fits = container.usageContext.some((usage) => contexts.includes(usage.toUpperCase()));
  if (!fits) {
    throw invalid(
      `template.templateData: the template runs in ${contexts.join(", ")} containers (containerContexts), not in this ${containerKind(container)} container.`,
    );
  }
}

/** Built-in variable types the container offers, with their `{{...}}` names. */
export function builtInVariablesFor(
  container: Pick<ContainerRecord, "usageContext">,
): Readonly<Record<string, string>> {
  return builtInVariablesOf(container.usageContext);
}

function templateContexts(templateData: string): string[] | undefined {
  try {
    const info = JSON.parse(templateSection(templateData, "INFO") ?? "") as { containerContexts?: unknown };
    const contexts = info.containerContexts;
    return Array.isArray(contexts) && contexts.length > 0 ? contexts.map(String) : undefined;
  } catch {
    return undefined;
  }
}
