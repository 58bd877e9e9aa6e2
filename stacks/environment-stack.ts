import { Budget } from "../constructs/budget";
import {
  type Construct,
  GcsBackend,
  GoogleProvider,
  LocalBackend,
  TerraformOutput,
  TerraformStack,
} from "../constructs/cdktf";
import { ContainerConfigBootstrap } from "../constructs/container-config-bootstrap";
import { EdgeSecurityPolicy } from "../constructs/edge-security-policy";
import { GtmContainer } from "../constructs/gtm-container";
import { HttpsFrontend } from "../constructs/https-frontend";
import { Monitoring } from "../constructs/monitoring";
import { projectRootFromStackDir } from "../constructs/project-cli";
import { type GoogleApi, ProjectServices } from "../constructs/project-services";
import { RequestLogs } from "../constructs/request-logs";
import { Secrets } from "../constructs/secrets";
import { TaggingServer } from "../constructs/tagging-server";
import { configDigest } from "../src/config/digest";
import type { BackendConfig, EnvironmentConfig } from "../src/config/model";
import { desiredContainer } from "../src/gtm/model/desired";
import { summarizeModel } from "../src/gtm/model/summary";

/** cdktf's output folder when cdktf.json and CDKTF_OUTDIR say nothing else. */
export const DEFAULT_OUTDIR = "cdktf.out";

export const TERRAFORM_REQUIRED_VERSION = ">= 1.4";

/** Where cdktf keeps its own metadata in the synthesized JSON; the kit's goes under `sgtm`. */
const METADATA_KEY = "//";

export interface EnvironmentStackOptions {
  /** `--config-dir` for the CLI steps, relative to the project root. Unset: the CLI default, `config`. */
  readonly configDir?: string;
  /**
   * The project root relative to the folder Terraform runs in (`<outdir>/stacks/<stack>`): local state
   * paths and the CLI steps' working directory are written relative to it. Unset: derived for the
   * default outdir `cdktf.out`, i.e. `../../..`.
   */
  readonly projectRoot?: string;
}

/**
 * One environment: `<client>-<env>`, its own state, every resource named after it. A retired
 * environment still synthesizes in full, so `cdktf destroy` can remove what it created.
 */
export class EnvironmentStack extends TerraformStack {
  constructor(scope: Construct, env: EnvironmentConfig, options: EnvironmentStackOptions = {}) {
    super(scope, env.stackName);
    // terraform_data (the container-config bootstrap) is built into Terraform 1.4 and later.
    this.addOverride("terraform.required_version", TERRAFORM_REQUIRED_VERSION);
    // For `sgtm plan` (a JSON comment Terraform ignores): which config this synth shows, so an outdated
    // one is refused, and the tier, so a review knows production from the base synth alone.
    this.addOverride(`${METADATA_KEY}.sgtm`, { inputs: configDigest(env), tier: env.tier });
    const { project, region } = env.gcp;
    const projectRoot = options.projectRoot ?? projectRootFromStackDir(DEFAULT_OUTDIR, env.stackName, ".");
    const cli = { projectRoot, configDir: options.configDir };
    // Default labels reach every resource that takes labels (Cloud Run, secrets, addresses, rules,
    // certificates, ...), and with them the billing export. Set by override: the provider binding
    // turns the map's keys into snake_case (`managed-by` would become `managed_by`).
    new GoogleProvider(this, "google", { project, region }).addOverride("default_labels", env.labels);
    backend(this, env.backend, projectRoot);

    const apis = new ProjectServices(this, "apis", { project, apis: requiredApis(env) }).dependables;
    // Retiring means destroying next: lift deletion protection so `cdktf deploy` then `destroy` works.
    const deletionProtection = env.tagging.deletionProtection && !env.retired;

    const secrets = new Secrets(this, "secrets", {
      project,
      stackName: env.stackName,
      tiktokAccessTokenSecretId: env.secrets.tiktokAccessToken,
      containerConfigSecretId: env.secrets.containerConfig,
      tokenReaders: env.secrets.tokenReaders,
      deletionProtection,
      dependsOn: apis,
    });
    const bootstrap = new ContainerConfigBootstrap(this, "container-config-bootstrap", {
      stackName: env.stackName,
      secretResourceId: secrets.containerConfig.id,
      taggingUrl: `https://${env.domain.tagging}`,
      cli,
      dependsOn: [secrets.containerConfig, secrets.tiktokAccessToken],
    });
    const server = new TaggingServer(this, "tagging-server", {
      project,
      region,
      stackName: env.stackName,
      image: env.tagging.image,
      minInstances: env.tagging.minInstances,
      maxInstances: env.tagging.maxInstances,
      previewHost: env.domain.preview,
      containerConfigSecret: {
        secretId: env.secrets.containerConfig,
        resourceId: secrets.containerConfig.id,
        firstVersion: bootstrap.step,
      },
      invoker: env.tagging.invoker,
      deletionProtection,
      dependsOn: [...apis, bootstrap.step],
    });
    const edgePolicy = env.armor
      ? new EdgeSecurityPolicy(this, "edge-security-policy", {
          project,
          stackName: env.stackName,
          hosts: [env.domain.tagging, env.domain.preview],
          ...env.armor,
          dependsOn: apis,
        })
      : undefined;
    const frontend = new HttpsFrontend(this, "https-frontend", {
      project,
      region,
      stackName: env.stackName,
      hosts: { tagging: env.domain.tagging, preview: env.domain.preview },
      // References, not literals: the NEGs are created after the services.
      services: { tagging: server.tagging.name, preview: server.preview.name },
      certificates: env.domain.certificates,
      certificateRevision: env.domain.certificateRevision,
      nextCertificateRevision: env.domain.nextCertificateRevision,
      certificateSwitch: env.domain.certificateSwitch,
      geoHeaders: env.domain.geoHeaders,
      ipv6: env.domain.ipv6,
      securityPolicy: edgePolicy?.policy.id,
      dnsZone: env.domain.dnsZone,
      dependsOn: apis,
    });
    if (env.tagging.requestLogs === "exclude-successful") {
      new RequestLogs(this, "request-logs", {
        project,
        stackName: env.stackName,
        cloudRunServices: [server.serviceNames.tagging, server.serviceNames.preview],
        urlMaps: frontend.urlMapNames,
        dependsOn: apis,
      });
    }
    const monitoring = env.monitoring.enabled
      ? new Monitoring(this, "monitoring", {
          project,
          stackName: env.stackName,
          taggingHost: env.domain.tagging,
          taggingService: server.serviceNames.tagging,
          maxInstances: env.tagging.maxInstances,
          urlMap: frontend.httpsUrlMapName,
          taggingBackends: frontend.taggingBackendNames,
          emails: env.monitoring.emails,
          channels: env.monitoring.channels,
          errorRatio: env.monitoring.errorRatio,
          labels: env.labels,
          dependsOn: apis,
        })
      : undefined;
    if (monitoring === undefined) {
      new TerraformOutput(this, "monitoring", {
        description: "Monitoring created for this environment",
        value: `none: monitoring is off for ${env.stackName} (set monitoring.enabled: true in ${env.sourceFiles[env.sourceFiles.length - 1]})`,
      }).overrideLogicalId("monitoring");
    }
    if (env.budget) {
      new Budget(this, "budget", {
        project,
        stackName: env.stackName,
        ...env.budget,
        label: { key: "environment", value: env.labels.environment },
        emailChannels: monitoring?.emailChannels ?? [],
        otherChannels: monitoring ? env.monitoring.channels : [],
        labels: env.labels,
        dependsOn: apis,
      });
    }
    // After the services exist: the container's tagging server URL then answers. A retired
    // environment's step removes every entity the kit made for it (its desired container is empty),
    // so the deploy before `cdktf destroy` leaves no tag of it live.
    new GtmContainer(this, "gtm-container", {
      stackName: env.stackName,
      model: summarizeModel(desiredContainer(env)),
      cli,
      dependsOn: [...apis, secrets.tiktokAccessToken, server.tagging, server.preview],
    });
    if (env.retired) {
      new TerraformOutput(this, "retired", {
        description: "This environment is retired",
        value: `retired: run \`npx cdktf deploy ${env.stackName}\` (lifts deletion protection and removes the kit's tags, triggers and variables from the GTM container), then \`npx cdktf destroy ${env.stackName}\`, then delete ${env.sourceFiles[env.sourceFiles.length - 1]}`,
      }).overrideLogicalId("retired");
    }
  }
}

export function requiredApis(env: EnvironmentConfig): GoogleApi[] {
  const apis: GoogleApi[] = [
    // The provider reads the project through these two (google_project_service included): they must be
    // on before the first plan (README, "Prerequisites"); declared here so they stay on.
    "cloudresourcemanager",
    "serviceusage",
    "certificatemanager",
    "compute",
    "iam",
    "logging",
    "run",
    "secretmanager",
    "tagmanager",
  ];
  if (env.monitoring.enabled) apis.push("monitoring");
  if (env.budget) apis.push("billingbudgets");
  // A zone in another project already has its API on; never switch APIs on in someone else's project.
  if (env.domain.dnsZone && env.domain.dnsZone.project === env.gcp.project) apis.push("dns");
  return apis;
}

function backend(stack: TerraformStack, config: BackendConfig, projectRoot: string): void {
  if (config.type === "gcs") {
    new GcsBackend(stack, { bucket: config.bucket, prefix: config.prefix });
    return;
  }
  // Relative state paths are relative to the project root (where cdktf.json is), not to Terraform's folder.
  const path = config.path.startsWith("/") ? config.path : `${projectRoot}/${config.path}`;
  new LocalBackend(stack, { path });
}
