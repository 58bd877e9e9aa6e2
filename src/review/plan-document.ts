/**
 * One environment's plan for review: the infrastructure change and the GTM plan in one document, as
 * text for a terminal, Markdown for the pull-request comment (with a hidden marker, so the workflow
 * finds and updates its own comment) and JSON for machines. Pure: no clock, no paths, no ports.
 */
import { canonicalJson } from "../gtm/core/normalize";
import type { Plan } from "../gtm/plan/types";
import { renderMarkdown, renderText } from "../gtm/render";
import { planDocument } from "../gtm/render/document";
import type { TerraformPlanSummary } from "./cdktf-diff";
import {
  DEDUP_TITLE,
  type DedupSection,
  dedupSectionJson,
  dedupSectionMarkdown,
  dedupSectionSummary,
  dedupSectionText,
} from "./dedup-section";
import { hasInfraChanges, type InfraDiff } from "./infra-diff";
import { changeWords, infraCounts, infraLines, resourceLine, settingLine } from "./infra-words";
import { redactText } from "./redact";

export type InfraSection =
  | {
      readonly source: "synth";
      readonly diff: InfraDiff;
      /** Said above the changes: why everything shows as added, for instance. */
      readonly note?: string;
    }
  | {
      readonly source: "cdktf diff";
      readonly summary: TerraformPlanSummary;
      /** `cdktf diff`'s output as it ran; every render replaces its secret-looking words. */
      readonly output: string;
    };

export interface ReviewPlan {
  readonly stack: string;
  readonly infrastructure: InfraSection;
  readonly gtm: Plan;
  /** Why `gtm apply` would refuse (someone's changes in the way); the plan itself can still be read. */
  readonly refusals: readonly string[];
  /** The web container's deduplication verdicts, for an environment with `gtm.web`. */
  readonly dedup?: DedupSection;
}

/** The first line of every pull-request comment of `stack`: how the workflow finds it again. */
export function commentMarker(stack: string): string {
  return `<!-- sgtm-plan:${stack} -->`;
}

/** GitHub refuses comments over 65,536 characters. */
export const COMMENT_LIMIT = 65_000;
const OUTPUT_SHOWN = 30_000;

export function infraHasChanges(section: InfraSection): boolean {
  return section.source === "synth" ? hasInfraChanges(section.diff) : section.summary.hasChanges;
}

/** What `--detailed-exitcode` reports as 2: something to deploy, apply or publish. */
export function reviewHasChanges(plan: ReviewPlan): boolean {
  return infraHasChanges(plan.infrastructure) || plan.gtm.hasChanges || plan.gtm.publish.liveDiffers;
}

// ---- JSON -----------------------------------------------------------------------------------------

/** `{"stack", "infrastructure", "gtm"}`; `gtm` is the document `sgtm gtm plan --json` prints. */
export function reviewDocument(plan: ReviewPlan) {
  return {
    stack: plan.stack,
    infrastructure: infraDocument(plan.infrastructure),
    gtm: planDocument(plan.gtm),
    ...(plan.dedup ? { dedup: dedupSectionJson(plan.dedup) } : {}),
  };
}

export function renderReviewJson(plan: ReviewPlan): string {
  return `${canonicalJson(reviewDocument(plan), 2)}\n`;
}

function infraDocument(section: InfraSection) {
  const hasChanges = infraHasChanges(section);
  if (section.source === "cdktf diff") {
    const { hasChanges: _, destroy, ...counts } = section.summary;
    return {
      source: section.source,
      hasChanges,
      summary: { ...counts, remove: destroy },
      output: redactText(section.output),
    };
  }
  const { diff } = section;
  return {
    source: section.source,
    hasChanges,
    ...(section.note ? { note: section.note } : {}),
    summary: { add: diff.added.length, change: diff.changed.length, remove: diff.removed.length },
    added: diff.added.map((r) => ({ ...r, words: resourceLine("added", r) })),
    changed: diff.changed.map((r) => ({ ...r, words: resourceLine("changed", r) })),
    removed: diff.removed.map((r) => ({ ...r, words: resourceLine("removed", r) })),
    settings: diff.settings.map((s) => ({ ...s, words: settingLine(s) })),
  };
}

const SETTING_SYMBOL = { added: "+", changed: "~", removed: "-" } as const;

// ---- text -----------------------------------------------------------------------------------------

export function renderReviewText(plan: ReviewPlan, options: { readonly color: boolean }): string {
  const section = plan.infrastructure;
  const lines = [`Plan for ${plan.stack}`, "", `Infrastructure (Google Cloud): ${infraSummary(section)}`];
  if (section.source === "synth") {
    if (section.note) lines.push(`  note: ${section.note}`);
    const symbols = [
      ...section.diff.added.map(() => "+"),
      ...section.diff.changed.map(() => "~"),
      ...section.diff.removed.map(() => "-"),
      ...section.diff.settings.map((s) => SETTING_SYMBOL[s.change]),
    ];
    infraLines(section.diff).forEach((line, index) => {
      lines.push(`  ${symbols[index]} ${line}`);
    });
  } else {
    lines.push(
      "",
      ...redactText(section.output)
        .trimEnd()
        .split("\n")
        .map((line) => `  | ${line}`),
    );
  }
  lines.push("", "GTM container (TikTok tags):", "");
  lines.push(renderText(plan.gtm, options).trimEnd());
  for (const refusal of plan.refusals) lines.push(`apply would refuse: ${refusal}`);
  if (plan.dedup) lines.push(...dedupSectionText(plan.dedup, options));
  return `${lines.join("\n")}\n`;
}

// ---- Markdown -------------------------------------------------------------------------------------

export function renderReviewMarkdown(plan: ReviewPlan): string {
  const section = plan.infrastructure;
  const out: string[] = [commentMarker(plan.stack), `## Plan for \`${plan.stack}\``, ""];
  out.push("| Part | Changes |", "|---|---|");
  out.push(`| Infrastructure (Google Cloud) | ${cell(infraSummary(section))} |`);
  out.push(`| GTM container (TikTok tags) | ${cell(gtmSummary(plan))} |`);
  if (plan.dedup) out.push(`| ${DEDUP_TITLE} | ${cell(dedupSectionSummary(plan.dedup))} |`);
  out.push("");

  out.push("### Infrastructure (Google Cloud)", "");
  if (section.source === "synth") out.push(...synthMarkdown(section));
  else out.push(...cdktfDiffMarkdown(section));

  out.push("### GTM container (TikTok tags)", "");
  if (plan.refusals.length > 0) {
    out.push("**Apply would refuse:**", "");
    for (const refusal of plan.refusals) out.push(`- ${mdText(refusal)}`);
    out.push("");
  }
  // The GTM render opens with its own title; the section heading above replaces it.
  out.push(renderMarkdown(plan.gtm).replace(/^### .*\n\n?/, ""));
  if (plan.dedup) out.push(...dedupSectionMarkdown(plan.dedup, mdText));
  return limited(`${out.join("\n").trimEnd()}\n`, plan.stack);
}

function synthMarkdown(section: Extract<InfraSection, { source: "synth" }>): string[] {
  const { diff } = section;
  const out: string[] = [];
  if (section.note) out.push(`> ${mdText(section.note)}`, "");
  const lines = infraLines(diff);
  if (lines.length === 0)
    out.push("No changes: the synthesized configuration is the same as the base branch's.");
  for (const line of lines) out.push(`- ${mdText(line)}`);
  out.push(
    "",
    "_Compared between the synthesized configurations, not against the live project: `cdktf diff` " +
      "(Terraform) tells what the project needs, including resources it would replace._",
    "",
  );
  const rows = [
    ...diff.added.map((r) => ["add", r.address, ""]),
    ...diff.changed.map((r) => ["change", r.address, r.details.map(changeWords).join("; ")]),
    ...diff.removed.map((r) => ["remove", r.address, ""]),
  ];
  if (rows.length > 0) {
    out.push(`<details><summary>Terraform addresses (${rows.length})</summary>`, "");
    out.push("| Change | Address | What changes |", "|---|---|---|");
    for (const [action, address, what] of rows) out.push(`| ${action} | \`${address}\` | ${cell(what)} |`);
    out.push("", "</details>", "");
  }
  return out;
}

function cdktfDiffMarkdown(section: Extract<InfraSection, { source: "cdktf diff" }>): string[] {
  const all = redactText(section.output);
  const output =
    all.length > OUTPUT_SHOWN
      ? `${all.slice(0, OUTPUT_SHOWN)}\n… (cut: the whole output is in the workflow log)`
      : all;
  const fence = "`".repeat(Math.max(3, longestBacktickRun(output) + 1));
  return [
    "From `cdktf diff` (Terraform against the live project and its state).",
    "",
    "<details><summary>cdktf diff output</summary>",
    "",
    `${fence}text`,
    output.trimEnd(),
    fence,
    "",
    "</details>",
    "",
  ];
}

function infraSummary(section: InfraSection): string {
  if (section.source === "synth") {
    const counts = infraCounts(section.diff);
    const settings = section.diff.settings.length;
    return settings > 0 ? `${counts}; ${settings} setting(s) changed` : counts;
  }
  const { summary } = section;
  if (!summary.hasChanges) return "no changes";
  const counts = `${summary.add} to add, ${summary.change} to change, ${summary.destroy} to remove`;
  return summary.import > 0 ? `${summary.import} to import, ${counts}` : counts;
}

function gtmSummary(plan: ReviewPlan): string {
  const gtm = plan.gtm;
  if (gtm.errors.length > 0) return `${gtm.errors.length} error(s): cannot be applied`;
  const { create, update, delete: destroy } = gtm.summary;
  const counts = `${create} to add, ${update} to change, ${destroy} to remove`;
  const refused = plan.refusals.length > 0 ? "; apply would refuse" : "";
  if (gtm.hasChanges) return `${counts}${refused}`;
  return gtm.publish.liveDiffers
    ? `no changes; a version is not published yet${refused}`
    : `no changes${refused}`;
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}

/** Markdown's inline specials and HTML's `<`, so names and values show as written. */
function mdText(text: string): string {
  return text.replace(/\n/g, " ").replace(/([\\`*_[\]<|])/g, "\\$1");
}

function cell(text: string): string {
  return mdText(text);
}

function limited(markdown: string, stack: string): string {
  if (markdown.length <= COMMENT_LIMIT) return markdown;
  const note = `\n\n… (cut to fit a comment: run \`npx sgtm plan --env ${stack}\` for the whole plan)\n`;
  return markdown.slice(0, COMMENT_LIMIT - note.length) + note;
}
