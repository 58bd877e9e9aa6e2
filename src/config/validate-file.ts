/** Checks one file against the schema and turns zod issues into located, actionable problems. */
import { type ZodType, z } from "zod";
import { type ConfigProblem, describeValue, didYouMean, looksSecret } from "./errors";
import { PATTERN_HINTS } from "./patterns";
import { ConfigFileSchema } from "./schema";
import type { KeyPath, SourceFile } from "./source";

const VALUE_SOURCE_HINT =
  "{ eventData: <key path> } | { constant: <value> } | { variable: <GTM variable name> }";

export interface FileCheck {
  readonly problems: ConfigProblem[];
  /** The file's data with every rejected value removed, so cross-field checks can still run on the rest. */
  readonly sanitized: unknown;
  /** Dotted key paths of the rejected values. */
  readonly rejectedPaths: ReadonlySet<string>;
}

export function validateFile(file: SourceFile): FileCheck {
  const result = ConfigFileSchema.safeParse(file.data);
  if (result.success) return { problems: [], sanitized: file.data, rejectedPaths: new Set() };
  const sanitized = structuredClone(file.data);
  const rejectedPaths = new Set<string>();
  for (const issue of result.error.issues) {
    const paths =
      issue.code === "unrecognized_keys"
        ? issue.keys.map((k) => [...issue.path, k])
        : [issue.path as KeyPath];
    for (const path of paths) {
      removeAt(sanitized, path as KeyPath);
      rejectedPaths.add(dotted(path as KeyPath));
    }
  }
  return {
    problems: result.error.issues.flatMap((issue) => issueToProblems(file, issue)),
    sanitized,
    rejectedPaths,
  };
}

function removeAt(data: unknown, path: KeyPath): void {
  if (path.length === 0) return;
  const parent = valueAt(data, path.slice(0, -1));
  if (parent !== null && typeof parent === "object")
    delete (parent as Record<string | number, unknown>)[path[path.length - 1]];
}

function issueToProblems(file: SourceFile, issue: z.core.$ZodIssue): ConfigProblem[] {
  const path = issue.path as KeyPath;
  const value = valueAt(file.data, path);
  const base = { file: file.path, path: dotted(path) };
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeysAt(path);
      return issue.keys.map((key) => {
        const suggestion = didYouMean(key, known);
        return {
          ...base,
          ...file.locate([...path, key], "key"),
          path: dotted([...path, key]),
          message: "unknown key",
          allowed: known.join(", "),
          fix: suggestion ? `did you mean \`${suggestion}\`?` : "remove it or check its indentation",
        };
      });
    }
    case "invalid_value":
      return [
        {
          ...base,
          ...file.locate(path),
          message: "value not allowed",
          got: describeValue(value),
          allowed: issue.values.map(String).join(", "),
          fix: nearestFix(value, issue.values.map(String)),
        },
      ];
    case "invalid_format": {
      const pattern = "pattern" in issue ? String(issue.pattern) : "";
      const known = PATTERN_HINTS.find(([re]) => String(re) === pattern);
      return [
        {
          ...base,
          ...file.locate(path),
          message: "wrong format",
          got: describeValue(value),
          allowed: known?.[1] ?? `match ${pattern || issue.format}`,
          fix: known?.[2] ?? formatFix(value, path, known?.[0]),
        },
      ];
    }
    case "invalid_type":
      return [
        {
          ...base,
          ...file.locate(path),
          message: value === undefined ? "missing value" : `wrong type: expected ${issue.expected}`,
          got: describeValue(value),
          allowed: issue.expected,
          fix: issue.expected === "string" && typeof value === "number" ? "quote the value" : undefined,
        },
      ];
    case "invalid_union": {
      // Zod reports an unknown discriminator with the allowed tags in `options` (not in its typings).
      const options = (issue as { options?: unknown }).options;
      if ("discriminator" in issue && Array.isArray(options)) {
        return [
          {
            ...base,
            ...file.locate(path),
            message: "value not allowed",
            got: describeValue(value),
            allowed: options.map(String).join(", "),
          },
        ];
      }
      // Report the branch the user evidently meant (the one that got past the type check).
      const meant = issue.errors
        .filter((branch) => !branch.every((i) => i.code === "invalid_type" && i.path.length === 0))
        .sort((a, b) => a.length - b.length)[0];
      if (meant) {
        return meant.flatMap((i) =>
          issueToProblems(file, { ...i, path: [...path, ...i.path] } as z.core.$ZodIssue),
        );
      }
      if (isCertificateRevision(path)) {
        return [
          {
            ...base,
            ...file.locate(path),
            message: "not a certificate revision",
            got: describeValue(value),
            allowed:
              "a whole number from 0 to 99, or per host { tagging: <n>, preview: <n> } (certificate-manager)",
          },
        ];
      }
      return [
        {
          ...base,
          ...file.locate(path),
          message: isEventEntry(path) ? "not a valid event mapping" : "not a valid value source",
          got: describeValue(value),
          allowed: isEventEntry(path)
            ? "a TikTok event name, {}, or { event, value, currency, ... }"
            : VALUE_SOURCE_HINT,
        },
      ];
    }
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? `>= ${issue.minimum}` : `<= ${issue.maximum}`;
      const isText = issue.origin === "string";
      return [
        {
          ...base,
          ...file.locate(path),
          message: isText
            ? issue.code === "too_big"
              ? "too long"
              : Number(issue.minimum) <= 1
                ? "must not be empty"
                : "too short"
            : "out of range",
          got: describeValue(value),
          allowed: isText ? `length ${bound}` : bound,
        },
      ];
    }
    case "invalid_key":
      return [
        {
          ...base,
          ...file.locate(path, "key"),
          message: "invalid key",
          allowed: "letters, digits and underscores",
        },
      ];
    default:
      return [{ ...base, ...file.locate(path), message: issue.message, got: describeValue(value) }];
  }
}

/**
 * A fix for a value of the wrong format, suggested only when what it suggests is itself valid
 * (`Shop_Sgtm_Stg` in lowercase is still not a project id; with hyphens it is).
 */
function formatFix(value: unknown, path: KeyPath, pattern: RegExp | undefined): string | undefined {
  if (typeof value !== "string" || looksSecret(value)) return undefined;
  const key = path[path.length - 1];
  if (path[0] === "gtm" && (key === "containerId" || key === "accountId")) {
    // People copy the public id (GTM-XXXX) shown next to the container's name; the API wants the number.
    return key === "containerId"
      ? "use the numeric container id from the GTM URL (.../containers/<id>), not the public id GTM-XXXX"
      : "use the numeric account id from the GTM URL (.../accounts/<id>/...)";
  }
  const valid = (candidate: string) => candidate !== value && (!pattern || pattern.test(candidate));
  const bare = value.replace(/^[a-z]+:\/\//i, "").replace(/[/?#].*$/, "");
  if (path[0] === "domain" && bare !== value) {
    return valid(bare.toLowerCase())
      ? `write the bare hostname, without scheme or path: ${bare.toLowerCase()}`
      : "write the bare hostname, without scheme or path";
  }
  const lower = value.toLowerCase();
  if (value !== lower && valid(lower)) return `write it in lowercase: ${lower}`;
  const hyphenated = lower.replace(/[\s_.]+/g, "-");
  if (hyphenated !== lower && valid(hyphenated)) return `write it in lowercase with hyphens: ${hyphenated}`;
  if (!/^(user|serviceAccount|group)/.test(value) && value.includes("@")) {
    const member = `serviceAccount:${value}`;
    if (valid(member)) return `prefix the member type, e.g. ${member}`;
  }
  return undefined;
}

function nearestFix(value: unknown, allowed: readonly string[]): string | undefined {
  if (typeof value !== "string") return undefined;
  const suggestion = didYouMean(value, allowed);
  return suggestion ? `did you mean \`${suggestion}\`?` : undefined;
}

function isCertificateRevision(path: KeyPath): boolean {
  return (
    path.length === 2 &&
    path[0] === "domain" &&
    (path[1] === "certificateRevision" || path[1] === "nextCertificateRevision")
  );
}

function isEventEntry(path: KeyPath): boolean {
  return path.length === 3 && path[0] === "tiktok" && path[1] === "events";
}

export function dotted(path: KeyPath): string {
  return path.map(String).join(".");
}

export function valueAt(data: unknown, path: KeyPath): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** Keys the schema allows at `path` (for did-you-mean), found by walking the zod schema. */
export function knownKeysAt(path: KeyPath): string[] {
  const object = objectSchemaAt(ConfigFileSchema, path);
  return object ? Object.keys(object.shape).filter((k) => k !== "$schema") : [];
}

function objectSchemaAt(schema: ZodType, path: KeyPath): z.ZodObject | undefined {
  const unwrapped = unwrap(schema);
  if (path.length === 0) {
    if (unwrapped instanceof z.ZodObject) return unwrapped;
    if (unwrapped instanceof z.ZodUnion) {
      for (const option of unwrapped.options as ZodType[]) {
        const found = objectSchemaAt(option, path);
        if (found) return found;
      }
    }
    return undefined;
  }
  const [head, ...rest] = path;
  if (unwrapped instanceof z.ZodObject) {
    const child = unwrapped.shape[String(head)] as ZodType | undefined;
    return child ? objectSchemaAt(child, rest) : undefined;
  }
  if (unwrapped instanceof z.ZodRecord) return objectSchemaAt(unwrapped.valueType as ZodType, rest);
  if (unwrapped instanceof z.ZodUnion) {
    for (const option of unwrapped.options as ZodType[]) {
      const found = objectSchemaAt(option, path);
      if (found) return found;
    }
  }
  return undefined;
}

function unwrap(schema: ZodType): ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
    current = current.unwrap() as ZodType;
  }
  return current;
}
