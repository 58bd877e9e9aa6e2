import { Construct, type ITerraformDependable, ProjectService } from "./cdktf";

/** Short API names (`run` means `run.googleapis.com`); the construct ID of each is its short name. */
export type GoogleApi =
  | "billingbudgets"
  | "certificatemanager"
  | "cloudresourcemanager"
  | "compute"
  | "dns"
  | "iam"
  | "logging"
  | "monitoring"
  | "run"
  | "secretmanager"
  | "serviceusage"
  | "tagmanager";

export interface ProjectServicesProps {
  readonly project: string;
  readonly apis: readonly GoogleApi[];
}

/**
 * Enables the APIs an environment needs. Never disables them on destroy: several environments (and
 * other workloads) may share the project, and disabling an API breaks every resource that uses it.
 */
export class ProjectServices extends Construct {
  /** Make resources depend on these: enabling an API is eventually consistent. */
  readonly dependables: readonly ITerraformDependable[];

  constructor(scope: Construct, id: string, props: ProjectServicesProps) {
    super(scope, id);
    this.dependables = [...new Set(props.apis)].sort().map(
      (api) =>
        new ProjectService(this, api, {
          project: props.project,
          service: `${api}.googleapis.com`,
          disableOnDestroy: false,
          disableDependentServices: false,
        }),
    );
  }
}
