/**
 * The throwaway environment synthesizes as the run's `cdktf synth` makes it: the deploy's CLI steps read
 * the run's own config root, the local state stays in the run's folder, and the retired synth has no
 * GTM step left to run.
 */

import { projectRootFromStackDir } from "../../constructs/project-cli";
import { runLayout } from "../../src/acceptance/inputs";
import { synth } from "../infra/helpers";
import { environmentOf, testInputs } from "./helpers";

const inputs = testInputs();
const layout = runLayout(inputs.name);
const options = {
  configDir: layout.configDir,
  projectRoot: projectRootFromStackDir(layout.synthDir, layout.stack, "."),
};

/** The `local-exec` commands of the stack's CLI steps (bootstrap, the GTM step). */
function cliCommands(json: ReturnType<typeof synth>["json"]): string[] {
  return Object.values(
    (json.resource?.terraform_data ?? {}) as Record<
      string,
      { provisioner?: Record<string, { command: string; working_dir: string }>[] }
    >,
  )
    .flatMap((data) => data.provisioner ?? [])
    .map((p) => `${p["local-exec"].working_dir}: ${p["local-exec"].command}`)
    .sort();
}

describe("the acceptance environment's stack", () => {
  it("runs the kit's CLI steps on the run's config root, from the project root, and keeps its state in the run's folder", () => {
    const s = synth(environmentOf(inputs), options);
    expect(options.projectRoot).toBe("../../../../..");
    expect(cliCommands(s.json)).toEqual([
      `../../../../..: node bin/sgtm.js --config-dir .sgtm-acceptance/t1/config bootstrap --env acceptance-t1`,
      `../../../../..: node bin/sgtm.js --config-dir .sgtm-acceptance/t1/config gtm apply --env acceptance-t1 --yes`,
    ]);
    expect(s.json.terraform.backend).toEqual({
      local: { path: "../../../../../.sgtm-acceptance/t1/terraform.tfstate" },
    });
    expect(s.output("dns_records").value).toHaveLength(2);
  });

  it("retired, keeps everything to destroy, and its GTM step removes the kit's entities", () => {
    const retired = synth({ ...environmentOf(inputs), retired: true }, options);
    // A retired environment's desired container is empty: its apply removes what the kit made (#16).
    expect(cliCommands(retired.json)).toEqual([
      `../../../../..: node bin/sgtm.js --config-dir .sgtm-acceptance/t1/config bootstrap --env acceptance-t1`,
      `../../../../..: node bin/sgtm.js --config-dir .sgtm-acceptance/t1/config gtm apply --env acceptance-t1 --yes`,
    ]);
    expect(Object.keys(retired.of("google_cloud_run_v2_service"))).toHaveLength(2);
  });
});
