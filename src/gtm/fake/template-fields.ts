/**
 * A `cvt_` tag's parameters checked against its template's field definitions, the way GTM's tag editor
 * reads them: each key a field of the template, the parameter type the field's, a RADIO value one of
 * its options, a SELECT value an option (or a `{{variable}}` where the field accepts macros), table rows
 * with the table's columns, and no value in a field the editor hides (its enabling conditions do not
 * hold). The last check is stricter than the real API is known to be (README: where the fake guesses):
 * a value in a hidden field may be stored, but nobody reviewing the tag in GTM can see it.
 */
import type { Parameter } from "../core/api";
import { type EnablingCondition, flattenFields, type TemplateField } from "./gallery";

const PARAMETER_TYPE: Readonly<Record<TemplateField["type"], string | undefined>> = {
  TEXT: "template",
  SELECT: "template",
  RADIO: "template",
  CHECKBOX: "boolean",
  PARAM_TABLE: "list",
  SIMPLE_TABLE: "list",
  GROUP: undefined,
  LABEL: undefined,
};

const VARIABLE_REFERENCE = /^\{\{[^{}]+\}\}$/;

/** The first problem of `parameters` against `fields`, as the 400's message, or undefined. */
export function templateParameterProblem(
  fields: readonly TemplateField[],
  parameters: readonly Parameter[],
  tagType: string,
): string | undefined {
  const byName = new Map(flattenFields(fields).map((field) => [field.name, field] as const));
  const values = new Map(
    parameters
      .filter((p) => p.key !== undefined)
      .map((p) => [p.key as string, p.value ?? undefined] as const),
  );
  for (const parameter of parameters) {
    const key = parameter.key ?? "";
    const field = byName.get(key);
    if (!field) return `parameter: key "${key}" is not a field of template ${tagType}.`;
    const problem = fieldProblem(field, parameter);
    if (problem) return `parameter "${key}": ${problem}`;
    const hiddenBy = failedCondition(field, byName, values);
    if (hiddenBy) {
      return `parameter "${key}": the template shows this field only when ${conditionText(hiddenBy)} (now ${shownValue(
        hiddenBy.paramName,
        byName,
        values,
      )}), so GTM's tag editor hides its value. Set ${hiddenBy.paramName} or leave ${key} out.`;
    }
  }
  return undefined;
}

function fieldProblem(field: TemplateField, parameter: Parameter): string | undefined {
  const expected = PARAMETER_TYPE[field.type];
  if (parameter.type !== expected) {
    return `a ${field.type} field takes a parameter of type "${expected}", not "${String(parameter.type)}".`;
  }
  const value = parameter.value ?? undefined;
  if (field.type === "RADIO" && value !== undefined) {
    const options = (field.radioItems ?? []).map((item) => item.value);
    if (!options.includes(value)) return `"${value}" is not one of the options ${options.join(", ")}.`;
  }
  if (field.type === "SELECT" && value !== undefined) {
    const options = (field.selectItems ?? []).map((item) => item.value);
    const macro = field.macrosInSelect === true && VARIABLE_REFERENCE.test(value);
    if (!options.includes(value) && !macro) {
      const or = field.macrosInSelect ? " or a {{variable}}" : "";
      return `"${value}" is not one of the options ${options.join(", ")}${or}.`;
    }
  }
  if (field.type === "PARAM_TABLE" || field.type === "SIMPLE_TABLE") {
    const columns = new Set((field.paramTableColumns ?? []).map((column) => column.param.name));
    for (const row of parameter.list ?? []) {
      if (row.type !== "map") return `each row is a parameter of type "map", not "${String(row.type)}".`;
      const unknown = (row.map ?? []).find((cell) => !columns.has(cell.key ?? ""));
      if (unknown) return `"${unknown.key ?? ""}" is not a column (${[...columns].join(", ")}).`;
    }
  }
  return undefined;
}

/** The first enabling condition of `field` that does not hold, or undefined when the field is shown. */
function failedCondition(
  field: TemplateField,
  byName: ReadonlyMap<string, TemplateField>,
  values: ReadonlyMap<string, string | undefined>,
  seen: ReadonlySet<string> = new Set(),
): EnablingCondition | undefined {
  for (const condition of field.enablingConditions ?? []) {
    const value = effectiveValue(condition.paramName, byName, values, new Set([...seen, field.name]));
    const holds =
      condition.type === "EQUALS" ? value === condition.paramValue : value !== condition.paramValue;
    if (!holds) return condition;
  }
  return undefined;
}

/** A field's value as the editor sees it: set, else its default; none while the field is hidden itself. */
function effectiveValue(
  name: string,
  byName: ReadonlyMap<string, TemplateField>,
  values: ReadonlyMap<string, string | undefined>,
  seen: ReadonlySet<string>,
): string | undefined {
  const field = byName.get(name);
  if (!field || seen.has(name)) return undefined;
  if (failedCondition(field, byName, values, seen)) return undefined;
  return values.get(name) ?? field.defaultValue;
}

function shownValue(
  name: string,
  byName: ReadonlyMap<string, TemplateField>,
  values: ReadonlyMap<string, string | undefined>,
): string {
  const value = effectiveValue(name, byName, values, new Set());
  return value === undefined ? "not set" : `"${value}"`;
}

function conditionText(condition: EnablingCondition): string {
  return `${condition.paramName} ${condition.type === "EQUALS" ? "is" : "is not"} "${condition.paramValue}"`;
}
