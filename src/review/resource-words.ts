/**
 * Terraform resource types and attribute paths in words a marketer can follow. Unknown types and paths
 * fall back to a readable form of their own name, so a new resource never breaks a plan.
 */

/** The resource types the stacks create (see constructs/), in plain words. */
const RESOURCE_KINDS: Readonly<Record<string, string>> = {
  google_cloud_run_v2_service: "Cloud Run service",
  google_cloud_run_v2_service_iam_member: "Cloud Run access grant",
  google_compute_backend_service: "load balancer backend",
  google_compute_global_address: "load balancer IP address",
  google_compute_global_forwarding_rule: "load balancer entry point",
  google_compute_managed_ssl_certificate: "HTTPS certificate",
  google_compute_region_network_endpoint_group: "load balancer link to Cloud Run",
  google_compute_ssl_policy: "TLS policy",
  google_compute_target_http_proxy: "HTTP-to-HTTPS redirect",
  google_compute_target_https_proxy: "HTTPS proxy",
  google_compute_url_map: "load balancer routing",
  google_certificate_manager_certificate: "HTTPS certificate (Certificate Manager)",
  google_certificate_manager_certificate_map: "certificate map",
  google_certificate_manager_certificate_map_entry: "certificate map entry",
  google_certificate_manager_dns_authorization: "certificate DNS authorization",
  google_dns_record_set: "DNS record",
  google_logging_project_exclusion: "request log exclusion",
  google_project_service: "Google Cloud API",
  google_project_iam_member: "project access grant",
  google_secret_manager_secret: "Secret Manager secret",
  google_secret_manager_secret_iam_member: "secret access grant",
  google_secret_manager_secret_version: "secret value",
  google_service_account: "service account",
  terraform_data: "deploy step",
};

/** `google_compute_router` -> `compute router`: readable, and still searchable. */
export function resourceKind(type: string): string {
  return RESOURCE_KINDS[type] ?? type.replace(/^google_/, "").replace(/_/g, " ");
}

/**
 * Attribute paths (array positions written `[]`, named entries `[*]`) in words. A path not listed here
 * is shown as it is.
 */
const ATTRIBUTE_LABELS: readonly (readonly [RegExp, string | ((match: RegExpExecArray) => string)])[] = [
  // The minimum sits on the service (its `scaling` block); synths from before that kept it on the template.
  [/^(template\.)?scaling\.min_instance_count$/, "min instances"],
  [/^scaling\.scaling_mode$/, "scaling mode"],
  [/^template\.scaling\.max_instance_count$/, "max instances"],
  [/^template\.containers\[[^\]]*\]\.image$/, "server image"],
  [/^template\.containers\[[^\]]*\]\.resources\.limits\.cpu$/, "CPU"],
  [/^template\.containers\[[^\]]*\]\.resources\.limits\.memory$/, "memory"],
  [/^template\.containers\[[^\]]*\]\.resources\.cpu_idle$/, "CPU only during requests"],
  [/^template\.containers\[[^\]]*\]\.env\[([^\]]+)\]\.value$/, (m) => `setting ${m[1]}`],
  [
    /^template\.containers\[[^\]]*\]\.env\[([^\]]+)\]\.value_source\..*$/,
    (m) => `setting ${m[1]} (from a secret)`,
  ],
  [/^template\.timeout$/, "request timeout"],
  [/^template\.service_account$/, "runs as"],
  [/^deletion_protection$/, "deletion protection"],
  [/^secret_data$/, "secret value"],
  [/^ingress$/, "who can reach it"],
  [/^managed\.domains$/, "domains"],
  [/^rrdatas$/, "points to"],
  [/^ttl$/, "DNS cache time (s)"],
  [/^service$/, "API"],
  [/^location$|^region$/, "region"],
  [/^project$/, "Google Cloud project"],
  [/^min_tls_version$/, "minimum TLS version"],
  [/^filter$/, "which logs"],
  [/^depends_on$/, "deploy order"],
  [/^role$/, "role"],
  [/^member$/, "who"],
  [/^host_rule\[[^\]]*\]\.hosts$/, "hosts"],
  [/^provisioner\[[^\]]*\]\.local-exec\.command$/, "command"],
];

export function attributeLabel(path: string): string {
  for (const [pattern, label] of ATTRIBUTE_LABELS) {
    const match = pattern.exec(path);
    if (match) return typeof label === "string" ? label : label(match);
  }
  return path;
}
