/**
 * Prerequisites in the sandbox project and its GTM container, read as the deploy's identity: billing,
 * the two APIs the stack cannot enable itself, the deployer's permissions, the container, the token,
 * the state bucket and the DNS zone. A denied or failed read is a failed check with its fix.
 */
import { fail, pass, skip } from "../doctor/context";
import { firstLine, googleFailure } from "../doctor/errors";
import { containerPathOf } from "../gtm/apply/workspace-read";
import type { Prerequisite } from "./prerequisite-types";

/**
 * What the deploy's identity needs on the project, per role of the deployer table (docs/deploy.md,
 * "Prerequisites and deployer roles"), for what an acceptance environment creates (google-managed
 * certificates, no monitoring, budget or Cloud Armor). One or more permissions each role grants.
 */
export const DEPLOYER_PERMISSIONS: readonly {
  readonly role: string;
  readonly permissions: readonly string[];
}[] = [
  { role: "roles/serviceusage.serviceUsageAdmin", permissions: ["serviceusage.services.enable"] },
  { role: "roles/browser", permissions: ["resourcemanager.projects.get"] },
  { role: "roles/run.admin", permissions: ["run.services.create", "run.services.setIamPolicy"] },
  { role: "roles/iam.serviceAccountAdmin", permissions: ["iam.serviceAccounts.create"] },
  { role: "roles/iam.serviceAccountUser", permissions: ["iam.serviceAccounts.actAs"] },
  {
    role: "roles/secretmanager.admin",
    permissions: [
      "secretmanager.secrets.create",
      "secretmanager.secrets.setIamPolicy",
      "secretmanager.versions.add",
    ],
  },
  {
    role: "roles/compute.loadBalancerAdmin",
    permissions: [
      "compute.globalAddresses.create",
      "compute.regionNetworkEndpointGroups.create",
      "compute.backendServices.create",
      "compute.urlMaps.create",
      "compute.sslCertificates.create",
    ],
  },
  { role: "roles/compute.securityAdmin", permissions: ["compute.sslPolicies.create"] },
  { role: "roles/logging.configWriter", permissions: ["logging.exclusions.create"] },
];
/** With `--dns-zone` (the zone is in the same project). */
export const DNS_PERMISSIONS = { role: "roles/dns.admin", permissions: ["dns.changes.create"] } as const;

/** The two APIs the provider reads the project through, so the stack cannot switch them on (docs/deploy.md). */
export const BOOTSTRAP_APIS = ["cloudresourcemanager.googleapis.com", "serviceusage.googleapis.com"] as const;

export const billingCheck: Prerequisite = {
  name: "billing",
  forCleanup: false,
  async run(ctx) {
    const { project } = ctx.plan.inputs;
    const what = `the billing of project ${project}`;
    try {
      if (await ctx.reads.billingEnabled(project)) return pass(`billing is enabled on ${project}`);
      return fail(
        `billing is not enabled on ${project}: Cloud Run, the load balancer and the certificate need it`,
        `gcloud billing projects link ${project} --billing-account <ACCOUNT_ID>   # Billing > Account management shows the id`,
      );
    } catch (error) {
      return googleFailure(error, {
        what,
        notFound: { detail: `project ${project} does not exist (or is not visible)`, fix: "check --project" },
        permission: `the identity needs resourcemanager.projects.get on ${project} (roles/browser), and the Cloud Billing API enabled: gcloud services enable cloudbilling.googleapis.com --project ${project}`,
      });
    }
  },
};

export const apisCheck: Prerequisite = {
  name: "apis",
  forCleanup: false,
  async run(ctx) {
    const { project } = ctx.plan.inputs;
    const enable = `gcloud services enable ${BOOTSTRAP_APIS.join(" ")} --project ${project}`;
    const disabled: string[] = [];
    for (const service of BOOTSTRAP_APIS) {
      try {
        if ((await ctx.reads.serviceState(project, service)) !== "ENABLED") disabled.push(service);
      } catch (error) {
        // Service Usage answers 403 when Service Usage itself is off: that is the answer, not a denial.
        if (/SERVICE_DISABLED|has not been used|is disabled/i.test(firstLine(error))) disabled.push(service);
        else
          return googleFailure(error, {
            what: `the APIs of project ${project}`,
            notFound: {
              detail: `project ${project} does not exist (or is not visible)`,
              fix: "check --project",
            },
            permission: `the identity needs serviceusage.services.get on ${project} (roles/serviceusage.serviceUsageAdmin); or enable them: ${enable}`,
          });
      }
    }
    if (disabled.length > 0) {
      return fail(
        `${disabled.join(", ")} not enabled on ${project}: the stack cannot enable them itself`,
        enable,
      );
    }
    return pass(`${BOOTSTRAP_APIS.join(", ")} enabled (the stack enables the others)`);
  },
};

export const permissionsCheck: Prerequisite = {
  name: "deployer-permissions",
  forCleanup: false,
  async run(ctx) {
    const { project, dnsZone } = ctx.plan.inputs;
    const roles = [...DEPLOYER_PERMISSIONS, ...(dnsZone ? [DNS_PERMISSIONS] : [])];
    let granted: Set<string>;
    try {
      granted = new Set(
        await ctx.reads.grantedPermissions(
          project,
          roles.flatMap((r) => r.permissions),
        ),
      );
    } catch (error) {
      return googleFailure(error, {
        what: `the identity's permissions on ${project}`,
        notFound: { detail: `project ${project} does not exist (or is not visible)`, fix: "check --project" },
        permission: "testIamPermissions needs no permission: check the project id and the identity",
      });
    }
    const missing = roles.filter((r) => r.permissions.some((p) => !granted.has(p)));
    if (missing.length === 0) return pass(`the deploy's roles (${roles.length}) are granted on ${project}`);
    const lacking = missing.map(
      (r) => `${r.role} (${r.permissions.filter((p) => !granted.has(p)).join(", ")})`,
    );
    return fail(
      `the identity lacks ${lacking.join("; ")} on ${project}`,
      missing
        .map(
          (r) =>
            `gcloud projects add-iam-policy-binding ${project} --member <user:YOU or serviceAccount:EMAIL> --role ${r.role}`,
        )
        .join("\n"),
    );
  },
};

export const gtmContainerCheck: Prerequisite = {
  name: "gtm-container",
  forCleanup: false,
  async run(ctx) {
    const path = containerPathOf(ctx.env.gtm);
    try {
      const usage = await ctx.reads.containerUsage(path);
      if (!usage.includes("server")) {
        return fail(
          `${path} is a ${usage.join("/") || "non-server"} container: the kit sets up server containers only`,
          "pass a server container's ids (--gtm-account, --gtm-container: Admin > Container settings of a server container)",
        );
      }
      return pass(`${path} is a server container the identity can read`);
    } catch (error) {
      return googleFailure(error, {
        what: `GTM container ${path}`,
        notFound: {
          detail: `GTM container ${path} does not exist`,
          fix: "check --gtm-account and --gtm-container (the ids in the GTM URL)",
        },
        permission: `add the identity as a user of ${path} with Publish (GTM > Admin > User Management)`,
      });
    }
  },
};

export const tokenCheck: Prerequisite = {
  name: "tiktok-token",
  forCleanup: false,
  async run(ctx) {
    const { inputs, tokenVariable } = ctx.plan;
    if (!inputs.pixel) {
      return skip(
        "no --pixel: the run proves the infrastructure and GTM; TikTok is not part of it",
        "pass --pixel (and --test-event-code) to include TikTok",
      );
    }
    if (inputs.tokenSecret) {
      try {
        if (await ctx.reads.secretHasVersion(inputs.project, inputs.tokenSecret)) {
          return pass(`the token comes from secret ${inputs.tokenSecret}`);
        }
        return fail(
          `secret ${inputs.tokenSecret} has no enabled version`,
          `printf %s "$TOKEN" | gcloud secrets versions add ${inputs.tokenSecret} --project ${inputs.project} --data-file=-`,
        );
      } catch (error) {
        return googleFailure(error, {
          what: `secret ${inputs.tokenSecret}`,
          notFound: {
            detail: `secret ${inputs.tokenSecret} does not exist in ${inputs.project}`,
            fix: "check --token-secret",
          },
          permission: `the identity needs roles/secretmanager.secretAccessor on secret ${inputs.tokenSecret}`,
        });
      }
    }
    if (ctx.vars[tokenVariable]) return pass(`the token comes from $${tokenVariable}`);
    return fail(
      `$${tokenVariable} is not set: the deploy puts the TikTok token into the run's secret`,
      `read -rs ${tokenVariable} && export ${tokenVariable}   # paste the token (TikTok Events Manager > pixel > Settings), then Enter`,
    );
  },
};

export const stateBucketCheck: Prerequisite = {
  name: "state-bucket",
  forCleanup: false,
  async run(ctx) {
    const { stateBucket: bucket } = ctx.plan.inputs;
    if (!bucket) {
      return skip(
        `local Terraform state in ${ctx.plan.layout.localTerraformState}: keep the folder until the run is cleaned up`,
        "pass --state-bucket where the machine is thrown away (CI)",
      );
    }
    try {
      await ctx.reads.bucketExists(bucket);
      return pass(`state in gs://${bucket}/sgtm-acceptance/${ctx.plan.inputs.name}`);
    } catch (error) {
      return googleFailure(error, {
        what: `bucket ${bucket}`,
        notFound: {
          detail: `bucket ${bucket} does not exist`,
          fix: `gcloud storage buckets create gs://${bucket} --project ${ctx.plan.inputs.project}`,
        },
        permission: `the identity needs roles/storage.objectAdmin on bucket ${bucket}`,
      });
    }
  },
};

export const dnsZoneCheck: Prerequisite = {
  name: "dns-zone",
  forCleanup: false,
  async run(ctx) {
    const { dnsZone: zone, project, domain } = ctx.plan.inputs;
    if (!zone)
      return skip(
        "no --dns-zone: you create the two A records (printed after the deploy)",
        "pass --dns-zone to have the stack create them",
      );
    try {
      const dnsName = await ctx.reads.dnsZoneName(project, zone);
      if (`${domain}.` === dnsName || `${domain}.`.endsWith(`.${dnsName}`))
        return pass(`zone ${zone} (${dnsName}) holds ${domain}`);
      return fail(
        `zone ${zone} is ${dnsName}, which does not hold ${domain}`,
        "pass the zone that holds --domain",
      );
    } catch (error) {
      return googleFailure(error, {
        what: `DNS zone ${zone}`,
        notFound: {
          detail: `zone ${zone} does not exist in ${project}`,
          fix: "check --dns-zone (gcloud dns managed-zones list)",
        },
        permission: `the identity needs roles/dns.admin on ${project}`,
      });
    }
  },
};
