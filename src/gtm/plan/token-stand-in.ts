/**
 * The access token in comparisons: its constant's value is replaced by a comparable stand-in that is
 * never displayed: the hash of each side when the token's hash is known, the same "not compared" text
 * on both sides otherwise (so no update is planned).
 */
import type { Parameter } from "../core/api";
import type { OwnedKind } from "../core/kinds";
import type { JsonObject } from "../core/normalize";
import { isSensitiveValue, sha256 } from "../core/sensitive";

/** Prefix of comparable (never displayed) values that stand for the token. */
export const SENSITIVE_COMPARABLE = "\u0000sensitive:";

/** The token variable with its `value` parameter replaced by `standIn(value)`; any other entity as is. */
export function withTokenValue(
  kind: OwnedKind,
  entity: object,
  tokenVariable: string,
  standIn: (value: Parameter["value"]) => string,
): object {
  const named = entity as { name?: string | null; parameter?: readonly Parameter[] | null };
  if (kind !== "variable" || named.name !== tokenVariable) return entity;
  return {
    ...named,
    parameter: (named.parameter ?? []).map((p) =>
      p.key === "value" ? { ...p, value: standIn(p.value) } : p,
    ),
  };
}

export type TokenComparison = (kind: OwnedKind, entity: object, side: "actual" | "desired") => object;

export function tokenComparator(tokenVariable: string, tokenHash: string | undefined): TokenComparison {
  return (kind, entity, side) =>
    withTokenValue(kind, entity, tokenVariable, (value: unknown): string => {
      if (tokenHash === undefined) return `${SENSITIVE_COMPARABLE}not-compared`;
      if (side === "desired" || isSensitiveValue(value)) return `${SENSITIVE_COMPARABLE}${tokenHash}`;
      return `${SENSITIVE_COMPARABLE}${sha256(typeof value === "string" ? value : "")}`;
    });
}

export function tokenChanged(before: JsonObject, after: JsonObject): boolean {
  const value = (e: JsonObject) =>
    ((e.parameter ?? []) as readonly JsonObject[]).find((p) => p.key === "value")?.value ?? null;
  return value(before) !== value(after);
}

/** The token constant with its value as a hash: what the plan's basis digests instead of the value. */
export function hashTokenValue(kind: OwnedKind, entity: object, tokenVariableName: string): object {
  return withTokenValue(
    kind,
    entity,
    tokenVariableName,
    (value) => `${SENSITIVE_COMPARABLE}${sha256(value ?? "")}`,
  );
}
