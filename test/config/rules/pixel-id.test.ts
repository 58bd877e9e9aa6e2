import { pixelId } from "../../../src/config/rules/pixel-id";
import { context } from "./context";

const allowed =
  "10-32 uppercase letters and digits, e.g. C4A1B2C3D4E5F6G7H8I9 (Events Manager > pixel settings)";

describe("pixelId", () => {
  it("passes with a pixel code", () => {
    expect(pixelId(context())).toEqual([]);
  });

  it("fails on an empty pixel id", () => {
    expect(pixelId(context({ tiktok: { pixelId: "" } }))).toEqual([
      { path: ["tiktok", "pixelId"], message: "the pixel id is empty", got: '""', allowed },
    ]);
  });

  it("fails on a lower-case id, without echoing a token pasted there", () => {
    expect(pixelId(context({ tiktok: { pixelId: "c4a1b2c3d4" } }))).toEqual([
      { path: ["tiktok", "pixelId"], message: "not a TikTok pixel code", got: '"c4a1b2c3d4"', allowed },
    ]);
    const token = "9f8e7d6c5b4a39281706f5e4d3c2b1a0aa11bb22";
    expect(pixelId(context({ tiktok: { pixelId: token } }))[0].got).toBe("9f8e… (40 chars, not shown)");
  });
});
