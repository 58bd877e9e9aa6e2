/**
 * The deduplication report for people and machines: text for terminals, Markdown for pull-request
 * comments (and `sgtm plan --markdown`), JSON for CI. Pure functions of the report, so golden files can
 * pin them. Every broken or unknown event shows each finding with its fix.
 */
import { canonicalJson } from "../core/normalize";
import {
  countVerdicts,
  type DedupReport,
  type DedupVerdict,
  type EventDedup,
  hasBrokenEvent,
  type WebSource,
} from "./types";

/** Bumped when a field of the JSON document changes meaning or goes away. */
export const DEDUP_FORMAT_VERSION = 1;

const LABEL: Readonly<Record<DedupVerdict, string>> = {
  ok: "ok",
  broken: "broken",
  unknown: "unknown",
  "no-pixel": "no pixel",
};
const ANSI = { green: 32, yellow: 33, red: 31, bold: 1, dim: 2 } as const;
const COLOR: Readonly<Record<DedupVerdict, keyof typeof ANSI>> = {
  ok: "green",
  broken: "red",
  unknown: "yellow",
  "no-pixel": "dim",
};

export function dedupDocument(report: DedupReport) {
  const counts = countVerdicts(report);
  return {
    formatVersion: DEDUP_FORMAT_VERSION,
    stack: report.stack,
    web: report.web,
    taggingUrl: report.taggingUrl,
    pixelEventNames: report.pixelEventNames,
    hasBroken: hasBrokenEvent(report),
    summary: { ok: counts.ok, broken: counts.broken, unknown: counts.unknown, noPixel: counts["no-pixel"] },
    events: report.events,
  };
}

export function renderDedupJson(report: DedupReport): string {
  return `${canonicalJson(dedupDocument(report), 2)}\n`;
}

export function renderDedupText(report: DedupReport, options: { readonly color: boolean }): string {
  const paint = (code: keyof typeof ANSI, text: string) =>
    options.color ? `\u001b[${ANSI[code]}m${text}\u001b[0m` : text;
  const lines = [paint("bold", headline(report)), ""];
  for (const event of report.events) {
    const label = paint(COLOR[event.verdict], LABEL[event.verdict].padEnd(9));
    const title = `${event.ga4Event} -> ${event.tiktokEvent}`;
    if (event.findings.length === 0) {
      lines.push(`  ${label} ${title}: ${event.summary}`);
      continue;
    }
    lines.push(`  ${label} ${title}`);
    for (const finding of event.findings) {
      const mark = finding.severity === "broken" ? "x" : "?";
      lines.push(paint(COLOR[finding.severity], `            ${mark} ${finding.message}`));
      lines.push(`              fix: ${finding.fix}`);
    }
  }
  lines.push("", paint("bold", summaryLine(report)));
  return `${lines.join("\n")}\n`;
}

export function renderDedupMarkdown(report: DedupReport, heading = "###"): string {
  const out = [`${heading} Deduplication for \`${report.stack}\``, "", md(headline(report)), ""];
  out.push(`**${md(summaryLine(report))}**`, "");
  out.push("| GA4 event | TikTok event | Verdict | Why |", "|---|---|---|---|");
  for (const event of report.events) {
    const verdict = event.verdict === "broken" ? `**${LABEL[event.verdict]}**` : LABEL[event.verdict];
    out.push(`| ${md(event.ga4Event)} | ${md(event.tiktokEvent)} | ${verdict} | ${md(event.summary)} |`);
  }
  const withFindings = report.events.filter((event) => event.findings.length > 0);
  if (withFindings.length > 0) {
    out.push("", `${heading}# Fixes`, "");
    for (const event of withFindings) out.push(...findingsMarkdown(event));
  }
  return `${out.join("\n")}\n`;
}

function findingsMarkdown(event: EventDedup): string[] {
  return event.findings.map(
    (f) => `- **${md(event.ga4Event)}** (${f.severity}): ${md(f.message)}. Fix: ${md(f.fix)}`,
  );
}

export function headline(report: DedupReport): string {
  return `Deduplication for ${report.stack}: ${describeWebSource(report.web)}, against the server container at ${report.taggingUrl} (pixel names: ${report.pixelEventNames})`;
}

export function summaryLine(report: DedupReport): string {
  const counts = countVerdicts(report);
  const line = `${counts.broken} broken, ${counts.unknown} unknown, ${counts.ok} ok, ${counts["no-pixel"]} without pixel`;
  return hasBrokenEvent(report)
    ? `${line}: TikTok counts the broken events twice (or never gets them from the server) until they are fixed.`
    : `${line}.`;
}

export function describeWebSource(web: WebSource): string {
  const name = web.publicId ? `web container ${web.publicId}` : "web container";
  const version = web.versionId ? `version ${web.versionId}` : "";
  return web.kind === "live"
    ? `${name} (${web.where}, live ${version || "version"})`
    : `${name} from the export ${web.where}${version ? ` (${version})` : ""}`;
}

function md(text: string): string {
  return text.replace(/\n/g, " ").replace(/([\\`*_[\]<|])/g, "\\$1");
}
