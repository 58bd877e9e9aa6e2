/**
 * The deduplication section of `sgtm plan` (environments with `gtm.web`): the web container's verdicts
 * per event, or why the web container could not be read. It never changes the plan's exit code: the
 * web container is the shop's, outside what a deploy changes; `sgtm dedup` is the gate for it.
 */
import { dedupDocument, renderDedupMarkdown, renderDedupText, summaryLine } from "../gtm/dedup/render";
import type { DedupReport } from "../gtm/dedup/types";

export type DedupSection = { readonly report: DedupReport } | { readonly error: string };

export const DEDUP_TITLE = "Deduplication (web container)";

export function dedupSectionSummary(section: DedupSection): string {
  return "report" in section ? summaryLine(section.report) : `not checked: ${section.error}`;
}

export function dedupSectionJson(section: DedupSection) {
  return "report" in section ? dedupDocument(section.report) : { error: section.error };
}

export function dedupSectionText(section: DedupSection, options: { readonly color: boolean }): string[] {
  const body =
    "report" in section
      ? renderDedupText(section.report, options).trimEnd().split("\n")
      : [`  the web container could not be read: ${section.error}`];
  return ["", `${DEDUP_TITLE}:`, "", ...body];
}

/** The section under its heading; the report's own heading and headline give way to it. */
export function dedupSectionMarkdown(section: DedupSection, text: (value: string) => string): string[] {
  if (!("report" in section))
    return [`### ${DEDUP_TITLE}`, "", `The web container could not be read: ${text(section.error)}`, ""];
  const report = renderDedupMarkdown(section.report, "###").split("\n").slice(2);
  return [`### ${DEDUP_TITLE}`, "", ...report];
}
