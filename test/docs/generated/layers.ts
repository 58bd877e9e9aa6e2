/** The architecture document's layer table (docs/architecture.md), from `LAYERS` and `PLACES`. */
import { LAYERS, type Layer, PLACES } from "../../infra/layers";
import { markdownTable } from "./blocks";

/** One row per layer in the table's order: where its modules sit and what it may import. */
export function layersTable(): string {
  const where = (layer: Layer): string =>
    Object.entries(PLACES)
      .filter(([, placed]) => placed === layer)
      .map(([path]) => `\`${path}\``)
      .join(", ");
  const mayImport = (layer: Layer): string => {
    const { imports, types } = LAYERS[layer];
    const parts = [imports.length > 0 ? imports.join(", ") : "nothing"];
    if (types && types.length > 0) parts.push(`types only from ${types.join(", ")}`);
    return parts.join("; ");
  };
  const layers = Object.keys(LAYERS) as Layer[];
  return markdownTable(
    ["layer", "where", "may import"],
    layers.map((layer) => [layer, where(layer), mayImport(layer)]),
  );
}
