/**
 * Plans for people and machines: terraform-like text for terminals, Markdown for pull-request comments,
 * JSON for CI. Every render is a pure function of the plan (no clock, no ports, no paths), so golden
 * files can pin them. The consent policy and the pixel naming are printed in every render, changes or
 * not: they are the two decisions a reviewer must never miss. The token only ever shows as
 * `(sensitive)`: plans carry no token value to begin with.
 */
import { canonicalJson } from "../core/normalize";
import { SENSITIVE_NOT_COMPARED_TEXT, SENSITIVE_TEXT } from "../core/sensitive";
import type { PlanProblem } from "../plan/problems";
import type { ChangeAction, FieldDiff, Plan, PlanChange } from "../plan/types";
import { planDocument } from "./document";
import { HIDDEN_DIFFERENCE_NOTE, problemMessage, publishReason } from "./wording";

export interface TextRenderOptions {
  readonly color: boolean;
}

export const SYMBOL: Readonly<Record<ChangeAction, string>> = {
  create: "+",
  update: "~",
  delete: "-",
};
const ANSI = { green: 32, yellow: 33, red: 31, bold: 1, dim: 2 } as const;

export function renderText(plan: Plan, options: TextRenderOptions): string {
  const paint = (code: keyof typeof ANSI, text: string) =>
    options.color ? `\u001b[${ANSI[code]}m${text}\u001b[0m` : text;
  const actionColor = { create: "green", update: "yellow", delete: "red" } as const;
  const env = plan.environment;
  const lines: string[] = [];
  lines.push(
    paint(
      "bold",
      `sgtm-tiktok-kit plan for ${env.stack} (${env.tier}): container ${env.containerId}, workspace "${env.workspace}"`,
    ),
    "",
  );
  for (const [label, value] of settings(plan)) lines.push(`  ${`${label}:`.padEnd(14)}${value}`);
  lines.push("");

  if (plan.changes.length > 0) {
    lines.push("The kit will:", "");
    for (const change of plan.changes) {
      const color = actionColor[change.action];
      lines.push(paint(color, `  ${SYMBOL[change.action]} ${change.action} ${change.kind} "${change.name}"`));
      for (const line of diffLines(change)) lines.push(paint(color, `      ${line}`));
    }
    lines.push("");
  }
  if (plan.errors.length > 0) {
    lines.push(paint("red", `Errors (${plan.errors.length}): this plan cannot be applied`));
    for (const problem of plan.errors) lines.push(paint("red", `  x ${problemText(problem)}`));
    lines.push("");
  }
  if (plan.warnings.length > 0) {
    lines.push(paint("yellow", `Warnings (${plan.warnings.length}):`));
    for (const problem of plan.warnings) lines.push(paint("yellow", `  ! ${problemText(problem)}`));
    lines.push("");
  }
  lines.push(paint("bold", summaryLine(plan)), publishLine(plan));
  return `${lines.join("\n")}\n`;
}

export function renderMarkdown(plan: Plan): string {
  const env = plan.environment;
  const out: string[] = [];
  out.push(`### sgtm-tiktok-kit plan for \`${env.stack}\` (${env.tier})`, "");
  out.push(`**${summaryLine(plan)}**`, "");
  out.push("| Setting | Value |", "|---|---|");
  for (const [label, value] of settings(plan)) out.push(`| ${label} | ${cell(value)} |`);
  out.push(`| Publish | ${cell(publishLine(plan).replace(/^Publish: /, ""))} |`, "");
  if (plan.errors.length > 0) {
    out.push(`#### Errors (${plan.errors.length}): this plan cannot be applied`, "");
    for (const problem of plan.errors) out.push(`- ${inline(problemText(problem))}`);
    out.push("");
  }
  if (plan.warnings.length > 0) {
    out.push(`#### Warnings (${plan.warnings.length})`, "");
    for (const problem of plan.warnings) out.push(`- ${inline(problemText(problem))}`);
    out.push("");
  }
  if (plan.changes.length > 0) {
    out.push("| Action | Kind | Name |", "|---|---|---|");
    for (const change of plan.changes)
      out.push(`| ${change.action} | ${change.kind} | ${cell(change.name)} |`);
    out.push(
      "",
      `<details><summary>Field changes (${plural(plan.changes.length, "entity", "entities")})</summary>`,
      "",
      "```diff",
    );
    for (const change of plan.changes) {
      out.push(
        `${SYMBOL[change.action] === "~" ? "!" : SYMBOL[change.action]} ${change.action} ${change.kind} "${change.name}"`,
      );
      for (const diff of visibleDiffs(change)) {
        if (diff.before !== null) out.push(`-     ${diff.field}: ${shown(diff.before)}${noteOf(diff)}`);
        if (diff.after !== null) out.push(`+     ${diff.field}: ${shown(diff.after)}${noteOf(diff)}`);
      }
    }
    out.push("```", "", "</details>", "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/** Stable JSON: keys sorted at every level, two-space indent, final newline. */
export function renderJson(plan: Plan): string {
  return `${canonicalJson(planDocument(plan), 2)}\n`;
}

// ---------------------------------------------------------------------------------------------------

function settings(plan: Plan): [string, string][] {
  const env = plan.environment;
  const template = {
    import: `import ${plan.template.gallery.owner}/${plan.template.gallery.repository}@${plan.template.gallery.sha.slice(0, 7)} ("${plan.template.displayName}") from the gallery`,
    reuse: `reuse "${plan.template.name ?? plan.template.displayName}" (template ${plan.template.templateId ?? "?"}, tag type ${plan.template.tagType ?? "?"})`,
    none: plan.template.templateId
      ? `"${plan.template.name ?? plan.template.displayName}" (template ${plan.template.templateId}) stays: the kit never deletes a template`
      : "none needed",
  }[plan.template.action];
  const token = {
    create: `${SENSITIVE_TEXT}, written at apply from Secret Manager`,
    unchanged: `${SENSITIVE_TEXT}, unchanged (compared by SHA-256)`,
    changed: `${SENSITIVE_TEXT}, differs (compared by SHA-256): apply rewrites it`,
    "not compared": SENSITIVE_NOT_COMPARED_TEXT,
    removed: `${SENSITIVE_TEXT}, its constant removed with the environment`,
  }[plan.token.status];
  return [
    ...(env.retiring
      ? ([
          [
            "Retiring",
            `apply removes every tag, trigger and variable the kit made for ${env.stack} (one version, ${env.publishByDefault ? "published (gtm.publish: true)" : "not published (gtm.publish: false)"}); the TikTok template and built-in variables stay`,
          ],
        ] as [string, string][])
      : []),
    [
      "Consent",
      `${env.consent.policy} (${env.consent.origin}; reads ${env.consent.signals.join(" and ") || "no consent signal"}): ${env.consent.statement}`,
    ],
    ["Pixel names", env.pixelEventNames.statement],
    ["Event ID", env.deduplication.statement],
    ["Tag layout", env.tagLayout.statement],
    [
      "Clients",
      `only events claimed by the ${env.clients.length === 1 ? "client" : "clients"} ${env.clients.map((c) => `"${c.name}"`).join(", ")} fire TikTok tags`,
    ],
    ["Access token", token],
    ["Template", template],
    [
      "Built-ins",
      plan.builtIns.length > 0
        ? `enable ${plan.builtIns.join(", ")}`
        : env.retiring
          ? "left as they are (the kit never disables one)"
          : "already enabled",
    ],
    ...(env.testEventCode !== undefined
      ? ([["Test events", `test_event_code ${env.testEventCode}: events show under Test Events only`]] as [
          string,
          string,
        ][])
      : []),
  ];
}

/** Creates list their fields except the notes (the same ownership text on every entity). */
function visibleDiffs(change: PlanChange): readonly FieldDiff[] {
  if (change.action === "delete") return [];
  if (change.action === "create") return change.diff.filter((d) => d.field !== "notes");
  return change.diff;
}

function diffLines(change: PlanChange): string[] {
  return visibleDiffs(change).map((diff) => {
    if (diff.before === null) return `+ ${diff.field}: ${shown(diff.after)}`;
    if (diff.after === null) return `- ${diff.field}: ${shown(diff.before)}`;
    return `~ ${diff.field}: ${shown(diff.before)} -> ${shown(diff.after)}${noteOf(diff)}`;
  });
}

function shown(value: string | null): string {
  if (value === null) return "(absent)";
  return value === SENSITIVE_TEXT ? value : JSON.stringify(value);
}

function noteOf(diff: FieldDiff): string {
  return diff.hidden ? ` (${HIDDEN_DIFFERENCE_NOTE[diff.hidden]})` : "";
}

function problemText(problem: PlanProblem): string {
  return `[${problem.code}] ${problemMessage(problem)}`;
}

function summaryLine(plan: Plan): string {
  const { create, update, delete: destroy } = plan.summary;
  const extras = [
    ...(plan.template.action === "import" ? ["import the TikTok template"] : []),
    ...(plan.builtIns.length > 0
      ? [`enable ${plural(plan.builtIns.length, "built-in variable", "built-in variables")}`]
      : []),
  ];
  const counts = `Plan: ${create} to add, ${update} to change, ${destroy} to destroy`;
  // A plan with errors never reads as "no changes": what it would change is unknown until they are fixed.
  if (!plan.hasChanges && plan.errors.length > 0)
    return `${counts}. Not applicable: ${plural(plan.errors.length, "error", "errors")} to fix first.`;
  // Neutral: the kit plans against its workspace, or the latest version when it has none.
  if (!plan.hasChanges) return `${counts}. No changes: the container matches the configuration.`;
  return `${counts}${extras.length > 0 ? `; ${extras.join("; ")}` : ""}.`;
}

function publishLine(plan: Plan): string {
  const { byDefault, liveDiffers } = plan.publish;
  const reason = publishReason(plan.publish.live);
  const how = byDefault
    ? "published (gtm.publish: true)"
    : "not published (gtm.publish: false; use --publish)";
  if (plan.errors.length > 0) return "Publish: nothing, until the errors are fixed.";
  if (plan.hasChanges) return `Publish: apply creates a version, ${how}.`;
  if (liveDiffers) {
    // Apply publishes only a version it creates now, or the latest version when the kit made it.
    const onlyKit = "otherwise nothing is published until apply creates a new version";
    const command = byDefault ? "apply" : "apply --publish";
    return `Publish: the container matches, but ${reason}: if the latest version is the kit's, ${command} publishes it; ${onlyKit}.`;
  }
  return `Publish: nothing to publish (${reason}).`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function cell(text: string): string {
  return inline(text).replace(/\|/g, "\\|");
}

function inline(text: string): string {
  return text.replace(/\n/g, " ");
}
