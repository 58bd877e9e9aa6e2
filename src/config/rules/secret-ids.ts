import { checkGcpName } from "../../naming/gcp";
import { secretIdsOf } from "../effective";
import { describeValue } from "../errors";
import type { ConfigRule } from "./rule";

/** Secret ids (set or defaulted) are valid Secret Manager ids, checked with the naming module's table. */
export const secretIds: ConfigRule = ({ merged, stackName }) =>
  Object.entries(secretIdsOf(merged, stackName)).flatMap(([key, id]) => {
    const problem = checkGcpName("secretId", id);
    return problem
      ? [{ path: ["secrets", key], message: `not a valid secret id: ${problem}`, got: describeValue(id) }]
      : [];
  });
