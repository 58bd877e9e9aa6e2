import { gcpName } from "../src/naming/gcp";
import { ComputeSecurityPolicy, Construct, type ITerraformDependable } from "./cdktf";

export interface EdgeSecurityPolicyProps {
  readonly project: string;
  readonly stackName: string;
  /** The hosts the load balancer serves; with `hostAllowlist`, every other Host gets a 404. */
  readonly hosts: readonly string[];
  /** Requests a client IP may make per minute; beyond that it gets 429 until its rate falls. */
  readonly requestsPerMinutePerIp: number;
  /**
   * Deny (404) requests for any other Host at the backends. A second line only: the URL map already
   * redirects unknown hosts before any backend (and so this policy) sees them.
   */
  readonly hostAllowlist: boolean;
  readonly dependsOn: readonly ITerraformDependable[];
}

/** Cloud Armor's lowest priority: the default rule. */
const DEFAULT_RULE_PRIORITY = 2147483647;
const EVERY_IP = { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } };

/**
 * A Cloud Armor policy for the environment's backends: a per-IP rate limit (429 beyond it) and,
 * optionally, a Host allowlist (404 for any other Host). Billed per policy, rule and request.
 */
export class EdgeSecurityPolicy extends Construct {
  readonly policy: ComputeSecurityPolicy;

  constructor(scope: Construct, id: string, props: EdgeSecurityPolicyProps) {
    super(scope, id);
    const hostRule = props.hostAllowlist
      ? [
          {
            priority: 1000,
            description: "Only the environment's hosts",
            action: "deny(404)",
            match: { expr: { expression: unknownHostExpression(props.hosts) } },
          },
        ]
      : [];
    this.policy = new ComputeSecurityPolicy(this, "policy", {
      project: props.project,
      name: gcpName("compute", "sgtm", props.stackName, "edge"),
      description: `sGTM ${props.stackName}: per-IP rate limit${props.hostAllowlist ? ", host allowlist" : ""}`,
      type: "CLOUD_ARMOR",
      rule: [
        ...hostRule,
        {
          priority: 2000,
          description: `At most ${props.requestsPerMinutePerIp} requests a minute per client IP`,
          action: "throttle",
          match: EVERY_IP,
          rateLimitOptions: {
            conformAction: "allow",
            exceedAction: "deny(429)",
            enforceOnKey: "IP",
            rateLimitThreshold: { count: props.requestsPerMinutePerIp, intervalSec: 60 },
          },
        },
        { priority: DEFAULT_RULE_PRIORITY, description: "Default: allow", action: "allow", match: EVERY_IP },
      ],
      dependsOn: [...props.dependsOn],
    });
  }
}

/** True for a Host that is none of `hosts` (any case, with or without :443). */
export function unknownHostExpression(hosts: readonly string[]): string {
  const alternatives = hosts.map((host) => host.replace(/\./g, "\\\\.")).join("|");
  return `!request.headers['host'].lower().matches('^(${alternatives})(:443)?$')`;
}
