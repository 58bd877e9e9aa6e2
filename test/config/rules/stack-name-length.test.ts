import { STACK_NAME_MAX, stackNameLength } from "../../../src/config/rules/stack-name-length";
import { context } from "./context";

describe("stackNameLength", () => {
  const client = "shop";
  const envOfLength = (length: number) => "e".repeat(length - client.length - 1);

  it(`passes with <client>-<env> of ${STACK_NAME_MAX} characters`, () => {
    expect(stackNameLength(context({}, client, envOfLength(STACK_NAME_MAX)))).toEqual([]);
  });

  it("fails one character longer", () => {
    const ctx = context({}, client, envOfLength(STACK_NAME_MAX + 1));
    expect(stackNameLength(ctx)).toEqual([
      {
        path: [],
        message: "<client>-<env> is too long for readable GCP resource names",
        got: `${ctx.stackName} (41 chars)`,
        allowed: "at most 40 characters",
        fix: "use a shorter client folder or environment file name",
      },
    ]);
  });
});
