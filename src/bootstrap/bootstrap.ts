/**
 * `sgtm bootstrap --env <stack>`: what an environment needs before its Cloud Run services exist, run by
 * the deploy (constructs/container-config-bootstrap.ts) and safe to run again. Three steps, each
 * printing one line of what it did:
 *
 * 1. container config: `SGTM_CONTAINER_CONFIG_<STACK>` when set, else the server container's
 *    `containerConfig` read from the Tag Manager API (docs/facts/gtm-api-v2.md#containers); a version is
 *    added only when it differs from the secret's latest. Without the API, an existing version is kept.
 * 2. taggingServerUrls: `https://<domain.tagging>` joins the container's server container URLs.
 * 3. token: `SGTM_TIKTOK_ACCESS_TOKEN_<STACK>` becomes the first version of the token secret: the token
 *    alone (`acceptedToken`: no surrounding whitespace, no `Bearer `; one with whitespace inside is
 *    refused before any step runs).
 *
 * Secret values are never printed, logged or passed on a command line; notes go to stderr. Secret
 * Manager is reached through `SecretVersionStore` (secret-store.ts), Tag Manager through `GtmApi`; the
 * command (src/cli/infra-commands.ts) only passes them in.
 */
import type { EnvironmentConfig } from "../config/model";
import { UserError } from "../errors/report";
import { acceptedToken, stackTokenVariable } from "../gtm/client/access-token";
import { TAG_MANAGER_LOGIN_COMMAND } from "../gtm/client/connect";
import { type Container, type GtmApi, GtmApiError } from "../gtm/core/api";
import { isServerUsage, notServerContainerMessage } from "../gtm/core/container-kind";
import { addSecretVersionCommand, readSecretCommand } from "../naming/secret-commands";
import {
  containerConfigVariable,
  GENERIC_CONTAINER_CONFIG_VARIABLE,
  TIKTOK_ACCESS_TOKEN_VARIABLE,
} from "../naming/variables";
import { PASTE_HINT, WHERE_CONTAINER_CONFIG, WHERE_TIKTOK_TOKEN } from "./instructions";
import { explainedSecretStore, type SecretVersionStore, secretPath } from "./secret-store";

export interface BootstrapContext {
  readonly env: EnvironmentConfig;
  /** The environment variables (`SGTM_CONTAINER_CONFIG_<STACK>`, `SGTM_TIKTOK_ACCESS_TOKEN_<STACK>`). */
  readonly vars: NodeJS.ProcessEnv;
  /** Connects to Secret Manager; called once the environment variables have been checked. */
  readonly connectStore: () => Promise<SecretVersionStore>;
  /** Connects to the Tag Manager API; a rejection means the API cannot be used (bootstrap says why). */
  readonly connectGtm: () => Promise<GtmApi>;
  /** One line of what a step did (stdout). */
  readonly report: (line: string) => void;
  /** A note or an instruction (stderr). */
  readonly note: (text: string) => void;
}

/** What the steps use: the context with Secret Manager connected, its failures explained. */
interface StepContext extends BootstrapContext {
  readonly store: SecretVersionStore;
}

export async function bootstrap(ctx: BootstrapContext): Promise<void> {
  // Refuses the generic variable, and a token that is not one, before connecting to anything.
  const explicit = containerConfigFromEnvironment(ctx.env, ctx.vars);
  const token = tokenFromEnvironmentVariable(ctx.env, ctx.vars);
  const steps: StepContext = { ...ctx, store: explainedSecretStore(await ctx.connectStore()) };
  const gtm = await readServerContainer(steps);
  await containerConfigStep(steps, explicit, gtm);
  await taggingServerUrlStep(steps, gtm);
  await tokenStep(steps, token);
}

/** `SGTM_TIKTOK_ACCESS_TOKEN_<STACK>` as the secret should hold it (the token alone), or undefined. */
function tokenFromEnvironmentVariable(env: EnvironmentConfig, vars: NodeJS.ProcessEnv): string | undefined {
  const variable = stackTokenVariable(env.stackName);
  const raw = vars[variable];
  if (raw === undefined) return undefined;
  return acceptedToken(
    raw,
    `$${variable}`,
    `Set it again with the token alone (${readSecretCommand(variable)} && export ${variable}), then run the deploy again.`,
  );
}

/**
 * The container config bootstrap should store for `env`: `SGTM_CONTAINER_CONFIG_<STACK>` (trimmed and
 * checked), or undefined when it is not set. Refuses when only the generic `SGTM_CONTAINER_CONFIG` is
 * set: one value for every environment would land in whichever stack is deployed first from that shell.
 */
export function containerConfigFromEnvironment(
  env: EnvironmentConfig,
  vars: NodeJS.ProcessEnv,
): string | undefined {
  const variable = containerConfigVariable(env.stackName);
  const value = vars[variable]?.trim();
  if (value) {
    checkContainerConfig(
      value,
      `${variable} is not a container config (expected the base64 string from ${WHERE_CONTAINER_CONFIG}; the value is not shown)`,
    );
    return value;
  }
  if (vars[GENERIC_CONTAINER_CONFIG_VARIABLE]?.trim()) {
    throw new UserError(
      [
        `${GENERIC_CONTAINER_CONFIG_VARIABLE} is set, but bootstrap reads ${variable} for ${env.stackName}.`,
        `The generic variable is the same for every environment: a later first deploy of another stack from this shell would store this value in that stack's secret. Move the value to ${variable} (the value is not shown):`,
        `  unset ${GENERIC_CONTAINER_CONFIG_VARIABLE}`,
        `  ${readSecretCommand(variable)} && export ${variable}   # ${PASTE_HINT}`,
        `then run the deploy again (\`npx cdktf deploy ${env.stackName}\`).`,
      ].join("\n"),
    );
  }
  return undefined;
}

// ---- the server container ---------------------------------------------------------------------------

/** The environment's container as read, or why the Tag Manager API cannot be used. */
type GtmAccess =
  | { readonly usable: true; readonly api: GtmApi; readonly path: string; readonly container: Container }
  | { readonly usable: false; readonly problem: string };

/**
 * Reads the container and refuses one that is not a server container. A container GTM does not know is
 * a config mistake (exit 1); any other failure (no credentials, missing scopes, 403) only means the API
 * cannot be used, which the steps work around.
 */
async function readServerContainer(ctx: BootstrapContext): Promise<GtmAccess> {
  const { gtm } = ctx.env;
  const path = `accounts/${gtm.accountId}/containers/${gtm.containerId}`;
  let api: GtmApi;
  try {
    api = await ctx.connectGtm();
  } catch (error) {
    // No credentials for Tag Manager (no request was made): explained by the note, not fatal.
    return unusable(ctx, firstLine(error));
  }
  let container: Container;
  try {
    container = await api.getContainer(path);
  } catch (error) {
    if (!(error instanceof GtmApiError)) throw error;
    if (error.status !== 404) return unusable(ctx, firstLine(error));
    throw new UserError(
      `Tag Manager has no container ${path} for this identity: check gtm.accountId (${gtm.accountId}) and gtm.containerId (${gtm.containerId}) in ${configFiles(ctx.env)} (the ids in the container's URL in Tag Manager: .../accounts/<accountId>/containers/<containerId>/...), and that the identity is a user of the container.`,
    );
  }
  if (!isServerUsage(container.usageContext)) {
    throw new UserError(
      notServerContainerMessage({ containerId: gtm.containerId, files: configFiles(ctx.env), container }),
    );
  }
  return { usable: true, api, path, container };
}

function unusable(ctx: BootstrapContext, problem: string): GtmAccess {
  ctx.note(
    [
      `note: the Tag Manager API could not be used (${problem}).`,
      "Bootstrap then cannot read the container config from GTM or check the container's tagging server URL. The identity needs the Tag Manager scopes and to be a user of the container in GTM; with your user account:",
      `  ${TAG_MANAGER_LOGIN_COMMAND}`,
      "",
    ].join("\n"),
  );
  return { usable: false, problem };
}

// ---- step 1: the container config -------------------------------------------------------------------

async function containerConfigStep(
  ctx: StepContext,
  explicit: string | undefined,
  gtm: GtmAccess,
): Promise<void> {
  const { env } = ctx;
  const id = env.secrets.containerConfig;
  const secret = secretPath(env, id);
  const variable = containerConfigVariable(env.stackName);
  let found: { value: string; source: string } | { problem: string };
  if (explicit) {
    if (gtm.usable) checkSameContainer(explicit, variable, gtm.container);
    found = { value: explicit, source: `$${variable}` };
  } else if (gtm.usable) {
    found = await readContainerConfig(ctx, gtm);
    if ("problem" in found) unusable(ctx, found.problem);
  } else {
    found = { problem: gtm.problem };
  }
  if ("value" in found) {
    const { value, source } = found;
    const current = await ctx.store.latestData(secret);
    if (current?.toString("utf8").trim() === value) {
      ctx.report(`container config: unchanged (${id} already holds the value from ${source})`);
      return;
    }
    await ctx.store.addVersion(secret, Buffer.from(value, "utf8"));
    ctx.report(`container config: added a version of ${id} from ${source}`);
    return;
  }
  if (await ctx.store.hasEnabledVersion(secret)) {
    ctx.report(`container config: kept the existing version of ${id} (not read from GTM)`);
    return;
  }
  throw new UserError(
    [
      `the container-config secret ${id} (project ${env.gcp.project}) has no version, ${variable} is not set, and the Tag Manager API could not be used (${found.problem}).`,
      "Let bootstrap read it from GTM: log in with the Tag Manager scopes (the identity must be a user of the container),",
      `  ${TAG_MANAGER_LOGIN_COMMAND}`,
      `or copy the value from ${WHERE_CONTAINER_CONFIG}, then:`,
      `  ${readSecretCommand(variable)} && export ${variable}   # ${PASTE_HINT}`,
      `and run the deploy again (\`npx cdktf deploy ${env.stackName}\`), or add the version yourself:`,
      `  ${addSecretVersionCommand(id, env.gcp.project, variable)}`,
    ].join("\n"),
  );
}

/** The snippet's `containerConfig`, checked; a refused call means the API cannot be used after all. */
async function readContainerConfig(
  ctx: StepContext,
  gtm: Extract<GtmAccess, { usable: true }>,
): Promise<{ value: string; source: string } | { problem: string }> {
  let value: string | undefined;
  try {
    value = (await gtm.api.getContainerSnippet(gtm.path)).containerConfig?.trim() || undefined;
  } catch (error) {
    if (error instanceof GtmApiError) return { problem: firstLine(error) };
    throw error;
  }
  const what = `the containerConfig Tag Manager answered for ${gtm.container.publicId ?? gtm.path} (gtm.containerId ${ctx.env.gtm.containerId})`;
  if (!value) throw new UserError(`${what} is empty: is it a server container?`);
  checkContainerConfig(value, `${what} is not a container config (the value is not shown)`);
  return { value, source: "the Tag Manager API" };
}

/** The container config is base64 of `id=GTM-XXXX&env=N&auth=...`; refuse anything else before storing it. */
function checkContainerConfig(value: string, problem: string): void {
  if (!containerIdOf(value)) throw new UserError(problem);
}

/** The public container id (`GTM-XXXX`) a container config is for, or undefined when it is not one. */
function containerIdOf(value: string): string | undefined {
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(value) ? Buffer.from(value, "base64").toString("utf8") : "";
  return /^id=(GTM-[A-Z0-9]+)&env=\d+&auth=\S+$/.exec(decoded)?.[1];
}

/** An explicit value must belong to the configured container: another client's would serve its tags. */
function checkSameContainer(value: string, variable: string, container: Container): void {
  const id = containerIdOf(value);
  if (container.publicId && id !== container.publicId) {
    throw new UserError(
      `${variable} is the container config of ${id}, but gtm.containerId is ${container.publicId}: copy the value of ${container.publicId} (${WHERE_CONTAINER_CONFIG}), or unset ${variable} to let bootstrap read it from GTM.`,
    );
  }
}

// ---- step 2: the tagging server URL -----------------------------------------------------------------

/**
 * Adds `https://<domain.tagging>` to the container's `taggingServerUrls`, first, keeping the others: the
 * kit owns this environment's URL, not the list (another first-party domain may be served by the same
 * container). A refusal is a note, not a failure: the tagging server runs without it.
 */
async function taggingServerUrlStep(ctx: StepContext, gtm: GtmAccess): Promise<void> {
  const url = `https://${ctx.env.domain.tagging}`;
  const byHand = `add ${url} in Tag Manager > Admin > Container Settings > Server container URLs`;
  if (!gtm.usable) {
    ctx.report(`taggingServerUrls: not checked (${byHand})`);
    return;
  }
  let container = gtm.container;
  for (let attempt = 1; ; attempt++) {
    const urls = container.taggingServerUrls ?? [];
    if (urls.some((listed) => sameUrl(listed, url))) {
      ctx.report(`taggingServerUrls: unchanged (${url} is listed)`);
      return;
    }
    const updated = [url, ...urls];
    try {
      await gtm.api.updateContainer(
        gtm.path,
        { ...container, taggingServerUrls: updated },
        container.fingerprint ?? "",
      );
      const kept = urls.length > 0 ? ` (kept ${urls.join(", ")})` : "";
      ctx.report(`taggingServerUrls: set to ${url}${kept}`);
      return;
    } catch (error) {
      if (!(error instanceof GtmApiError)) throw error;
      // Someone changed the container since it was read: read it again, once.
      if (error.status === 409 && attempt === 1) {
        container = await gtm.api.getContainer(gtm.path);
        continue;
      }
      ctx.report(`taggingServerUrls: not set (Tag Manager refused the update)`);
      ctx.note(`note: ${firstLine(error)}\nTo finish by hand: ${byHand}.\n`);
      return;
    }
  }
}

function sameUrl(a: string, b: string): boolean {
  const canonical = (url: string) => url.trim().toLowerCase().replace(/\/+$/, "");
  return canonical(a) === canonical(b);
}

// ---- step 3: the TikTok access token ----------------------------------------------------------------

/**
 * The token secret's first version, from `SGTM_TIKTOK_ACCESS_TOKEN_<STACK>` only: the generic variable is
 * the same for every environment (another client's pixel). A secret with a version is left alone, and
 * a missing token does not stop the deploy: the commands to add it go to stderr.
 */
async function tokenStep(ctx: StepContext, value: string | undefined): Promise<void> {
  const { env, vars } = ctx;
  const id = env.secrets.tiktokAccessToken;
  const secret = secretPath(env, id);
  const variable = stackTokenVariable(env.stackName);
  if (await ctx.store.hasEnabledVersion(secret)) {
    ctx.report(`token: unchanged (${id} already has a version${value ? `; $${variable} is not used` : ""})`);
    if (value) {
      ctx.note(
        `note: bootstrap only adds the first token. To replace it: ${addSecretVersionCommand(id, env.gcp.project, variable)}\n`,
      );
    }
    return;
  }
  if (value) {
    await ctx.store.addVersion(secret, Buffer.from(value, "utf8"));
    ctx.report(`token: added a version of ${id} from $${variable}`);
    return;
  }
  ctx.report(`token: not added (${id} has no version and $${variable} is not set)`);
  const generic = vars[TIKTOK_ACCESS_TOKEN_VARIABLE]?.trim()
    ? [
        `($${TIKTOK_ACCESS_TOKEN_VARIABLE} is set but not used here: it is the same for every environment, so it could put another client's token into this secret.)`,
      ]
    : [];
  ctx.note(
    [
      `note: the TikTok access token secret ${id} has no version, and $${variable} is not set: \`sgtm gtm apply --env ${env.stackName}\` needs the token. Copy it from ${WHERE_TIKTOK_TOKEN}, then add it (\`${readSecretCommand(variable)}\` waits for you to ${PASTE_HINT}):`,
      `  ${readSecretCommand(variable)} && ${addSecretVersionCommand(id, env.gcp.project, variable)}`,
      "or export it and run bootstrap again:",
      `  ${readSecretCommand(variable)} && export ${variable} && npx sgtm bootstrap --env ${env.stackName}`,
      ...generic,
      "",
    ].join("\n"),
  );
}

// ---- wording ----------------------------------------------------------------------------------------

function configFiles(env: EnvironmentConfig): string {
  return env.sourceFiles.join(", ") || "the environment's config";
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0].trim();
}
