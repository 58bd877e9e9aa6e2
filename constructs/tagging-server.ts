import { gcpName } from "../src/naming/gcp";
import {
  CloudRunV2Service,
  CloudRunV2ServiceIamMember,
  type CloudRunV2ServiceTemplateContainersEnv,
  Construct,
  DataGoogleSecretManagerSecretVersion,
  type ITerraformDependable,
  SecretManagerSecretIamMember,
  ServiceAccount,
} from "./cdktf";

/**
 * How the load balancer is allowed to invoke the services:
 * - `all-users`: `roles/run.invoker` for `allUsers` (ingress still only admits the load balancer);
 * - `iam-disabled`: `invoker_iam_disabled`, where an organisation policy forbids `allUsers` bindings.
 */
export type InvokerAccess = "all-users" | "iam-disabled";

export interface TaggingServerProps {
  readonly project: string;
  readonly region: string;
  /** `<client>-<env>`: the stem of every name. */
  readonly stackName: string;
  /** Same image for both services; `:stable` is resolved to a digest when a revision is created. */
  readonly image: string;
  readonly minInstances: number;
  readonly maxInstances: number;
  /** The preview host (without scheme); the tagging server reaches preview through the load balancer. */
  readonly previewHost: string;
  readonly containerConfigSecret: {
    /** Short secret id, as `secret_key_ref.secret` wants it (same project). */
    readonly secretId: string;
    /** Resource ID, for the accessor binding. */
    readonly resourceId: string;
    /**
     * What adds the secret's first version (the bootstrap step): the version the services pin is read
     * after it, so on a first deploy it is read at apply time, once the version exists.
     */
    readonly firstVersion: ITerraformDependable;
  };
  readonly invoker: InvokerAccess;
  /** Whether Terraform refuses to destroy or replace the services. */
  readonly deletionProtection: boolean;
  /**
   * The APIs and the container-config bootstrap: every resource of the construct is created after them
   * (the service account too, which needs the IAM API; the rest follow through their references).
   */
  readonly dependsOn: readonly ITerraformDependable[];
}

/** Google's recommended sGTM settings (docs/facts/sgtm-on-cloud-run.md#the-two-services). */
const CONTAINER = {
  cpu: "1",
  memory: "512Mi",
  timeout: "60s",
  healthPath: "/healthy",
} as const;

/** Left to the API: see the services' `scaling`. */
export const SCALING_MODE_PATH = "scaling[0].scaling_mode";

/**
 * The sGTM tagging and preview Cloud Run services, their dedicated runtime service account (no
 * project-level roles: plain sGTM needs none) and the IAM they need: read access to the container-config
 * secret only, and invocation by the load balancer.
 */
export class TaggingServer extends Construct {
  readonly serviceAccount: ServiceAccount;
  readonly tagging: CloudRunV2Service;
  readonly preview: CloudRunV2Service;
  /** Service names as plain strings (the resources' `name` attributes are Terraform references). */
  readonly serviceNames: { readonly tagging: string; readonly preview: string };

  constructor(scope: Construct, id: string, props: TaggingServerProps) {
    super(scope, id);
    this.serviceNames = {
      tagging: gcpName("cloudRunService", "sgtm", props.stackName, "tagging"),
      preview: gcpName("cloudRunService", "sgtm", props.stackName, "preview"),
    };
    this.serviceAccount = new ServiceAccount(this, "service-account", {
      project: props.project,
      accountId: gcpName("serviceAccountId", "sgtm", props.stackName, "run"),
      displayName: `sGTM runtime (${props.stackName})`,
      description: "Runs the sGTM tagging and preview services; reads the container-config secret only.",
      // iam.googleapis.com must be on first; enabling an API is eventually consistent.
      dependsOn: [...props.dependsOn],
    });
    const secretAccess = new SecretManagerSecretIamMember(this, "container-config-accessor", {
      project: props.project,
      secretId: props.containerConfigSecret.resourceId,
      role: "roles/secretmanager.secretAccessor",
      member: this.serviceAccount.member,
    });

    // Pinned, not `latest`: a secret is read when an instance starts, so with `latest` a new container
    // config reaches new instances only. The number of the newest version is read at plan time (an
    // out-of-band `gcloud secrets versions add` then shows as a change of the services and rolls a new
    // revision); on a first deploy the read waits until the bootstrap step has added version 1,
    // because a data source that depends on a resource with pending changes is read at apply time.
    // Metadata only: fetch_secret_data = false keeps the value out of state.
    const pinned = new DataGoogleSecretManagerSecretVersion(this, "container-config-version", {
      project: props.project,
      secret: props.containerConfigSecret.secretId,
      fetchSecretData: false,
      dependsOn: [props.containerConfigSecret.firstVersion],
    });
    const containerConfig: CloudRunV2ServiceTemplateContainersEnv = {
      name: "CONTAINER_CONFIG",
      valueSource: {
        secretKeyRef: { secret: props.containerConfigSecret.secretId, version: pinned.version },
      },
    };
    // Templates that call BigQuery or Firestore need the project, in preview as in production.
    const project = { name: "GOOGLE_CLOUD_PROJECT", value: props.project };
    // A revision fails to start when its account cannot read the secret: bind first.
    const dependsOn = [...props.dependsOn, secretAccess];

    this.tagging = this.service("tagging", props, {
      env: [containerConfig, { name: "PREVIEW_SERVER_URL", value: `https://${props.previewHost}` }, project],
      minInstances: props.minInstances,
      maxInstances: props.maxInstances,
      dependsOn,
    });
    // Preview sessions live in one instance's memory: never more than one.
    this.preview = this.service("preview", props, {
      env: [containerConfig, { name: "RUN_AS_PREVIEW_SERVER", value: "true" }, project],
      minInstances: 0,
      maxInstances: 1,
      dependsOn,
    });
  }

  private service(
    role: "tagging" | "preview",
    props: TaggingServerProps,
    spec: {
      env: CloudRunV2ServiceTemplateContainersEnv[];
      minInstances: number;
      maxInstances: number;
      dependsOn: ITerraformDependable[];
    },
  ): CloudRunV2Service {
    const service = new CloudRunV2Service(this, role, {
      project: props.project,
      location: props.region,
      name: this.serviceNames[role],
      description: `sGTM ${role} server (${props.stackName})`,
      // Only the load balancer: *.run.app would bypass the first-party domain (and Cloud Armor).
      ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
      invokerIamDisabled: props.invoker === "iam-disabled",
      deletionProtection: props.deletionProtection,
      // Service-level scaling is Optional but not Computed in the provider while the API always returns
      // it: left undeclared it diffs on every plan. Google recommends the minimum at the service level
      // (not mixed with a revision-level one); the maximum exists per revision only. No `scaling_mode`:
      // the API does not return one that was not set, and the provider's own test of this block sets
      // none; it is ignored, so a service an earlier version deployed with AUTOMATIC (echoed or not)
      // shows no diff either (docs/facts/provider-google.md#cloud-run-service-level-scaling).
      scaling: { minInstanceCount: spec.minInstances },
      lifecycle: { ignoreChanges: [SCALING_MODE_PATH] },
      template: {
        serviceAccount: this.serviceAccount.email,
        timeout: CONTAINER.timeout,
        scaling: { maxInstanceCount: spec.maxInstances },
        containers: [
          {
            image: props.image,
            ports: { containerPort: 8080 },
            // cpu_idle = false: CPU always allocated, so tags finish their outgoing requests after the response.
            resources: { limits: { cpu: CONTAINER.cpu, memory: CONTAINER.memory }, cpuIdle: false },
            env: spec.env,
            // No load-balancer health check (serverless NEGs reject them): Cloud Run probes instead.
            startupProbe: { httpGet: { path: CONTAINER.healthPath } },
          },
        ],
      },
      dependsOn: spec.dependsOn,
    });
    if (props.invoker === "all-users") {
      new CloudRunV2ServiceIamMember(this, `${role}-invoker`, {
        project: props.project,
        location: props.region,
        name: service.name,
        role: "roles/run.invoker",
        member: "allUsers",
      });
    }
    return service;
  }
}
