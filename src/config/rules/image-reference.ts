import { imageOf } from "../effective";
import { describeValue } from "../errors";
import type { ConfigRule } from "./rule";

const IMAGE_REFERENCE = /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[\w.-]+|@sha256:[a-f0-9]{64})$/;

/** tagging.image (set or the pinned default) names a registry, a repository and a tag or digest. */
export const imageReference: ConfigRule = ({ merged }) => {
  const image = imageOf(merged);
  if (IMAGE_REFERENCE.test(image)) return [];
  return [
    {
      path: ["tagging", "image"],
      message: "not a container image reference",
      got: describeValue(image),
      allowed: "registry/repository:tag or registry/repository@sha256:<64 hex>",
    },
  ];
};
