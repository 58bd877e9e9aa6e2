import { secretIds } from "../../../src/config/rules/secret-ids";
import { context } from "./context";

describe("secretIds", () => {
  it("passes with the default ids and with valid ones", () => {
    expect(secretIds(context())).toEqual([]);
    expect(secretIds(context({ secrets: { tiktokAccessToken: "shop_tiktok-1" } }))).toEqual([]);
  });

  it("fails on characters Secret Manager does not allow", () => {
    expect(secretIds(context({ secrets: { containerConfig: "bad id!" } }))).toEqual([
      {
        path: ["secrets", "containerConfig"],
        message: "not a valid secret id: allowed: letters, digits, underscores and hyphens",
        got: '"bad id!"',
      },
    ]);
  });

  it("fails on an id longer than 255 characters", () => {
    const id = "s".repeat(256);
    expect(secretIds(context({ secrets: { tiktokAccessToken: id } }))).toEqual([
      {
        path: ["secrets", "tiktokAccessToken"],
        message: "not a valid secret id: must be 1-255 characters (got 256)",
        got: '"ssssssssssss…(256 chars)"',
      },
    ]);
  });
});
