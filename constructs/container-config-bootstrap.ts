import { Construct, type ITerraformDependable, TerraformData } from "./cdktf";
import { type ProjectCliProps, projectCliProvisioner } from "./project-cli";

export interface ContainerConfigBootstrapProps {
  /** `<client>-<env>`, passed to `sgtm bootstrap --env`. */
  readonly stackName: string;
  /** The container-config secret's resource ID: a new secret (new ID) runs the bootstrap again. */
  readonly secretResourceId: string;
  /** `https://<domain.tagging>`: bootstrap adds it to the container's server URLs, so a new domain runs it again. */
  readonly taggingUrl: string;
  /** Where and how the project's CLI runs (never `npx sgtm`: see project-cli.ts). */
  readonly cli: ProjectCliProps;
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * Makes sure the container-config secret has a version before the Cloud Run services are created: a
 * service whose env references a version that does not exist fails to deploy
 * (docs/facts/sgtm-on-cloud-run.md#secrets-and-identities), and the version the services pin is read
 * after this step (see TaggingServer). A `terraform_data` (Terraform >= 1.4, no provider) runs
 * `sgtm bootstrap` once per secret and tagging domain: it reads the container config through the Tag
 * Manager API (or the deployer's environment), sets the container's tagging server URL and adds a first
 * token, so no value enters Terraform state or synth output.
 */
export class ContainerConfigBootstrap extends Construct {
  readonly step: TerraformData;

  constructor(scope: Construct, id: string, props: ContainerConfigBootstrapProps) {
    super(scope, id);
    this.step = new TerraformData(this, "bootstrap", {
      triggersReplace: { secret: props.secretResourceId, taggingUrl: props.taggingUrl },
      provisioners: [projectCliProvisioner(props.cli, ["bootstrap", "--env", props.stackName])],
      dependsOn: [...props.dependsOn],
    });
  }
}
