/** The patterns of the schema's free-text values, and how error messages describe them. */
export const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const GCP_PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
export const NUMERIC_ID = /^[0-9]{1,20}$/;
export const IAM_MEMBER = /^(user|serviceAccount|group|principal|principalSet):.+$/;
export const EMAIL = /^[^@\s]+@[^@\s]+\.[A-Za-z]{2,63}$/;
export const NOTIFICATION_CHANNEL =
  /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/notificationChannels\/[0-9]{1,20}$/;
export const BILLING_ACCOUNT = /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/;
export const DNS_NAME = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+$/;
export const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
export const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

/** Regexes reused by error messages ("allowed: ...", and the fix where one fits every wrong value). */
export const PATTERN_HINTS: ReadonlyArray<readonly [RegExp, string, string?]> = [
  [HOSTNAME, "a lowercase hostname such as sgtm.shop.com"],
  [GCP_PROJECT_ID, "a GCP project id: 6-30 lowercase letters, digits and hyphens, starting with a letter"],
  [NUMERIC_ID, "the numeric id from the GTM URL (accounts/<id>/containers/<id>)"],
  [IAM_MEMBER, "an IAM member such as serviceAccount:ci@project.iam.gserviceaccount.com or user:me@shop.com"],
  [
    EMAIL,
    "an email address such as ops@shop.com",
    "write one plain address per entry (no name, no <>); an existing channel goes in monitoring.channels",
  ],
  [
    NOTIFICATION_CHANNEL,
    "a channel id such as projects/shop-sgtm-prod/notificationChannels/1234567890",
    "copy the full name from `gcloud beta monitoring channels list --project <project> --format='value(name)'`",
  ],
  [
    BILLING_ACCOUNT,
    "a billing account id such as 01ABCD-23EF45-6789AB",
    "copy it from `gcloud billing projects describe <project> --format='value(billingAccountName)'`, without billingAccounts/",
  ],
  [
    DNS_NAME,
    "a DNS name in lowercase with its final dot, such as shop.com.",
    "copy it from `gcloud dns managed-zones describe <zone> --format='value(dnsName)'`",
  ],
];
