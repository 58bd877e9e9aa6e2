/**
 * `acceptance-report.md` and `acceptance-report.json`: what a team reads before trusting the kit, and
 * what a maintainer asks for when a user says "it does not work". Pure. Every string goes through the
 * output scrubber first (registered secrets, and anything shaped like one), so the files can be
 * attached to an issue as they are.
 */
import { scrub } from "../errors/scrub";
import type { RunRecord, StepRecord } from "./record";

/** The record with every string scrubbed; both renders start from it. */
export function scrubbedRecord(record: RunRecord): RunRecord {
  return deepScrub(record) as RunRecord;
}

function deepScrub(value: unknown): unknown {
  if (typeof value === "string") return scrub(value, { shapes: true });
  if (Array.isArray(value)) return value.map(deepScrub);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, deepScrub(inner)]));
  }
  return value;
}

export function renderReportJson(record: RunRecord): string {
  return `${JSON.stringify(scrubbedRecord(record), null, 2)}\n`;
}

const OUTCOME_WORDS: Record<RunRecord["outcome"], string> = {
  passed: "passed",
  failed: "failed",
  interrupted: "interrupted",
};

const RESOURCE_WORDS: Record<RunRecord["resources"], string> = {
  "none-created": "nothing was created",
  destroyed: "everything the run created was destroyed",
  kept: "kept (`--keep`): the environment is still running and billed; clean it up with the commands below",
  "may-remain": "**resources may remain**: clean them up with the commands below",
};

export function renderReportMarkdown(input: RunRecord): string {
  const record = scrubbedRecord(input);
  const v = record.versions;
  const lines = [
    `# Acceptance run ${record.name}: ${OUTCOME_WORDS[record.outcome]}`,
    "",
    `Stack \`${record.stack}\` in project \`${record.project}\`, tagging host \`${record.domain}\`, GTM container \`${record.container}\`.`,
    `Started ${record.startedAt}, finished ${record.finishedAt}. Resources: ${RESOURCE_WORDS[record.resources]}.`,
    "",
    "## Versions",
    "",
    "| kit | cdktf | provider | Terraform | Node.js |",
    "|---|---|---|---|---|",
    `| ${v.kit}${v.kitCommit ? ` (${v.kitCommit})` : ""} | ${v.cdktf ?? "unknown"} | ${v.providerBinding} (${v.terraformProvider}) | ${v.terraform ?? "unknown"} | ${v.node} |`,
    "",
    "## Steps",
    "",
    "| step | outcome | time | detail |",
    "|---|---|---|---|",
    ...record.steps.map(stepRow),
  ];
  if (record.prerequisites.length > 0) {
    lines.push("", "## Prerequisites", "", ...checkTable(record.prerequisites));
  }
  if (record.doctor.length > 0) {
    lines.push("", "## Doctor (the last round)", "", ...checkTable(record.doctor));
  }
  for (const plan of record.nonEmptyPlans) {
    lines.push("", `## Not empty: ${plan.title}`, "", "```text", plan.output.trimEnd(), "```");
  }
  const failedOutput = record.steps.filter((s) => s.outcome === "failed" && s.output && !isPlan(record, s));
  for (const step of failedOutput) {
    lines.push(
      "",
      `## Output of the failed step: ${step.title}`,
      "",
      "```text",
      (step.output ?? "").trimEnd(),
      "```",
    );
  }
  if (record.notes.length > 0) lines.push("", "## Notes", "", ...record.notes.map((note) => `- ${note}`));
  if (record.manualCleanup.length > 0) {
    lines.push(
      "",
      "## Clean up by hand",
      "",
      "From the project root:",
      "",
      "```sh",
      ...record.manualCleanup,
      "```",
    );
  }
  return `${lines.join("\n")}\n`;
}

function isPlan(record: RunRecord, step: StepRecord): boolean {
  return record.nonEmptyPlans.some((plan) => plan.step === step.id);
}

function stepRow(step: StepRecord): string {
  const time = step.seconds === undefined ? "" : formatSeconds(step.seconds);
  return `| ${cell(step.title)} | ${step.outcome} | ${time} | ${cell(step.detail ?? "")} |`;
}

function checkTable(checks: RunRecord["doctor"]): string[] {
  return [
    "| check | status | detail | fix |",
    "|---|---|---|---|",
    ...checks.map((c) => `| \`${c.name}\` | ${c.status} | ${cell(c.detail)} | ${cell(c.fix)} |`),
  ];
}

/** A table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, "<br>");
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}
