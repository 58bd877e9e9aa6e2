import { certificateSwitch } from "../../../src/config/rules/certificate-switch";
import { context } from "./context";

describe("certificateSwitch", () => {
  it("passes without a switch, and with a switch to certificate-manager", () => {
    expect(certificateSwitch(context())).toEqual([]);
    expect(
      certificateSwitch(
        context({ domain: { certificates: "certificate-manager", certificateSwitch: "prepare" } }),
      ),
    ).toEqual([]);
  });

  it("fails when the switch is set without certificate-manager", () => {
    expect(certificateSwitch(context({ domain: { certificateSwitch: "attach" } }))).toEqual([
      {
        path: ["domain", "certificateSwitch"],
        message:
          "certificateSwitch moves an environment to Certificate Manager, but certificates is not certificate-manager",
        got: '"attach"',
        allowed: "certificateSwitch together with `certificates: certificate-manager`",
        fix: "set domain.certificates: certificate-manager, or remove domain.certificateSwitch",
      },
    ]);
  });
});
