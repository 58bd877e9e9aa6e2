/**
 * One line per infrastructure change, for people who do not read Terraform:
 * `Cloud Run service sgtm-acme-production-tagging: changed (min instances 2 -> 3)`.
 */
import type { AttributeChange, ChangedResource, InfraDiff, ResourceRef, SettingDiff } from "./infra-diff";

export type ResourceAction = "added" | "changed" | "removed";

/** How many attribute changes a line spells out before "and N more". */
const DETAILS_SHOWN = 4;

export function resourceLine(action: ResourceAction, resource: ResourceRef | ChangedResource): string {
  if (action !== "changed" || !("details" in resource)) return `${resource.kind} ${resource.name}: ${action}`;
  const head = `${resource.kind} ${resource.name}: ${changedWords(resource)}`;
  // Changes with words of their own first: they are the ones a reader can follow.
  const worded = [...resource.details].sort(
    (a, b) => Number(a.label === a.path) - Number(b.label === b.path),
  );
  const shown = worded.slice(0, DETAILS_SHOWN).map(changeWords);
  const more = resource.details.length - shown.length;
  return `${head} (${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""})`;
}

/** What Terraform does with a changed resource, in words. */
function changedWords(resource: ChangedResource): string {
  if (resource.action === "no-op") return "changed for Terraform only, nothing in Google Cloud";
  if (resource.action === "update") return "changed";
  const order = resource.createFirst ? "the new one is created first" : "the old one is deleted first";
  return `replaced (${resource.forcedBy.join(", ")} cannot change in place; ${order})`;
}

export function changeWords(change: AttributeChange): string {
  const { label, before, after } = change;
  if (before === null) return `${label} set to ${after}`;
  if (after === null) return `${label} removed (was ${before})`;
  if (before === after) return `${label} changed (value not shown)`; // both sensitive
  return `${label} ${before} -> ${after}`;
}

const SETTING_WORDS: readonly (readonly [RegExp, (name: string) => string])[] = [
  [/^terraform\.backend$/, () => "where Terraform keeps this environment's state (backend)"],
  [/^terraform\.required_providers$/, () => "Terraform provider versions"],
  [/^terraform\.required_version$/, () => "required Terraform version"],
  [/^terraform\.(.+)$/, (name) => `Terraform setting ${name}`],
  [/^provider\.(.+)$/, (name) => `${name} provider settings`],
  [/^output\.(.+)$/, (name) => `deploy output ${name}`],
];

export function settingLine(setting: SettingDiff): string {
  for (const [pattern, words] of SETTING_WORDS) {
    const match = pattern.exec(setting.block);
    if (match) return `${words(match[1] ?? "")}: ${setting.change}`;
  }
  return `${setting.block}: ${setting.change}`;
}

/** Every line of the diff in order: added, changed, removed, then settings. */
export function infraLines(diff: InfraDiff): string[] {
  return [
    ...diff.added.map((r) => resourceLine("added", r)),
    ...diff.changed.map((r) => resourceLine("changed", r)),
    ...diff.removed.map((r) => resourceLine("removed", r)),
    ...diff.settings.map(settingLine),
  ];
}

/** Counts as the JSON carries them: `change` in place, `replace` destroyed and created. */
export function infraSummaryCounts(diff: Pick<InfraDiff, "added" | "changed" | "removed">) {
  const replace = diff.changed.filter((r) => r.action === "replace").length;
  return {
    add: diff.added.length,
    change: diff.changed.length - replace,
    replace,
    remove: diff.removed.length,
  };
}

export function infraCounts(diff: Pick<InfraDiff, "added" | "changed" | "removed">): string {
  const { add, change, replace, remove } = infraSummaryCounts(diff);
  const replaced = replace > 0 ? `, ${replace} to replace` : "";
  return `${add} to add, ${change} to change${replaced}, ${remove} to remove`;
}
