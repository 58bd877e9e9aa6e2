import { hostsOf } from "../effective";
import { describeValue } from "../errors";
import type { ConfigRule } from "./rule";

/** The preview host (default `preview.<tagging>`) differs from the tagging host: a host rule routes each. */
export const previewHost: ConfigRule = ({ merged }) => {
  const { tagging, preview } = hostsOf(merged);
  if (preview !== tagging) return [];
  return [
    {
      path: ["domain", "preview"],
      message:
        "the preview host must differ from the tagging host (a host rule routes each to its own service)",
      got: describeValue(preview),
      allowed: `another host, e.g. preview.${tagging}`,
      fix: "remove domain.preview to use the default",
    },
  ];
};
