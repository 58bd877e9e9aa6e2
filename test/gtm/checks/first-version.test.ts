import { firstVersion } from "../../../src/gtm/plan/checks/first-version";
import { checkInput, onlyMessage } from "./input";

describe("firstVersion", () => {
  it("passes for a container that has a version (or when unknown)", () => {
    expect(firstVersion(checkInput({ versioned: true }))).toEqual([]);
    expect(firstVersion(checkInput({}))).toEqual([]);
  });

  it("warns that the first version publishes GTM's default GA4 client too", () => {
    const problems = firstVersion(checkInput({ versioned: false }));
    expect(problems).toEqual([{ severity: "warning", code: "first-version", clients: ["GA4"] }]);
    expect(onlyMessage(problems)).toContain("never been versioned");
  });
});
