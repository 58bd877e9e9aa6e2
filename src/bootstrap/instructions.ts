/**
 * Where the secret values come from and the commands that add them (`sgtm secrets`, bootstrap's notes).
 * Values are never printed, logged or passed on a command line: each command reads its value from the
 * terminal into a variable.
 */
import type { EnvironmentConfig } from "../config/model";
import { stackTokenVariable } from "../gtm/client/access-token";
import { TAG_MANAGER_LOGIN_COMMAND } from "../gtm/client/connect";
import { addSecretVersionCommand, readSecretCommand } from "../naming/secret-commands";
import { containerConfigVariable } from "../naming/variables";

export const WHERE_CONTAINER_CONFIG =
  "Tag Manager > your server container > Admin > Container Settings > Container Config " +
  '(the "Manually provision tagging server" value)';
export const WHERE_TIKTOK_TOKEN =
  "TikTok Events Manager > your pixel > Settings > Events API > Generate Access Token";
export const PASTE_HINT = "paste the value, then Enter: nothing is echoed and it stays out of shell history";

/** What `sgtm secrets --env` prints: the first deploy, without Tag Manager access, and later changes. */
export function secretInstructions(env: EnvironmentConfig): string {
  const { project } = env.gcp;
  const { containerConfig, tiktokAccessToken } = env.secrets;
  const configVariable = containerConfigVariable(env.stackName);
  const tokenVariable = stackTokenVariable(env.stackName);
  return [
    `Secret values for ${env.stackName}: never in config files, never on a command line.`,
    `Each \`${readSecretCommand("...")}\` waits for you to ${PASTE_HINT}.`,
    "",
    "# First deploy. Log in with the Tag Manager scopes: the deploy's bootstrap step reads the container",
    `# config of container ${env.gtm.containerId} from GTM into ${containerConfig}.`,
    TAG_MANAGER_LOGIN_COMMAND,
    `# TikTok Events API access token, from ${WHERE_TIKTOK_TOKEN}:`,
    `# bootstrap adds it to ${tiktokAccessToken} (only ${tokenVariable} is read for ${env.stackName}).`,
    `${readSecretCommand(tokenVariable)} && export ${tokenVariable}`,
    `npx cdktf deploy ${env.stackName}`,
    "",
    `# Without Tag Manager access: before the deploy, the container config from ${WHERE_CONTAINER_CONFIG}`,
    `${readSecretCommand(configVariable)} && export ${configVariable}`,
    "",
    "# Later: read the container config from GTM again (a version is added only when it changed)",
    `npx sgtm bootstrap --env ${env.stackName}`,
    "# or add new values by hand (each after its `read` above):",
    addSecretVersionCommand(containerConfig, project, configVariable),
    addSecretVersionCommand(tiktokAccessToken, project, tokenVariable),
    "",
  ].join("\n");
}
