import { namePattern } from "../../../src/config/rules/name-pattern";
import { context } from "./context";

const allowed = "lowercase letters, digits and single hyphens, starting with a letter";

describe("namePattern", () => {
  it("passes with lowercase hyphenated names", () => {
    expect(namePattern(context({}, "big-shop2", "eu-staging"))).toEqual([]);
  });

  it("fails on each unusable name, for the environment as a whole", () => {
    expect(namePattern(context({}, "Shop", "staging--1"))).toEqual([
      {
        path: [],
        message: "the client folder name is not usable in resource names",
        got: '"Shop"',
        allowed,
        fix: "rename the client folder",
      },
      {
        path: [],
        message: "the environment file name is not usable in resource names",
        got: '"staging--1"',
        allowed,
        fix: "rename the environment file",
      },
    ]);
  });
});
