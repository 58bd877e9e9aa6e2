/**
 * One line per infrastructure change, for people who do not read Terraform:
 * `Cloud Run service sgtm-acme-production-tagging: changed (min instances 2 -> 3)`.
 */
import type { AttributeChange, ChangedResource, InfraDiff, ResourceRef, SettingDiff } from "./infra-diff";

export type ResourceAction = "added" | "changed" | "removed";

/** How many attribute changes a line spells out before "and N more". */
const DETAILS_SHOWN = 4;

export function resourceLine(action: ResourceAction, resource: ResourceRef | ChangedResource): string {
  const head = `${resource.kind} ${resource.name}: ${action}`;
  if (action !== "changed" || !("details" in resource)) return head;
  // Changes with words of their own first: they are the ones a reader can follow.
  const worded = [...resource.details].sort(
    (a, b) => Number(a.label === a.path) - Number(b.label === b.path),
  );
  const shown = worded.slice(0, DETAILS_SHOWN).map(changeWords);
  const more = resource.details.length - shown.length;
  return `${head} (${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""})`;
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

export function infraCounts(diff: Pick<InfraDiff, "added" | "changed" | "removed">): string {
  return `${diff.added.length} to add, ${diff.changed.length} to change, ${diff.removed.length} to remove`;
}
