/**
 * The TikTok pixel calls in a Custom HTML tag: `ttq.track(event, properties, {event_id})` and the base
 * code's `ttq.page()` (docs/facts/web-gtm.md#tiktok-pixel-tags). A small scanner, not a JavaScript
 * parser: it finds the calls, splits their arguments at top-level commas (strings, brackets and
 * `{{variables}}` respected) and reads literals, `{{variables}}` and object properties. Anything else
 * is code the kit does not evaluate, and says so.
 */

export interface TtqCall {
  readonly method: "track" | "page";
  /** Each argument's source text, trimmed. */
  readonly args: readonly string[];
  /** The call as written, for messages. */
  readonly text: string;
}

const CALL = /\bttq\s*(?:\.\s*instance\s*\([^()]*\)\s*)?\.\s*(track|page)\s*\(/g;

export function ttqCalls(html: string): TtqCall[] {
  const calls: TtqCall[] = [];
  for (const match of html.matchAll(CALL)) {
    const open = (match.index ?? 0) + match[0].length;
    const close = closingParenthesis(html, open);
    if (close === undefined) continue;
    calls.push({
      method: match[1] as TtqCall["method"],
      args: splitTopLevel(html.slice(open, close)),
      text: html.slice(match.index ?? 0, close + 1).replace(/\s+/g, " "),
    });
  }
  return calls;
}

/** A quoted string's content, or undefined. */
export function stringLiteral(arg: string): string | undefined {
  const match = /^(['"`])([\s\S]*)\1$/.exec(arg.trim());
  return match ? match[2].replace(/\\(['"`\\])/g, "$1") : undefined;
}

/** `{{Name}}` written bare (GTM replaces it with a call), or undefined. */
export function bareReference(arg: string): string | undefined {
  return /^\{\{[^{}]+\}\}$/.test(arg.trim()) ? arg.trim() : undefined;
}

/** The source text of property `key` of an object literal argument, or undefined. */
export function objectProperty(arg: string, key: string): string | undefined {
  const text = arg.trim();
  if (!text.startsWith("{") || !text.endsWith("}") || bareReference(text)) return undefined;
  for (const entry of splitTopLevel(text.slice(1, -1))) {
    const colon = topLevelColon(entry);
    if (colon === undefined) continue;
    const name = entry.slice(0, colon).trim();
    if ((stringLiteral(name) ?? name) === key) return entry.slice(colon + 1).trim();
  }
  return undefined;
}

/** What a value in code is, as the id classifier takes it: a field text, or code it cannot read. */
export function valueText(source: string): { readonly text: string } | { readonly code: string } {
  const literal = stringLiteral(source);
  if (literal !== undefined) return { text: literal };
  const reference = bareReference(source);
  if (reference !== undefined) return { text: reference };
  return { code: source.trim() };
}

function closingParenthesis(text: string, from: number): number | undefined {
  const at = walk(text, from, (c, depth) => depth === 0 && (c === ")" || c === "]" || c === "}"));
  return at !== undefined && text[at] === ")" ? at : undefined;
}

function splitTopLevel(text: string): string[] {
  const commas: number[] = [];
  walk(text, 0, (c, depth, i) => {
    if (c === "," && depth === 0) commas.push(i);
    return false;
  });
  const parts = [-1, ...commas].map((start, n) => text.slice(start + 1, commas[n] ?? text.length).trim());
  return parts.length === 1 && parts[0] === "" ? [] : parts;
}

function topLevelColon(entry: string): number | undefined {
  return walk(entry, 0, (c, depth) => c === ":" && depth === 0);
}

/**
 * Walks `text` from `from`, skipping strings, and calls `stop` with each character and the bracket
 * depth around it; returns the index where `stop` said true, or undefined.
 */
function walk(
  text: string,
  from: number,
  stop: (c: string, depth: number, index: number) => boolean,
): number | undefined {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"' || c === "`") {
      i = endOfString(text, i);
      continue;
    }
    if (stop(c, depth, i)) return i;
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
  }
  return undefined;
}

/** Index of the quote closing the string that opens at `start` (backslash escapes respected). */
function endOfString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === quote) return i;
  }
  return text.length;
}
