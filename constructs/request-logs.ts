import { gcpName } from "../src/naming/gcp";
import { Construct, type ITerraformDependable, LoggingProjectExclusion } from "./cdktf";

export interface RequestLogsProps {
  readonly project: string;
  readonly stackName: string;
  /** Cloud Run services whose request logs are excluded. */
  readonly cloudRunServices: readonly string[];
  /** URL maps whose load balancer request logs are excluded. */
  readonly urlMaps: readonly string[];
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * Drops the per-hit request logs of this environment (one line per hit adds up) while keeping every
 * request logged at WARNING or above (4xx, 5xx). Scoped to this environment's services and URL maps, so
 * environments sharing a project keep their own policy.
 */
export class RequestLogs extends Construct {
  readonly exclusion: LoggingProjectExclusion;

  constructor(scope: Construct, id: string, props: RequestLogsProps) {
    super(scope, id);
    this.exclusion = new LoggingProjectExclusion(this, "exclusion", {
      project: props.project,
      name: gcpName("loggingExclusion", "sgtm", props.stackName, "successful-requests"),
      description: `Successful request logs of sGTM ${props.stackName} (warnings and errors are kept)`,
      filter: requestLogFilter(props.cloudRunServices, props.urlMaps),
      dependsOn: [...props.dependsOn],
    });
  }
}

/** Every clause parenthesised: Logging's AND/OR precedence is not what most readers expect. */
export function requestLogFilter(cloudRunServices: readonly string[], urlMaps: readonly string[]): string {
  const anyOf = (values: readonly string[]) => `(${values.map((v) => JSON.stringify(v)).join(" OR ")})`;
  const cloudRun = `(LOG_ID("run.googleapis.com/requests") AND resource.type="cloud_run_revision" AND resource.labels.service_name=${anyOf(cloudRunServices)})`;
  const loadBalancer = `(LOG_ID("requests") AND resource.type="http_load_balancer" AND resource.labels.url_map_name=${anyOf(urlMaps)})`;
  return `(${cloudRun} OR ${loadBalancer}) AND severity < WARNING`;
}
