import { Construct, type ITerraformDependable, TerraformData } from "./cdktf";

export interface ContainerConfigBootstrapProps {
  /** `<client>-<env>`, passed to `sgtm bootstrap --env`. */
  readonly stackName: string;
  /** The container-config secret's resource ID: a new secret (new ID) runs the bootstrap again. */
  readonly secretResourceId: string;
  /**
   * Where the command runs, relative to Terraform's working directory (`cdktf.out/stacks/<stack>`):
   * the project root, so `npx sgtm` and the config folder resolve.
   */
  readonly workingDir: string;
  /** `--config-dir` for the command. Unset: the CLI default, `config`. */
  readonly configDir?: string;
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * Makes sure the container-config secret has a version before the Cloud Run services are created: a
 * service whose env references `latest` of a secret without versions fails to deploy
 * (docs/facts/sgtm-on-cloud-run.md#secrets-and-identities). A `terraform_data` (Terraform >= 1.4, no
 * provider) runs `sgtm bootstrap` once per secret. The command reads the value itself (from the
 * deployer's environment or an existing version), so it never enters Terraform state or synth output.
 */
export class ContainerConfigBootstrap extends Construct {
  readonly step: TerraformData;

  constructor(scope: Construct, id: string, props: ContainerConfigBootstrapProps) {
    super(scope, id);
    const configDir = props.configDir === undefined ? "" : ` --config-dir ${shellQuote(props.configDir)}`;
    this.step = new TerraformData(this, "bootstrap", {
      triggersReplace: { secret: props.secretResourceId },
      provisioners: [
        {
          type: "local-exec",
          command: `npx sgtm${configDir} bootstrap --env ${props.stackName}`,
          workingDir: props.workingDir,
        },
      ],
      dependsOn: [...props.dependsOn],
    });
  }
}

function shellQuote(value: string): string {
  return /^[\w./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}
