import { instanceRange } from "../../../src/config/rules/instance-range";
import { context, production } from "./context";

const finding = (key: string, got: string) => ({
  path: ["tagging", key],
  message: "minInstances is greater than maxInstances",
  got,
  allowed: "minInstances <= maxInstances",
  fix: "lower tagging.minInstances or raise tagging.maxInstances",
});

describe("instanceRange", () => {
  it("passes with the defaults and with min equal to max", () => {
    expect(instanceRange(context())).toEqual([]);
    expect(instanceRange(context({ tagging: { minInstances: 3, maxInstances: 3 } }))).toEqual([]);
  });

  it("fails when min is above max, at minInstances when it is set", () => {
    expect(instanceRange(context({ tagging: { minInstances: 4, maxInstances: 2 } }))).toEqual([
      finding("minInstances", "min 4 > max 2"),
    ]);
  });

  it("fails at maxInstances when min is the tier default (production: 2)", () => {
    expect(instanceRange(context({ ...production(), tagging: { maxInstances: 1 } }))).toEqual([
      finding("maxInstances", "min 2 > max 1"),
    ]);
  });
});
