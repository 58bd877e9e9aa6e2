/**
 * What a desired tag's parameter reads, traced back through the kit's own variables: event data (an
 * `ed` variable's key path), a constant, a variable of the container the kit does not own, or a literal.
 * Plan checks use it to judge values by their source (docs/facts/tiktok-events-api.md#hashing).
 */
import type { DesiredContainer, DesiredParameter } from "./types";

export type ParameterSource =
  | { readonly kind: "eventData"; readonly keyPath: string }
  | { readonly kind: "constant"; readonly value: string }
  | { readonly kind: "variable"; readonly name: string }
  | { readonly kind: "literal"; readonly value: string };

/** Every tag setting top-level parameter `key`, with what the value reads, in tag order. */
export function tagParameterSources(
  desired: DesiredContainer,
  key: string,
): { readonly tag: string; readonly source: ParameterSource }[] {
  const variables = new Map(desired.variables.map((v) => [v.name, v] as const));
  const textOf = (parameters: readonly DesiredParameter[], k: string) => {
    const value = parameters.find((p) => p.key === k)?.value;
    return typeof value === "string" ? value : undefined;
  };
  return desired.tags.flatMap((tag) => {
    const value = textOf(tag.parameter, key);
    if (value === undefined) return [];
    const name = /^\{\{([^{}]+)\}\}$/.exec(value)?.[1];
    const variable = name === undefined ? undefined : variables.get(name);
    let source: ParameterSource;
    if (name === undefined) source = { kind: "literal", value };
    else if (variable?.type === "ed")
      source = { kind: "eventData", keyPath: textOf(variable.parameter, "keyPath") ?? "" };
    else if (variable?.type === "c")
      source = { kind: "constant", value: textOf(variable.parameter, "value") ?? "" };
    else source = { kind: "variable", name };
    return [{ tag: tag.name, source }];
  });
}

/** How a plan names a source: `event data user_id`, `constant "+49..."`, `variable {{Phone}}`. */
export function sourceText(source: ParameterSource): string {
  switch (source.kind) {
    case "eventData":
      return `event data ${source.keyPath}`;
    case "constant":
    case "literal":
      return `constant "${source.value}"`;
    case "variable":
      return `variable {{${source.name}}}`;
  }
}
