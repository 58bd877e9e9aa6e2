import { addSecretVersionCommand, readSecretCommand } from "../src/naming/secret-commands";
import { containerConfigVariable, TIKTOK_ACCESS_TOKEN_VARIABLE } from "../src/naming/variables";
import {
  Construct,
  type ITerraformDependable,
  SecretManagerSecret,
  SecretManagerSecretIamMember,
  TerraformOutput,
} from "./cdktf";

export interface SecretsProps {
  readonly project: string;
  /**
   * The environment (`<client>-<env>`): the name `sgtm bootstrap --env` derives the container config's
   * variable from, so the `secret_commands` output exports the variable bootstrap reads.
   */
  readonly stackName: string;
  readonly tiktokAccessTokenSecretId: string;
  readonly containerConfigSecretId: string;
  /**
   * Principals (`user:`, `serviceAccount:`, `group:`) that read the TikTok token at deploy time, when
   * the GTM tag is written. They get `roles/secretmanager.secretAccessor` on that one secret. Empty: nobody
   * but project owners can read it.
   */
  readonly tokenReaders: readonly string[];
  /** Whether Terraform refuses to destroy the secrets (and with them every version of the values). */
  readonly deletionProtection: boolean;
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * The two secrets of an environment, without values: versions are added out of band (see the
 * `secret_commands` output), so no value is ever in code, config, Terraform state or synth output.
 * The runtime service account's access to the container config is granted by the tagging server,
 * which is the entity that needs it.
 */
export class Secrets extends Construct {
  readonly tiktokAccessToken: SecretManagerSecret;
  readonly containerConfig: SecretManagerSecret;

  constructor(scope: Construct, id: string, props: SecretsProps) {
    super(scope, id);
    const secret = (secretId: string, constructId: string) =>
      new SecretManagerSecret(this, constructId, {
        project: props.project,
        secretId,
        replication: { auto: {} },
        deletionProtection: props.deletionProtection,
        dependsOn: [...props.dependsOn],
      });
    this.tiktokAccessToken = secret(props.tiktokAccessTokenSecretId, "tiktok-access-token");
    this.containerConfig = secret(props.containerConfigSecretId, "container-config");

    for (const member of [...new Set(props.tokenReaders)].sort()) {
      // The member is part of the ID so adding or removing a reader never re-creates the others.
      new SecretManagerSecretIamMember(this, `token-reader-${member}`, {
        project: props.project,
        secretId: this.tiktokAccessToken.id,
        role: "roles/secretmanager.secretAccessor",
        member,
      });
    }

    const containerConfig = containerConfigVariable(props.stackName);
    const command = (variable: string, secretId: string) =>
      `${readSecretCommand(variable)} && ${addSecretVersionCommand(secretId, props.project, variable)}`;
    new TerraformOutput(this, "secret-commands", {
      description:
        "Run these to add new secret values (paste the value, then Enter: it is not echoed and stays out of shell history), then deploy: the services run a pinned container-config version, and the deploy rolls a revision onto the new one; never put values in config",
      value: [
        command(containerConfig, props.containerConfigSecretId),
        command(TIKTOK_ACCESS_TOKEN_VARIABLE, props.tiktokAccessTokenSecretId),
      ],
    }).overrideLogicalId("secret_commands");
  }
}
