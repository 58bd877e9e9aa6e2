/**
 * Where an `event_id` comes from, judged from the web container alone: a data layer key, an
 * event-scoped id template and deterministic code give every tag of one data layer event the same
 * value; a Custom JavaScript variable that draws a random number or reads the clock gives each tag its
 * own, because web GTM runs a variable each time a tag reads it
 * (docs/facts/web-gtm.md#how-web-gtm-resolves-variables).
 */
import type { Variable } from "../core/api";
import { paramValue, referencesIn, soleReference, type WebContainer } from "./web-container";

export type IdSource =
  | { readonly kind: "missing" }
  /** The same value for every tag of one data layer event; `identity` says which value. */
  | {
      readonly kind: "stable";
      readonly text: string;
      readonly identity: string;
      readonly origin: string;
      /** Built from `gtm.uniqueEventId`: equal only for tags firing on the same data layer event. */
      readonly eventScoped: boolean;
    }
  /** A new value for every tag that reads it. */
  | { readonly kind: "per-call"; readonly text: string; readonly why: string }
  /** The same value for every event: TikTok would merge different purchases into one. `why` is a phrase. */
  | { readonly kind: "constant"; readonly text: string; readonly why: string }
  | { readonly kind: "unknown"; readonly text: string; readonly why: string };

/**
 * Variable templates whose value is one id per data layer event (gallery owner/repository,
 * docs/facts/web-gtm.md#event-id-variables).
 */
export const EVENT_ID_TEMPLATES: readonly string[] = [
  "stape-io/unique-event-id-variable",
  "mbaersch/event-id",
];

/** Code that yields a new value on every run (docs/facts/web-gtm.md#how-web-gtm-resolves-variables). */
const NEW_VALUE_EACH_RUN: ReadonlyArray<readonly [RegExp, string]> = [
  [/Math\.random\s*\(/, "Math.random()"],
  [/randomUUID\s*\(/, "crypto.randomUUID()"],
  [/getRandomValues\s*\(/, "crypto.getRandomValues()"],
  [/Date\.now\s*\(/, "Date.now()"],
  [/new\s+Date\s*\(\s*\)/, "new Date()"],
  [/performance\.now\s*\(/, "performance.now()"],
];

/** Code that keeps a value somewhere between runs: it may hand the same id to several tags. */
const KEEPS_A_VALUE: readonly RegExp[] = [
  /\bwindow\s*(?:\.\s*[\w$]+|\[[^\]]+\])\s*=(?!=)/,
  /\b(?:local|session)Storage\b/,
  /\bdataLayer\.push\s*\(/,
  /\bdocument\.cookie\s*=(?!=)/,
];

/** What drawing or clock call a piece of code makes, if any. */
export function newValueEachRun(code: string): string | undefined {
  return NEW_VALUE_EACH_RUN.find(([pattern]) => pattern.test(code))?.[1];
}

/** How a Custom JavaScript variable's code behaves, from its text. */
export function judgeCustomJavaScript(code: string): { readonly draws?: string; readonly keeps: boolean } {
  const draws = newValueEachRun(code);
  return { ...(draws ? { draws } : {}), keeps: KEEPS_A_VALUE.some((pattern) => pattern.test(code)) };
}

/** Where an event id written as `text` (a field value, possibly with `{{variables}}`) comes from. */
export function classifyIdValue(text: string | undefined, web: WebContainer): IdSource {
  if (text === undefined || text.trim() === "") return { kind: "missing" };
  const names = referencesIn(text);
  if (names.length === 0) {
    return { kind: "constant", text, why: "a literal, the same for every event" };
  }
  const parts = names.map((name) => ({ name, judged: classifyVariable(name, web, new Set()) }));
  const perCall = parts.find((p) => p.judged.kind === "per-call");
  if (perCall?.judged.kind === "per-call") {
    const sole = soleReference(text) !== undefined;
    return {
      kind: "per-call",
      text,
      why: sole ? perCall.judged.why : `built from {{${perCall.name}}}, ${perCall.judged.why}`,
    };
  }
  const unknown = parts.find((p) => p.judged.kind === "unknown");
  if (unknown) return { ...unknown.judged, text } as IdSource;
  const stable = parts.filter(
    (p): p is { name: string; judged: Extract<VariableJudgement, { kind: "stable" }> } =>
      p.judged.kind === "stable",
  );
  if (stable.length === 0) {
    const sole = parts.length === 1 && soleReference(text) !== undefined ? parts[0].judged : undefined;
    return {
      kind: "constant",
      text,
      why: sole?.kind === "constant" ? sole.why : "built from constants, the same for every event",
    };
  }
  if (soleReference(text) !== undefined) return { ...stable[0].judged, text };
  let identity = text;
  for (const { name, judged } of stable)
    identity = identity.split(`{{${name}}}`).join(`<${judged.identity}>`);
  return {
    kind: "stable",
    text,
    identity,
    origin: `built from ${stable.map((p) => p.judged.origin).join(" and ")}`,
    eventScoped: stable.some((p) => p.judged.eventScoped),
  };
}

type VariableJudgement =
  | Omit<Extract<IdSource, { kind: "stable" }>, "text">
  | Omit<Extract<IdSource, { kind: "per-call" | "constant" | "unknown" }>, "text">;

function classifyVariable(name: string, web: WebContainer, seen: Set<string>): VariableJudgement {
  const reference = `{{${name}}}`;
  const variable = web.variables.get(name);
  if (!variable) return builtIn(name);
  if (seen.has(name)) return { kind: "unknown", why: `${reference} refers to itself` };
  const type = variable.type ?? "";
  if (type === "v") {
    const key = paramValue(variable.parameter, "name") ?? name;
    return {
      kind: "stable",
      identity: `dataLayer:${key}`,
      origin: `data layer key ${key}`,
      eventScoped: false,
    };
  }
  if (type === "c") {
    return { kind: "constant", why: "a Constant variable, the same for every event" };
  }
  if (type === "j") {
    const global = paramValue(variable.parameter, "name") ?? name;
    return {
      kind: "stable",
      identity: `js:${global}`,
      origin: `page variable ${global}`,
      eventScoped: false,
    };
  }
  if (type === "jsm") return customJavaScript(variable, web, new Set([...seen, name]));
  if (type.startsWith("cvt_")) return fromTemplate(variable, web);
  return {
    kind: "unknown",
    why: `${reference} is a variable of type ${type}, which the kit does not judge as an event id source`,
  };
}

function builtIn(name: string): VariableJudgement {
  if (name === "Random Number") {
    return {
      kind: "per-call",
      why: "the built-in random number, drawn anew for every tag that reads it",
    };
  }
  if (name === "Event" || name === "_event") {
    return {
      kind: "constant",
      why: "the event's name, the same for every event of that name",
    };
  }
  return {
    kind: "unknown",
    why: `{{${name}}} is no variable of the web container (a built-in variable, or a missing one): no event id source the kit can judge`,
  };
}

function customJavaScript(variable: Variable, web: WebContainer, seen: Set<string>): VariableJudgement {
  const reference = `{{${variable.name}}}`;
  const code = paramValue(variable.parameter, "javascript") ?? "";
  const { draws, keeps } = judgeCustomJavaScript(code);
  if (draws && !keeps) {
    return {
      kind: "per-call",
      why: `a Custom JavaScript variable whose code calls ${draws} and which web GTM runs anew for every tag that reads it`,
    };
  }
  if (draws) {
    return {
      kind: "unknown",
      why: `${reference} is a Custom JavaScript variable that calls ${draws} and stores a value (window, storage or the data layer): whether it keeps one id per event depends on code the kit does not judge`,
    };
  }
  for (const inner of referencesIn(code)) {
    const judged = classifyVariable(inner, web, seen);
    if (judged.kind === "per-call" || judged.kind === "unknown") {
      return {
        ...judged,
        why:
          judged.kind === "per-call"
            ? `a Custom JavaScript variable reading {{${inner}}}, ${judged.why}`
            : `${reference} reads {{${inner}}}: ${judged.why}`,
      };
    }
  }
  return {
    kind: "stable",
    identity: `jsm:${variable.name}`,
    origin: `Custom JavaScript variable ${reference} (no random number or clock in its code)`,
    eventScoped: false,
  };
}

function fromTemplate(variable: Variable, web: WebContainer): VariableJudgement {
  const reference = `{{${variable.name}}}`;
  const template = web.templateOf(variable.type);
  const gallery = template?.galleryReference;
  const coordinates = gallery?.owner && gallery.repository ? `${gallery.owner}/${gallery.repository}` : "";
  if (EVENT_ID_TEMPLATES.includes(coordinates.toLowerCase())) {
    const settings = (variable.parameter ?? []).map((p) => `${p.key}=${p.value ?? ""}`).sort();
    return {
      kind: "stable",
      identity: `template:${coordinates.toLowerCase()}${settings.length > 0 ? `(${settings.join(",")})` : ""}`,
      origin: `the event id template ${coordinates}, one id per data layer event`,
      eventScoped: true,
    };
  }
  const which = coordinates || template?.name || variable.type;
  return {
    kind: "unknown",
    why: `${reference} comes from the template ${which}, whose code the kit does not judge`,
  };
}

/** How a source reads in a message: `{{DLV - event_id}} (data layer key event_id)`. */
export function describeIdSource(source: IdSource): string {
  switch (source.kind) {
    case "missing":
      return "no event_id";
    case "stable":
      return `${source.text} (${source.origin})`;
    default:
      return source.text;
  }
}
