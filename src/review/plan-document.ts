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
import { type ChangedResource, hasInfraChanges, type InfraDiff } from "./infra-diff";
import {
  changeWords,
  infraCounts,
  infraLines,
  infraSummaryCounts,
  resourceLine,
  settingLine,
} from "./infra-words";
import type { Interruption } from "./interruptions";
import { redactText } from "./redact";

export type InfraSection =
  | {
      readonly source: "synth";
      readonly diff: InfraDiff;
      /** Said above the changes: why everything shows as added, for instance. */
      readonly note?: string;
      /** What the change interrupts (./interruptions.ts); empty without a base. */
      readonly interruptions: readonly Interruption[];
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
  /** A reviewer accepted the interruptions (`--accept-interruptions`): they no longer fail the plan. */
  readonly interruptionsAccepted?: boolean;
}

/** The pull-request label the workflow turns into `--accept-interruptions` (docs/interruptions.md). */
export const ACCEPT_LABEL = "accept-interruptions";

export function reviewInterruptions(plan: ReviewPlan): readonly Interruption[] {
  return plan.infrastructure.source === "synth" ? plan.infrastructure.interruptions : [];
}

/**
 * Terraform's exit codes: 1 for an error, a refusal of `gtm apply`, or an interruption no reviewer
 * accepted; else 2 with `--detailed-exitcode` when something is to deploy, apply or publish; else 0.
 */
export function reviewExitCode(plan: ReviewPlan, options: { readonly detailedExitcode: boolean }): number {
  if (plan.gtm.errors.length > 0 || plan.refusals.length > 0) return 1;
  if (reviewInterruptions(plan).length > 0 && !plan.interruptionsAccepted) return 1;
  return options.detailedExitcode && reviewHasChanges(plan) ? 2 : 0;
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

/**
 * `{"stack", "interruptions", "interruptionsAccepted", "infrastructure", "gtm"}`; `gtm` is the document
 * `sgtm gtm plan --json` prints.
 */
export function reviewDocument(plan: ReviewPlan) {
  return {
    stack: plan.stack,
    interruptions: reviewInterruptions(plan),
    interruptionsAccepted: plan.interruptionsAccepted === true,
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
    summary: infraSummaryCounts(diff),
    added: diff.added.map((r) => ({ ...r, words: resourceLine("added", r) })),
    changed: diff.changed.map((r) => ({ ...r, words: resourceLine("changed", r) })),
    removed: diff.removed.map((r) => ({ ...r, words: resourceLine("removed", r) })),
    settings: diff.settings.map((s) => ({ ...s, words: settingLine(s) })),
  };
}

const SETTING_SYMBOL = { added: "+", changed: "~", removed: "-" } as const;

/** Terraform's symbols: `-/+` deletes first, `+/-` creates the replacement first. */
function changeSymbol(resource: ChangedResource): string {
  if (resource.action !== "replace") return "~";
  return resource.createFirst ? "+/-" : "-/+";
}

// ---- text -----------------------------------------------------------------------------------------

export function renderReviewText(plan: ReviewPlan, options: { readonly color: boolean }): string {
  const section = plan.infrastructure;
  const lines = [`Plan for ${plan.stack}`, ""];
  const interrupted = reviewInterruptions(plan);
  if (interrupted.length > 0) {
    lines.push(`Interruptions (${interrupted.length}): this change interrupts what ${plan.stack} serves`);
    for (const { what, todo } of interrupted) lines.push(`  ! ${what}`, `    instead: ${todo}`);
    lines.push(`  ${acceptance(plan)}`, "");
  }
  lines.push(`Infrastructure (Google Cloud): ${infraSummary(section)}`);
  if (section.source === "synth") {
    if (section.note) lines.push(`  note: ${section.note}`);
    const symbols = [
      ...section.diff.added.map(() => "+"),
      ...section.diff.changed.map(changeSymbol),
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
  const interrupted = reviewInterruptions(plan);
  if (interrupted.length > 0) {
    out.push(`### Interruptions (${interrupted.length})`, "");
    out.push(`This change interrupts what \`${plan.stack}\` serves:`, "");
    for (const { what, todo } of interrupted)
      out.push(`- **${mdText(what)}**  `, `  Instead: ${mdText(todo)}`);
    out.push("", `_${mdText(acceptance(plan))}_`, "");
  }
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
    ...diff.changed.map((r) => [
      r.action === "replace" ? "replace" : "change",
      r.address,
      r.details.map(changeWords).join("; "),
    ]),
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

function acceptance(plan: ReviewPlan): string {
  return plan.interruptionsAccepted
    ? "Accepted by a reviewer (--accept-interruptions): the plan does not fail on them."
    : `The plan fails (exit 1) until a reviewer accepts them: the pull-request label ${ACCEPT_LABEL}, or --accept-interruptions.`;
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
