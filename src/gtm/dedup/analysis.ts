/**
 * The deduplication check, pure: for each event of the environment's event map, the GA4 tags of the
 * web container that feed the server container and the pixel tags that send the same TikTok event, and
 * for each pair whether TikTok can merge them: the same event name, an `event_id` on both sides from
 * the same stable source (docs/facts/tiktok-events-api.md#events-api-rules,
 * docs/facts/web-gtm.md#how-web-gtm-resolves-variables). Page views: both with the same id, or neither.
 */
import type { EnvironmentConfig, ResolvedEvent } from "../../config/model";
import { DEFAULT_EVENT_MAP, TIKTOK_LEGACY_RENAMES } from "../../config/tables";
import { ga4Label, pixelLabel, recommendedSource, setGa4EventId, setPixelEventId } from "./fixes";
import { type Ga4Send, ga4Sends } from "./ga4";
import { describeIdSource, type IdSource } from "./id-source";
import { type PixelSend, pixelSends } from "./pixel";
import type { DedupFinding, DedupReport, DedupTag, DedupVerdict, EventDedup, WebSource } from "./types";
import type { WebContainer } from "./web-container";

export interface DedupInput {
  readonly env: EnvironmentConfig;
  readonly web: WebContainer;
  readonly source: WebSource;
}

const PAGE_VIEW = "Pageview";

export function analyzeDedup({ env, web, source }: DedupInput): DedupReport {
  const taggingUrl = `https://${env.domain.tagging}`;
  const context: EventContext = {
    env,
    web,
    taggingUrl,
    ga4: ga4Sends(web, env.domain.tagging),
    pixel: pixelSends(web),
    file: env.sourceFiles[env.sourceFiles.length - 1] ?? `config/${env.client}/${env.environment}.yaml`,
  };
  return {
    stack: env.stackName,
    web: source,
    taggingUrl,
    pixelEventNames: env.tiktok.pixelEventNames,
    events: env.tiktok.events.map((event) => analyzeEvent(event, context)),
  };
}

interface EventContext {
  readonly env: EnvironmentConfig;
  readonly web: WebContainer;
  readonly taggingUrl: string;
  readonly ga4: readonly Ga4Send[];
  readonly pixel: readonly PixelSend[];
  /** The environment file a config fix names. */
  readonly file: string;
}

function analyzeEvent(event: ResolvedEvent, ctx: EventContext): EventDedup {
  const { ga4Event, tiktokEvent } = event;
  const findings = new Findings();
  const ga4 = ctx.ga4.filter((send) => send.events?.includes(ga4Event));
  const pixel = ctx.pixel.filter((send) => relates(send, event, ctx));
  for (const send of ga4) routeFinding(send, ga4Event, ctx, findings);
  const toServer = ga4.filter(
    (send) => send.route.kind !== "elsewhere" && send.route.kind !== "google-direct",
  );

  if (pixel.length > 0) {
    for (const send of ctx.ga4) {
      if (send.events === undefined && send.firing.events.has(ga4Event)) {
        findings.unknown(
          `${ga4Label(send)} fires on ${ga4Event} with an event name the kit cannot resolve`,
          `make sure it sends ${ga4Event}, or give it a literal event name`,
        );
      }
    }
    if (ga4.length === 0) {
      findings.unknown(
        `no GA4 tag in the web container sends ${ga4Event}: the server container receives it only from elsewhere (page code, another container), which the kit cannot read`,
        `add a GA4 event tag sending ${ga4Event} through a Google tag whose server_container_url is ${ctx.taggingUrl}, with event_id from the pixel's source`,
      );
    }
    for (const send of pixel) nameFinding(send, event, ctx, findings);
    for (const pixelSend of pixel.filter((p) => p.event !== undefined)) {
      for (const ga4Send of toServer) compareIds(ga4Send, pixelSend, event, ctx, findings);
    }
  }
  const verdict = verdictOf(findings.list, pixel.length > 0);
  return {
    ga4Event,
    tiktokEvent,
    verdict,
    summary: summaryOf(verdict, event, toServer, pixel, findings.list),
    ga4Tags: ga4.map(ga4Tag),
    pixelTags: pixel.map(pixelTag),
    findings: findings.list,
  };
}

/** TikTok's other name for an event (Purchase <-> CompletePayment, Lead <-> SubmitForm), if any. */
function twinOf(name: string): string | undefined {
  const renames = TIKTOK_LEGACY_RENAMES as Readonly<Record<string, string>>;
  return renames[name] ?? Object.keys(renames).find((legacy) => renames[legacy] === name);
}

/**
 * Whether a pixel send is the browser's copy of `event`: it sends the server's name (or its legacy or
 * current twin), or, name unknown, fires on the event. When several mapped events share the TikTok name
 * (generate_lead and form_submit both send Lead), the data layer event the pixel fires on decides.
 */
function relates(send: PixelSend, event: ResolvedEvent, ctx: EventContext): boolean {
  if (send.event === undefined) return send.firing.events.has(event.ga4Event);
  const names = new Set([event.tiktokEvent, twinOf(event.tiktokEvent)]);
  if (!names.has(send.event)) return false;
  const sharing = ctx.env.tiktok.events.filter((other) => names.has(other.tiktokEvent));
  if (sharing.length <= 1 || send.firing.events.has(event.ga4Event)) return true;
  return !sharing.some((other) => send.firing.events.has(other.ga4Event));
}

function routeFinding(send: Ga4Send, ga4Event: string, ctx: EventContext, findings: Findings): void {
  const route = send.route;
  const never = "the server container never receives it";
  if (route.kind === "elsewhere") {
    const runApp = /\.run\.app(?::\d+)?(?:\/|$)/.test(route.url)
      ? " (and on run.app the browser never sends the shop's _ttp cookie)"
      : "";
    findings.broken(
      `${ga4Label(send)} sends ${ga4Event} through Google tag '${route.googleTag}' to ${route.url}, not to this environment's server container ${ctx.taggingUrl}: ${never}${runApp}`,
      `set server_container_url of Google tag '${route.googleTag}' to ${ctx.taggingUrl}`,
    );
  } else if (route.kind === "google-direct") {
    findings.broken(
      `${ga4Label(send)} sends ${ga4Event} through Google tag '${route.googleTag}', which has no server_container_url: it goes to Google Analytics directly and ${never}`,
      `add the configuration setting server_container_url = ${ctx.taggingUrl} to Google tag '${route.googleTag}'`,
    );
  } else if (route.kind === "no-google-tag") {
    findings.unknown(
      `${ga4Label(send)} sends ${ga4Event} with measurement id ${route.measurementId}, but the web container has no Google tag for it: unless page code configures it with server_container_url ${ctx.taggingUrl}, the event goes to Google Analytics directly`,
      `add a Google tag for ${route.measurementId} with the configuration setting server_container_url = ${ctx.taggingUrl}`,
    );
  } else if (route.kind === "unknown") {
    findings.unknown(
      `${ga4Label(send)} sends ${ga4Event}, but ${route.why}`,
      `make sure it resolves to ${ctx.taggingUrl}`,
    );
  }
}

function nameFinding(send: PixelSend, event: ResolvedEvent, ctx: EventContext, findings: Findings): void {
  const server = event.tiktokEvent;
  if (send.event === undefined) {
    findings.unknown(
      `${pixelLabel(send)} fires on ${event.ga4Event} with an event name the kit cannot resolve`,
      `make sure it sends ${server}, the name the server sends`,
    );
    return;
  }
  if (send.event === server) return;
  const note = send.eventNote ? ` (${send.eventNote})` : "";
  const byDefault = DEFAULT_EVENT_MAP[event.ga4Event]?.[ctx.env.tiktok.pixelEventNames] === server;
  const configFix = byDefault
    ? `set tiktok.pixelEventNames: ${ctx.env.tiktok.pixelEventNames === "current" ? "legacy" : "current"} in ${ctx.file} (the server then sends ${send.event})`
    : `set tiktok.events.${event.ga4Event}.event: ${send.event} in ${ctx.file}`;
  findings.broken(
    `${pixelLabel(send)} sends ${send.event}${note}, the server sends ${server}: TikTok merges only events of the same name, so each ${event.ga4Event} counts twice`,
    `${configFix}, or ${tagSendsName(send, server)}`,
  );
}

function tagSendsName(send: PixelSend, name: string): string {
  if (send.kind === "custom-html")
    return `make ${send.call ?? "its ttq.track call"} in tag '${send.tag}' send '${name}'`;
  if (send.kind === "stape-template") return `set the event name of tag '${send.tag}' to ${name}`;
  return `set event of tag '${send.tag}' to ${name}`;
}

function compareIds(
  ga4: Ga4Send,
  pixel: PixelSend,
  event: ResolvedEvent,
  ctx: EventContext,
  findings: Findings,
) {
  const { ga4Event } = event;
  const a = ga4.eventId;
  const p = pixel.eventId;
  const labels = { a: ga4Label(ga4), p: pixelLabel(pixel) };
  const source = recommendedSource(ctx.web, ga4Event, a, p);
  const setBoth = `${source.before}${setGa4EventId(ga4, source.text)} and ${setPixelEventId(pixel, source.text)}`;
  const pageView = event.tiktokEvent === PAGE_VIEW;
  if (a.kind === "missing" && p.kind === "missing") {
    if (pageView) return;
    findings.broken(
      `neither ${labels.a} nor ${labels.p} sends an event_id with ${ga4Event}: TikTok cannot merge the pixel's and the server's copy`,
      setBoth,
    );
  } else if (p.kind === "missing") {
    findings.broken(
      `${labels.p} sends ${pixel.event} without event_id, while ${labels.a} sends ${ga4Event} with event_id ${describeIdSource(a)}: TikTok cannot merge them`,
      a.kind === "stable"
        ? `${setPixelEventId(pixel, a.text)}${pageView ? ", or send page_view without event_id" : ""}`
        : setBoth,
    );
  } else if (a.kind === "missing") {
    findings.broken(
      `${labels.a} sends ${ga4Event} without an event_id parameter, while ${labels.p} sends event_id ${describeIdSource(p)}: the server's TikTok tag has no event_id to send`,
      p.kind === "stable" ? setGa4EventId(ga4, p.text) : setBoth,
    );
  } else if (a.kind === "per-call" && p.kind === "per-call" && a.text === p.text) {
    findings.broken(
      `${labels.a} and ${labels.p} both read ${a.text}, ${a.why}, so they get different ids for the same ${ga4Event}`,
      setBoth,
    );
  } else {
    const perCall = sideOf("per-call", a, p, labels);
    const constant = sideOf("constant", a, p, labels);
    const unknown = sideOf("unknown", a, p, labels);
    if (perCall) {
      findings.broken(
        `${perCall.label} reads ${perCall.side.text}, ${perCall.side.why}, so its id never matches the other side's`,
        setBoth,
      );
    } else if (constant) {
      findings.broken(
        `${constant.label} sends event_id ${constant.side.text}, ${constant.side.why}, so TikTok would merge different ${pixel.event} events into one`,
        setBoth,
      );
    } else if (unknown) {
      const other = unknown.isGa4 ? p : a;
      const fix =
        other.kind !== "stable"
          ? setBoth
          : unknown.isGa4
            ? setGa4EventId(ga4, other.text)
            : setPixelEventId(pixel, other.text);
      findings.unknown(`${unknown.label}: ${unknown.side.why}`, fix);
    } else if (a.kind === "stable" && p.kind === "stable") {
      sameSource(ga4, pixel, a, p, findings);
    }
  }
}

type Judged<K extends IdSource["kind"]> = Extract<IdSource, { kind: K }>;

/** The side (GA4 first) whose event id is of `kind`, with its label. */
function sideOf<K extends "per-call" | "constant" | "unknown">(
  kind: K,
  a: IdSource,
  p: IdSource,
  labels: { readonly a: string; readonly p: string },
): { readonly side: Judged<K>; readonly label: string; readonly isGa4: boolean } | undefined {
  if (a.kind === kind) return { side: a as Judged<K>, label: labels.a, isGa4: true };
  if (p.kind === kind) return { side: p as Judged<K>, label: labels.p, isGa4: false };
  return undefined;
}

function sameSource(
  ga4: Ga4Send,
  pixel: PixelSend,
  a: Judged<"stable">,
  p: Judged<"stable">,
  findings: Findings,
) {
  if (a.identity !== p.identity) {
    findings.broken(
      `${ga4Label(ga4)} sends event_id ${describeIdSource(a)}, ${pixelLabel(pixel)} ${describeIdSource(p)}: different sources, different ids`,
      setPixelEventId(pixel, a.text),
    );
    return;
  }
  firingFinding(ga4, pixel, a, findings);
}

/** An id the same for one data layer event is the same for both tags only if they fire on the same one. */
function firingFinding(
  ga4: Ga4Send,
  pixel: PixelSend,
  id: Extract<IdSource, { kind: "stable" }>,
  findings: Findings,
) {
  const shared = [...pixel.firing.events].some((e) => ga4.firing.events.has(e));
  const knownOnly = ga4.firing.unnamed.length === 0 && pixel.firing.unnamed.length === 0;
  if (shared || !knownOnly) return;
  // A value the page sets before it loads is the same on every page-load event; an event-scoped id is not.
  if (ga4.firing.pageLoad && pixel.firing.pageLoad && !id.eventScoped) return;
  const which = `${ga4Label(ga4)} fires on ${[...ga4.firing.events].join(", ")}, ${pixelLabel(pixel)} on ${[...pixel.firing.events].join(", ")}`;
  if (id.eventScoped) {
    findings.broken(
      `${which}: ${id.text} comes from ${id.origin}, so each of them gets its own id`,
      `make '${pixel.tag}' and '${ga4.tag}' fire on the same data layer event`,
    );
  } else {
    findings.unknown(
      `${which}: whether ${id.text} holds the same value on both depends on when the page sets it`,
      `make '${pixel.tag}' and '${ga4.tag}' fire on the same data layer event`,
    );
  }
}

function verdictOf(findings: readonly DedupFinding[], hasPixel: boolean): DedupVerdict {
  if (findings.some((f) => f.severity === "broken")) return "broken";
  if (!hasPixel) return "no-pixel";
  return findings.length > 0 ? "unknown" : "ok";
}

function summaryOf(
  verdict: DedupVerdict,
  event: ResolvedEvent,
  ga4: readonly Ga4Send[],
  pixel: readonly PixelSend[],
  findings: readonly DedupFinding[],
): string {
  const list = (labels: readonly string[]) => [...new Set(labels)].join(", ");
  if (verdict === "no-pixel") {
    return `no pixel tag in the web container sends ${event.tiktokEvent}: only the server sends it, nothing to deduplicate (pixel events set up in TikTok's Event Builder or in page code are not visible here)`;
  }
  if (verdict !== "ok") {
    const count = findings.filter((f) => f.severity === verdict).length;
    return `${count} ${verdict === "broken" ? "problem" : "open question"}${count === 1 ? "" : "s"}: ${findings.find((f) => f.severity === verdict)?.message ?? ""}`;
  }
  const ids = list(pixel.map((p) => describeIdSource(p.eventId)));
  const tags = `${list(ga4.map(ga4Label))} and ${list(pixel.map(pixelLabel))}`;
  return event.tiktokEvent === PAGE_VIEW && pixel.every((p) => p.eventId.kind === "missing")
    ? `${tags} send the page view without event_id on both sides: TikTok matches them on _ttp`
    : `${tags} send ${event.tiktokEvent} with event_id ${ids}`;
}

function ga4Tag(send: Ga4Send): DedupTag {
  const route = send.route;
  const destination =
    route.kind === "server" || route.kind === "elsewhere"
      ? route.url
      : route.kind === "google-direct"
        ? "Google Analytics directly (no server_container_url)"
        : route.kind === "no-google-tag"
          ? `no Google tag for ${route.measurementId} in the container`
          : "unknown";
  return {
    tag: send.tag,
    kind: send.kind,
    event: send.events?.join(", ") ?? null,
    eventId: describeIdSource(send.eventId),
    destination,
  };
}

function pixelTag(send: PixelSend): DedupTag {
  return {
    tag: send.tag,
    kind: send.kind,
    event: send.event ?? null,
    eventId: describeIdSource(send.eventId),
  };
}

/** Findings without repeats (several tag pairs can show the same problem). */
class Findings {
  readonly list: DedupFinding[] = [];

  broken(message: string, fix: string): void {
    this.add({ severity: "broken", message, fix });
  }

  unknown(message: string, fix: string): void {
    this.add({ severity: "unknown", message, fix });
  }

  private add(finding: DedupFinding): void {
    if (!this.list.some((f) => f.message === finding.message)) this.list.push(finding);
  }
}
