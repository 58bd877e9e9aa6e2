import { imageReference } from "../../../src/config/rules/image-reference";
import { context } from "./context";

describe("imageReference", () => {
  it("passes with the default image, a tag or a digest", () => {
    expect(imageReference(context())).toEqual([]);
    expect(
      imageReference(context({ tagging: { image: "gcr.io/cloud-tagging/gtm-cloud-image:3.1" } })),
    ).toEqual([]);
    const digest = `europe-docker.pkg.dev/p/r/sgtm@sha256:${"a".repeat(64)}`;
    expect(imageReference(context({ tagging: { image: digest } }))).toEqual([]);
  });

  it("fails on something that is not an image reference, or has no tag", () => {
    for (const image of ["not an image", "gcr.io/cloud-tagging/gtm-cloud-image"]) {
      expect(imageReference(context({ tagging: { image } }))).toEqual([
        {
          path: ["tagging", "image"],
          message: "not a container image reference",
          got: JSON.stringify(image),
          allowed: "registry/repository:tag or registry/repository@sha256:<64 hex>",
        },
      ]);
    }
  });
});
