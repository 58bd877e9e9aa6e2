/**
 * The attributes whose change makes Terraform replace a resource (destroy and create, or the other way
 * round with `create_before_destroy`) instead of updating it in place, for every resource type the
 * stacks write. Read from the provider's schemas (`ForceNew: true`) in hashicorp/terraform-provider-google
 * v6.50.0 under google/services/ (the file and the schema lines are cited per type), and from Terraform
 * v1.9.8 for its built-in terraform_data (docs/facts/provider-google.md#attributes-that-force-replacement
 * says how they were read and what is left out). Paths are dotted attribute paths without list indices
 * (`managed.domains`); a change at or under a listed path forces replacement.
 */

export interface ForceNewEntry {
  /** Where the schema was read (v6.50.0, under google/services/, unless it says otherwise). */
  readonly source: string;
  readonly paths: readonly string[];
}

/** Every resource-level IAM member: all of its arguments (tpgiamresource/resource_iam_member.go 63-97). */
const IAM_MEMBER = ["role", "member", "condition"];

export const FORCE_NEW: Readonly<Record<string, ForceNewEntry>> = {
  google_billing_budget: {
    source: "billing/resource_billing_budget.go:136",
    paths: ["billing_account"],
  },
  google_certificate_manager_certificate: {
    source: "certificatemanager/resource_certificate_manager_certificate.go:80-303",
    paths: ["name", "location", "managed", "scope", "self_managed", "project"],
  },
  google_certificate_manager_certificate_map: {
    source: "certificatemanager/resource_certificate_manager_certificate_map.go:63,158",
    paths: ["name", "project"],
  },
  google_certificate_manager_certificate_map_entry: {
    source: "certificatemanager/resource_certificate_manager_certificate_map_entry.go:74-155",
    paths: ["map", "name", "hostname", "matcher", "project"],
  },
  google_certificate_manager_dns_authorization: {
    source: "certificatemanager/resource_certificate_manager_dns_authorization.go:74-167",
    paths: ["domain", "name", "location", "type", "project"],
  },
  google_cloud_run_v2_service: {
    source: "cloudrunv2/resource_cloud_run_v2_service.go:64,70,1243",
    paths: ["location", "name", "project"],
  },
  google_cloud_run_v2_service_iam_member: {
    source: "cloudrunv2/iam_cloud_run_v2_service.go:35-50 and tpgiamresource/resource_iam_member.go:63-97",
    paths: ["project", "location", "name", ...IAM_MEMBER],
  },
  google_compute_backend_service: {
    source: "compute/resource_compute_backend_service.go:215,1361",
    paths: ["name", "project"],
  },
  google_compute_global_address: {
    source: "compute/resource_compute_global_address.go:63-177",
    paths: [
      "name",
      "address",
      "address_type",
      "description",
      "ip_version",
      "network",
      "prefix_length",
      "purpose",
      "project",
    ],
  },
  google_compute_global_forwarding_rule: {
    source: "compute/resource_compute_global_forwarding_rule.go:64-454",
    paths: [
      "name",
      "ip_address",
      "ip_protocol",
      "description",
      "ip_version",
      "metadata_filters",
      "network",
      "network_tier",
      "no_automate_dns_zone",
      "port_range",
      "service_directory_registrations",
      "source_ip_ranges",
      "subnetwork",
      "project",
    ],
  },
  google_compute_managed_ssl_certificate: {
    source: "compute/resource_compute_managed_ssl_certificate.go:69-146",
    paths: ["description", "managed", "name", "type", "project"],
  },
  google_compute_region_network_endpoint_group: {
    source: "compute/resource_compute_region_network_endpoint_group.go:60-270",
    paths: [
      "name",
      "region",
      "app_engine",
      "cloud_function",
      "cloud_run",
      "description",
      "network",
      "network_endpoint_type",
      "psc_data",
      "psc_target_service",
      "subnetwork",
      "project",
    ],
  },
  google_compute_security_policy: {
    source: "compute/resource_compute_security_policy.go:93,108,116",
    paths: ["name", "project", "type"],
  },
  google_compute_ssl_policy: {
    source: "compute/resource_compute_ssl_policy.go:85,115,164",
    paths: ["name", "description", "project"],
  },
  google_compute_target_http_proxy: {
    source: "compute/resource_compute_target_http_proxy.go:61-128",
    paths: ["name", "description", "http_keep_alive_timeout_sec", "proxy_bind", "project"],
  },
  google_compute_target_https_proxy: {
    source: "compute/resource_compute_target_https_proxy.go:64-213",
    paths: ["name", "description", "http_keep_alive_timeout_sec", "proxy_bind", "tls_early_data", "project"],
  },
  google_compute_url_map: {
    source: "compute/resource_compute_url_map.go:64,3188",
    paths: ["name", "project"],
  },
  google_dns_record_set: {
    source: "dns/resource_dns_record_set.go:121,129,233,257",
    paths: ["managed_zone", "name", "routing_policy.health_check", "project"],
  },
  google_logging_project_exclusion: {
    source: "logging/resource_logging_exclusion.go:41 and logging/logging_exclusion_project.go:34",
    paths: ["name", "project"],
  },
  google_monitoring_alert_policy: {
    source: "monitoring/resource_monitoring_alert_policy.go:1222",
    paths: ["project"],
  },
  google_monitoring_notification_channel: {
    source: "monitoring/resource_monitoring_notification_channel.go:176",
    paths: ["project"],
  },
  google_monitoring_uptime_check_config: {
    source: "monitoring/resource_monitoring_uptime_check_config.go:88-461",
    paths: [
      "checker_type",
      "http_check.auth_info.password_wo_version",
      "http_check.request_method",
      "monitored_resource",
      "resource_group",
      "synthetic_monitor",
      "project",
    ],
  },
  google_project_service: {
    source: "resourcemanager/resource_google_project_service.go:116,123",
    paths: ["service", "project"],
  },
  google_secret_manager_secret: {
    source: "secretmanager/resource_secret_manager_secret.go:50-56,92-352",
    paths: ["replication", "secret_id", "tags", "project"],
  },
  google_secret_manager_secret_iam_member: {
    source:
      "secretmanager/iam_secret_manager_secret.go:35-44 and tpgiamresource/resource_iam_member.go:63-97",
    paths: ["project", "secret_id", ...IAM_MEMBER],
  },
  google_service_account: {
    source: "resourcemanager/resource_google_service_account.go:72,97",
    paths: ["account_id", "project"],
  },
  terraform_data: {
    source: "hashicorp/terraform v1.9.8 internal/builtin/providers/terraform/resource_data.go:91-93",
    paths: ["triggers_replace"],
  },
};
