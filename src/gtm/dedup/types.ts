/**
 * What the deduplication check reports, per event of the environment's event map: whether the browser
 * pixel and the server (through the GA4 tags that feed it) send the same event with the same event id.
 * The `--json` document (`render.ts`) is built from these types; its field names are a contract.
 */

/**
 * - `ok`: pixel and server send the same name and the same stable event_id (or, for page views, both
 *   no event_id).
 * - `broken`: TikTok will count the event twice, or the server never receives it: each finding says
 *   what, where, and the fix.
 * - `unknown`: something the kit cannot read decides it (ids built in page code, a variable it cannot
 *   resolve).
 * - `no-pixel`: no pixel tag sends the event, so the server's event needs no deduplication.
 */
export type DedupVerdict = "ok" | "broken" | "unknown" | "no-pixel";

export interface DedupFinding {
  readonly severity: "broken" | "unknown";
  /** What is wrong, naming the tag(s). */
  readonly message: string;
  /** The exact change that fixes it. */
  readonly fix: string;
}

/** One tag's part in an event, as the report shows it. */
export interface DedupTag {
  readonly tag: string;
  readonly kind: "ga4-event" | "google-tag" | "tiktok-template" | "stape-template" | "custom-html";
  /** The event name it sends (GA4 name for GA4 tags, TikTok name for pixel tags); null when unknown. */
  readonly event: string | null;
  /** Its event_id source in words (`{{DLV - event_id}} (data layer key event_id)`, `no event_id`). */
  readonly eventId: string;
  /** GA4 tags: where the event goes (the server container URL, or what else). */
  readonly destination?: string;
}

export interface EventDedup {
  readonly ga4Event: string;
  /** What the server sends (the event map, in the pixel's naming). */
  readonly tiktokEvent: string;
  readonly verdict: DedupVerdict;
  /** One line: why this verdict. */
  readonly summary: string;
  readonly ga4Tags: readonly DedupTag[];
  readonly pixelTags: readonly DedupTag[];
  readonly findings: readonly DedupFinding[];
}

/** Where the web container was read from. */
export interface WebSource {
  readonly kind: "live" | "export";
  /** The container's path (`accounts/1/containers/2`), or the export file. */
  readonly where: string;
  readonly publicId?: string;
  readonly versionId?: string;
}

export interface DedupReport {
  readonly stack: string;
  readonly web: WebSource;
  /** `https://<domain.tagging>`: where the GA4 tags must send. */
  readonly taggingUrl: string;
  readonly pixelEventNames: string;
  /** In the event map's order (GA4 event name). */
  readonly events: readonly EventDedup[];
}

export function countVerdicts(report: DedupReport): Record<DedupVerdict, number> {
  const counts: Record<DedupVerdict, number> = { ok: 0, broken: 0, unknown: 0, "no-pixel": 0 };
  for (const event of report.events) counts[event.verdict]++;
  return counts;
}

export function hasBrokenEvent(report: DedupReport): boolean {
  return report.events.some((event) => event.verdict === "broken");
}
