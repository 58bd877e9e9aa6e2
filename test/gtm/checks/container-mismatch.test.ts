import { containerMismatch } from "../../../src/gtm/plan/checks/container-mismatch";
import { CONTAINER_ID, emptyWorkspace, versionOf } from "../fixtures";
import { checkInput, onlyMessage } from "./input";

describe("containerMismatch", () => {
  it("passes for the environment's container, or when the container read is not known", () => {
    expect(containerMismatch(checkInput())).toEqual([]);
    expect(containerMismatch(checkInput({ containerId: "" }))).toEqual([]);
  });

  it("warns of another container, with its public id from the live version", () => {
    const liveVersion = {
      ...versionOf(emptyWorkspace()),
      container: { containerId: "987", publicId: "GTM-OTHER1" },
    };
    const problems = containerMismatch(checkInput({ containerId: "987", liveVersion }));
    expect(problems).toEqual([
      {
        severity: "warning",
        code: "container-mismatch",
        containerId: "987",
        publicId: "GTM-OTHER1",
        wanted: CONTAINER_ID,
      },
    ]);
    expect(onlyMessage(problems)).toBe(
      `the container read is 987 (GTM-OTHER1), not the environment's container ${CONTAINER_ID} (gtm.containerId): this plan compares the configuration with another container. Export the container ${CONTAINER_ID} (Admin > Export Container), or fix gtm.containerId.`,
    );
  });

  it("warns without a public id when nothing was published", () => {
    const problems = containerMismatch(checkInput({ containerId: "987" }));
    expect(problems).toEqual([
      { severity: "warning", code: "container-mismatch", containerId: "987", wanted: CONTAINER_ID },
    ]);
    expect(onlyMessage(problems)).toContain(`the container read is 987, not the environment's container`);
  });
});
