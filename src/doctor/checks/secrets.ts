/**
 * Both secrets hold a value (an enabled version), and the runtime service account may read the
 * container config (docs/facts/sgtm-on-cloud-run.md#secrets-and-identities). Values are never read here;
 * only the TikTok check reads the token, to send its test event.
 */
import { addSecretVersionCommand, readSecretCommand } from "../../naming/secret-commands";
import { runtimeServiceAccountEmail } from "../../naming/stack-resources";
import { containerConfigVariable, TIKTOK_ACCESS_TOKEN_VARIABLE } from "../../naming/variables";
import { type Check, type DoctorContext, fail, pass } from "../context";
import { googleFailure } from "../errors";
import type { CheckOutcome } from "../types";

export const SECRET_ACCESSOR_ROLE = "roles/secretmanager.secretAccessor";

/** Where each value comes from, for the fix. */
export const WHERE_CONTAINER_CONFIG =
  "Tag Manager > your server container > Admin > Container Settings > Container Config";
export const WHERE_TIKTOK_TOKEN = "TikTok Events Manager > your pixel > Settings > Generate Access Token";

interface SecretRole {
  readonly name: string;
  readonly label: string;
  readonly secretId: (ctx: DoctorContext) => string;
  readonly variable: (ctx: DoctorContext) => string;
  readonly where: string;
}

const SECRETS: readonly SecretRole[] = [
  {
    name: "secret-container-config",
    label: "container config",
    secretId: (ctx) => ctx.env.secrets.containerConfig,
    variable: (ctx) => containerConfigVariable(ctx.env.stackName),
    where: WHERE_CONTAINER_CONFIG,
  },
  {
    name: "secret-tiktok-token",
    label: "TikTok access token",
    secretId: (ctx) => ctx.env.secrets.tiktokAccessToken,
    variable: () => TIKTOK_ACCESS_TOKEN_VARIABLE,
    where: WHERE_TIKTOK_TOKEN,
  },
];

/** The secret's failure when Secret Manager did not answer with what the check needs. */
export function secretFailure(
  error: unknown,
  ctx: DoctorContext,
  secretId: string,
  needs: string,
): CheckOutcome {
  const { project } = ctx.env.gcp;
  return googleFailure(error, {
    what: `secret ${secretId} (project ${project})`,
    notFound: {
      detail: `secret ${secretId} does not exist in project ${project}`,
      fix: `deploy the stack (npx cdktf deploy ${ctx.env.stackName}): it creates the secret, without a value`,
    },
    permission: `the identity running doctor needs ${needs} on project ${project}`,
  });
}

/** The commands that add a version, the value read without echo (as `sgtm secrets` prints them). */
export function addVersionFix(ctx: DoctorContext, role: SecretRole): string {
  const variable = role.variable(ctx);
  return [
    `copy the value from ${role.where}, then (paste it, Enter; nothing is echoed):`,
    `  ${readSecretCommand(variable)} && ${addSecretVersionCommand(role.secretId(ctx), ctx.env.gcp.project, variable)}`,
  ].join("\n");
}

function secretCheck(role: SecretRole): Check {
  return {
    name: role.name,
    doc: {
      passesWhen: "the secret has an enabled version",
      usualFix: "the `read -rs ... | gcloud secrets versions add` commands",
    },
    async run(ctx) {
      const secretId = role.secretId(ctx);
      try {
        if (await ctx.deps.secrets.hasEnabledVersion(ctx.env.gcp.project, secretId)) {
          return pass(`secret ${secretId} (${role.label}) has an enabled version`);
        }
      } catch (error) {
        return secretFailure(error, ctx, secretId, "roles/secretmanager.viewer");
      }
      return fail(`secret ${secretId} (${role.label}) has no enabled version`, addVersionFix(ctx, role));
    },
  };
}

const runtimeAccess: Check = {
  name: "runtime-account-access",
  doc: {
    passesWhen:
      "the runtime service account has `roles/secretmanager.secretAccessor` on the container-config secret",
    usualFix: "deploy, or the `gcloud secrets add-iam-policy-binding` command",
  },
  async run(ctx) {
    const { project } = ctx.env.gcp;
    const secretId = ctx.env.secrets.containerConfig;
    const member = `serviceAccount:${runtimeServiceAccountEmail(ctx.env.stackName, project)}`;
    let members: string[];
    try {
      members = await ctx.deps.secrets.membersWithRole(project, secretId, SECRET_ACCESSOR_ROLE);
    } catch (error) {
      return secretFailure(
        error,
        ctx,
        secretId,
        "the permission secretmanager.secrets.getIamPolicy (e.g. roles/iam.securityReviewer)",
      );
    }
    if (members.includes(member)) {
      return pass(`${member} has ${SECRET_ACCESSOR_ROLE} on secret ${secretId}`);
    }
    return fail(
      `${member} has no ${SECRET_ACCESSOR_ROLE} on secret ${secretId}: the Cloud Run services cannot read the container config (only the secret's own policy is read)`,
      [
        `deploy the stack (npx cdktf deploy ${ctx.env.stackName}), which grants it, or grant it yourself:`,
        `  gcloud secrets add-iam-policy-binding ${secretId} --project ${project} --member ${member} --role ${SECRET_ACCESSOR_ROLE}`,
      ].join("\n"),
    );
  },
};

export const TOKEN_SECRET = SECRETS[1];

export const SECRET_CHECKS: readonly Check[] = [...SECRETS.map(secretCheck), runtimeAccess];
