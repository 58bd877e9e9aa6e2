import { containerUnnamed } from "../../../src/gtm/plan/checks/container-unnamed";
import { CONTAINER_ID, emptyWorkspace, versionOf } from "../fixtures";
import { checkInput, onlyMessage } from "./input";

describe("containerUnnamed", () => {
  it("passes when the container read names its id, whichever it is", () => {
    expect(containerUnnamed(checkInput())).toEqual([]);
    expect(containerUnnamed(checkInput({ containerId: "987" }))).toEqual([]);
  });

  it("warns when the container read names no id, with the public id it calls itself", () => {
    const liveVersion = { ...versionOf(emptyWorkspace()), container: { publicId: "GTM-BLANK1" } };
    const problems = containerUnnamed(checkInput({ containerId: "", liveVersion }));
    expect(problems).toEqual([
      { severity: "warning", code: "container-unnamed", publicId: "GTM-BLANK1", wanted: CONTAINER_ID },
    ]);
    expect(onlyMessage(problems)).toBe(
      `the container read names no container id (its accountId and containerId are blank; it calls itself GTM-BLANK1): the plan cannot check that it is the environment's container ${CONTAINER_ID} (gtm.containerId). Export the container ${CONTAINER_ID} again from GTM (Admin > Export Container), which writes its ids.`,
    );
  });
});
