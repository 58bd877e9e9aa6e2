import { previewHost } from "../../../src/config/rules/preview-host";
import { context } from "./context";

describe("previewHost", () => {
  it("passes with the default preview host or another one", () => {
    expect(previewHost(context())).toEqual([]);
    expect(previewHost(context({ domain: { preview: "p.shop.com" } }))).toEqual([]);
  });

  it("fails when the preview host is the tagging host", () => {
    expect(previewHost(context({ domain: { preview: "sgtm.shop.com" } }))).toEqual([
      {
        path: ["domain", "preview"],
        message:
          "the preview host must differ from the tagging host (a host rule routes each to its own service)",
        got: '"sgtm.shop.com"',
        allowed: "another host, e.g. preview.sgtm.shop.com",
        fix: "remove domain.preview to use the default",
      },
    ]);
  });
});
