import {
  Construct,
  type ITerraformDependable,
  MonitoringAlertPolicy,
  type MonitoringAlertPolicyConditionsConditionThreshold,
  MonitoringNotificationChannel,
  MonitoringUptimeCheckConfig,
  TerraformOutput,
} from "./cdktf";

/** An email notification channel the stack created. */
export interface EmailChannel {
  readonly address: string;
  /** The channel's ID (a Terraform reference). */
  readonly channel: string;
}

export interface MonitoringProps {
  readonly project: string;
  readonly stackName: string;
  /** The uptime check requests `https://<taggingHost>/healthy`, certificate validated. */
  readonly taggingHost: string;
  /** The tagging Cloud Run service, watched for running at its maximum. */
  readonly taggingService: string;
  readonly maxInstances: number;
  /** The HTTPS URL map, whose 5xx share is watched at the load balancer. */
  readonly urlMap: string;
  /** The backend services of the tagging host: their 429s are requests the service refused. */
  readonly taggingBackends: readonly string[];
  /** One email notification channel is created per address. */
  readonly emails: readonly string[];
  /** Existing channels (`projects/<project>/notificationChannels/<id>`), notified as they are. */
  readonly channels: readonly string[];
  /** Share of 5xx responses at the load balancer (over 5 minutes) that opens an incident. */
  readonly errorRatio: number;
  /** Monitoring resources take `user_labels`, which the provider's default labels do not reach. */
  readonly labels: Readonly<Record<string, string>>;
  readonly dependsOn: readonly ITerraformDependable[];
}

/** Certificates renew about 30 days before they expire: fewer days left means renewal failed. */
export const CERTIFICATE_DAYS_LEFT = 21;
const HEALTH_PATH = "/healthy";

/**
 * The environment's operations: an uptime check on `https://<tagging host>/healthy` and alert policies
 * for the check failing, the 5xx share at the load balancer, the tagging service at its maximum
 * instances, and a certificate that is not ACTIVE. Every policy notifies every channel; with none, an
 * incident is still opened in the console. Outputs what it created (`monitoring`).
 */
export class Monitoring extends Construct {
  /** Every channel the policies notify (created and existing). */
  readonly notificationChannels: readonly string[];
  /** The email channels this stack created, by address (sorted): the only ones a budget can notify. */
  readonly emailChannels: readonly EmailChannel[];
  readonly uptimeCheck: MonitoringUptimeCheckConfig;
  readonly alertPolicies: readonly MonitoringAlertPolicy[];

  private readonly props: MonitoringProps;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.props = props;
    this.emailChannels = [...new Set(props.emails)].sort().map((address) => ({
      address,
      // The address is part of the ID so adding or removing one never re-creates the others.
      channel: new MonitoringNotificationChannel(this, `email-${address}`, {
        project: props.project,
        displayName: `sGTM ${props.stackName}: ${address}`,
        type: "email",
        labels: { email_address: address },
        userLabels: { ...props.labels },
        dependsOn: [...props.dependsOn],
      }).id,
    }));
    this.notificationChannels = [...this.emailChannels.map((c) => c.channel), ...new Set(props.channels)];

    // A new tagging host replaces the check (its monitored resource cannot change in place), and Google
    // refuses to delete a check that alert policies still use: the new one is created first (display
    // names need not be unique), the policies move to it, then the old one goes
    // (docs/facts/provider-google.md#uptime-checks-and-alert-policies).
    this.uptimeCheck = new MonitoringUptimeCheckConfig(this, "uptime-check", {
      project: props.project,
      displayName: `sGTM ${props.stackName} ${HEALTH_PATH}`,
      lifecycle: { createBeforeDestroy: true },
      timeout: "10s",
      period: "60s",
      httpCheck: {
        path: HEALTH_PATH,
        port: 443,
        useSsl: true,
        // An expired, mismatched or missing certificate fails the check.
        validateSsl: true,
        requestMethod: "GET",
        acceptedResponseStatusCodes: [{ statusClass: "STATUS_CLASS_2XX" }],
      },
      contentMatchers: [{ content: "ok", matcher: "CONTAINS_STRING" }],
      monitoredResource: {
        type: "uptime_url",
        labels: { project_id: props.project, host: props.taggingHost },
      },
      userLabels: { ...props.labels },
      dependsOn: [...props.dependsOn],
    });
    const check = `metric.label.check_id="${this.uptimeCheck.uptimeCheckId}" AND resource.type="uptime_url"`;
    const requests = `metric.type="loadbalancing.googleapis.com/https/request_count" AND resource.type="https_lb_rule" AND resource.label.url_map_name="${props.urlMap}"`;
    const perSecond = [
      {
        alignmentPeriod: "300s",
        perSeriesAligner: "ALIGN_RATE",
        crossSeriesReducer: "REDUCE_SUM",
        groupByFields: ["resource.label.url_map_name"],
      },
    ];

    this.alertPolicies = [
      this.policy("uptime", "CRITICAL", [
        [
          `https://${props.taggingHost}${HEALTH_PATH} fails`,
          {
            filter: `metric.type="monitoring.googleapis.com/uptime_check/check_passed" AND ${check}`,
            aggregations: [
              {
                alignmentPeriod: "1200s",
                perSeriesAligner: "ALIGN_NEXT_OLDER",
                crossSeriesReducer: "REDUCE_COUNT_FALSE",
                groupByFields: ["resource.label.*"],
              },
            ],
            // More than one checker region failing: one region's network trouble is not an outage.
            comparison: "COMPARISON_GT",
            thresholdValue: 1,
            duration: "60s",
          },
        ],
      ]),
      this.policy("errors", "ERROR", [
        [
          `over ${Math.round(props.errorRatio * 1000) / 10}% of responses are 5xx`,
          {
            filter: `${requests} AND metric.label.response_code_class=500`,
            aggregations: perSecond,
            denominatorFilter: requests,
            denominatorAggregations: perSecond,
            comparison: "COMPARISON_GT",
            thresholdValue: props.errorRatio,
            duration: "300s",
          },
        ],
      ]),
      // At its maximum means requests are refused: Cloud Run answers 429 once no instance of the
      // revision frees up (max instances is per revision). Both must hold, so a rollout's two
      // revisions never add up and `maxInstances: 1` with one busy instance is not an alarm; Cloud
      // Armor's per-IP 429s alone are not either (docs/facts/provider-google.md#refused-requests).
      this.policy(
        "max-instances",
        "WARNING",
        [
          [
            `a revision of the tagging service runs ${props.maxInstances} instances, its maximum`,
            {
              filter: `metric.type="run.googleapis.com/container/instance_count" AND resource.type="cloud_run_revision" AND resource.label.service_name="${props.taggingService}"`,
              aggregations: [
                {
                  alignmentPeriod: "60s",
                  perSeriesAligner: "ALIGN_MAX",
                  crossSeriesReducer: "REDUCE_SUM",
                  groupByFields: ["resource.label.revision_name"],
                },
              ],
              comparison: "COMPARISON_GT",
              thresholdValue: props.maxInstances - 0.5,
              duration: "120s",
            },
          ],
          [
            "the load balancer answers tagging requests with 429 (refused)",
            {
              filter: `${requests} AND resource.label.backend_target_name=one_of(${props.taggingBackends.map((b) => `"${b}"`).join(", ")}) AND metric.label.response_code=429`,
              aggregations: [
                {
                  alignmentPeriod: "60s",
                  perSeriesAligner: "ALIGN_DELTA",
                  crossSeriesReducer: "REDUCE_SUM",
                  groupByFields: ["resource.label.url_map_name"],
                },
              ],
              comparison: "COMPARISON_GT",
              thresholdValue: 0,
              duration: "120s",
            },
          ],
        ],
        "AND",
      ),
      this.policy("certificate", "ERROR", [
        [
          `the certificate is not renewing (under ${CERTIFICATE_DAYS_LEFT} days left)`,
          {
            filter: `metric.type="monitoring.googleapis.com/uptime_check/time_until_ssl_cert_expires" AND ${check}`,
            aggregations: [
              {
                alignmentPeriod: "1200s",
                perSeriesAligner: "ALIGN_NEXT_OLDER",
                crossSeriesReducer: "REDUCE_MIN",
                groupByFields: ["resource.label.host"],
              },
            ],
            comparison: "COMPARISON_LT",
            thresholdValue: CERTIFICATE_DAYS_LEFT,
            duration: "600s",
          },
        ],
      ]),
    ];

    new TerraformOutput(this, "output", {
      description: "Monitoring created for this environment (uptime check, alert policies, channels)",
      value: {
        uptime_check: this.uptimeCheck.name,
        alert_policies: this.alertPolicies.map((p) => p.name),
        notification_channels: this.notificationChannels,
      },
    }).overrideLogicalId("monitoring");
  }

  private policy(
    kind: "uptime" | "errors" | "max-instances" | "certificate",
    severity: "CRITICAL" | "ERROR" | "WARNING",
    conditions: readonly (readonly [what: string, MonitoringAlertPolicyConditionsConditionThreshold])[],
    combiner: "OR" | "AND" = "OR",
  ): MonitoringAlertPolicy {
    const { project, stackName } = this.props;
    return new MonitoringAlertPolicy(this, `alert-${kind}`, {
      project,
      displayName: `sGTM ${stackName}: ${kind}`,
      combiner,
      severity,
      conditions: conditions.map(([what, condition]) => ({
        displayName: what,
        conditionThreshold: { trigger: { count: 1 }, ...condition },
      })),
      notificationChannels: [...this.notificationChannels],
      alertStrategy: { autoClose: "1800s" },
      documentation: { mimeType: "text/markdown", content: RUNBOOK[kind](stackName) },
      userLabels: { ...this.props.labels },
      dependsOn: [...this.props.dependsOn],
    });
  }
}

/** What the incident tells whoever is notified. */
const RUNBOOK: Record<"uptime" | "errors" | "max-instances" | "certificate", (stack: string) => string> = {
  uptime: (stack) =>
    `The sGTM tagging server of ${stack} fails its uptime check (no answer, no \`ok\`, or TLS fails). ` +
    "Check the Cloud Run service's revisions and logs, the load balancer's 5xx, and `certificate_status` " +
    `(output of \`npx cdktf output ${stack}\`).`,
  errors: (stack) =>
    `The load balancer of ${stack} answers with 5xx. A 502 with no Cloud Run request behind it is the ` +
    "serverless NEG (service down or failing to start); otherwise read the tagging service's logs.",
  "max-instances": (stack) =>
    `A revision of the tagging service of ${stack} runs at tagging.maxInstances and Cloud Run refuses ` +
    "the requests beyond it (429): those hits are lost. Raise tagging.maxInstances and deploy.",
  certificate: (stack) =>
    `A certificate of ${stack} is not renewing; the current one still serves until it expires. Run the ` +
    "`certificate_status` commands. Replace the one in PROVISIONING_FAILED_PERMANENTLY, RENEWAL_FAILED or " +
    "FAILED in two deploys, never by raising domain.certificateRevision alone (that attaches a certificate " +
    "that is not issued yet): set domain.nextCertificateRevision to its revision plus one (on " +
    "certificate-manager for its host only, e.g. `{ preview: 1 }`) and deploy; once its status command " +
    "prints ACTIVE, set domain.certificateRevision to that revision, remove nextCertificateRevision, deploy.",
};
