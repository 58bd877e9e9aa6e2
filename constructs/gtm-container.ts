import { Construct, type ITerraformDependable, TerraformData } from "./cdktf";
import { type ProjectCliProps, projectCliProvisioner } from "./project-cli";

/** Terraform's `timestamp()`: a value new at every plan, so the step is replaced (and runs) on every deploy. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform interpolation, not a JavaScript template
export const EVERY_DEPLOY = "${timestamp()}";

/** The desired GTM model as the stack carries it (see `summarizeModel` in src/gtm/model/summary.ts). */
export interface GtmModelProps {
  /** Digest of the whole model: the step runs again when it changes. */
  readonly digest: string;
}

export interface GtmContainerProps {
  /** `<client>-<env>`, passed to `sgtm gtm apply --env`. */
  readonly stackName: string;
  /** Written into the stack as the step's `input`: a change to the event map shows in the synth diff. */
  readonly model: GtmModelProps;
  /** Where and how the project's CLI runs. */
  readonly cli: ProjectCliProps;
  /** What must exist first: the Tag Manager API, the token secret, the tagging server. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * The environment's GTM container, converged by the kit's reconciler during `cdktf deploy`: a
 * `terraform_data` whose `local-exec` runs `sgtm gtm apply --env <stack> --yes` (publishing per the
 * environment's `gtm.publish`). A refusal or API error fails the step, and with it the deploy, with
 * the reconciler's message; apply writes nothing before its checks pass (docs/adr/0006).
 *
 * It runs on every deploy of the stack (`timestamp()` in its triggers), so a hand edit of a kit tag is
 * repaired by the next deploy; when nothing changed that costs 3 read calls. The model's digest in the
 * triggers makes a model change visible in the synthesized stack and in `cdktf diff`.
 */
export class GtmContainer extends Construct {
  readonly step: TerraformData;

  constructor(scope: Construct, id: string, props: GtmContainerProps) {
    super(scope, id);
    this.step = new TerraformData(this, "apply", {
      input: { ...props.model },
      triggersReplace: { model: props.model.digest, everyDeploy: EVERY_DEPLOY },
      provisioners: [projectCliProvisioner(props.cli, ["gtm", "apply", "--env", props.stackName, "--yes"])],
      dependsOn: [...props.dependsOn],
    });
  }
}
