/**
 * How the TikTok access token appears where it must not: a marker in desired bodies, one display text in
 * plans, renders and exports, and a SHA-256 wherever two values must be compared without holding them.
 */
import { createHash } from "node:crypto";

/** Where the access token goes; apply substitutes the value read from Secret Manager. */
export interface SensitiveValue {
  readonly sensitive: "tiktokAccessToken";
}
export const ACCESS_TOKEN_MARKER: SensitiveValue = { sensitive: "tiktokAccessToken" };

export function isSensitiveValue(value: unknown): value is SensitiveValue {
  return typeof value === "object" && value !== null && "sensitive" in value;
}

/** How the token shows everywhere: plans, renders, JSON, exports. */
export const SENSITIVE_TEXT = "(sensitive)";
export const SENSITIVE_NOT_COMPARED_TEXT = "(sensitive, not compared)";

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
