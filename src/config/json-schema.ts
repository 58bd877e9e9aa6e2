/** JSON Schema for editors, generated from the zod schema (committed as config/schema.json). */
import { z } from "zod";
import { ConfigFileSchema } from "./schema";

export function configJsonSchema(): string {
  const schema = z.toJSONSchema(ConfigFileSchema, { target: "draft-7", io: "input" });
  return `${JSON.stringify({ ...schema, title: "sgtm-tiktok-kit config file" }, null, 2)}\n`;
}
