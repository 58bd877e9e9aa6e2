import {
  BillingBudget,
  Construct,
  DataGoogleProject,
  GoogleProvider,
  type ITerraformDependable,
  TerraformOutput,
} from "./cdktf";
import type { EmailChannel } from "./monitoring";

export interface BudgetProps {
  readonly project: string;
  readonly stackName: string;
  /** `XXXXXX-XXXXXX-XXXXXX`. The deployer needs roles/billing.costsManager on it. */
  readonly billingAccount: string;
  /** Whole units of the billing account's currency. */
  readonly monthlyAmount: number;
  /** Must be the billing account's currency. Unset: the account's own. */
  readonly currency?: string;
  /** Costs counted: those of the project that carry this label (the environment's). */
  readonly label: { readonly key: string; readonly value: string };
  /** The email channels the stack created (the first five by address are notified). */
  readonly emailChannels: readonly EmailChannel[];
  /** Channels the alert policies notify that the budget cannot (existing ones, of unknown type). */
  readonly otherChannels: readonly string[];
  /** Labels for the provider this construct adds (see below). */
  readonly labels: Readonly<Record<string, string>>;
  readonly dependsOn: readonly ITerraformDependable[];
}

/** Spent share (current spend) that notifies; 100% of the forecast notifies as well. */
export const BUDGET_THRESHOLDS = [0.5, 0.9, 1] as const;

/** The Budget API notifies at most this many channels (docs/facts/provider-google.md#billing-budgets). */
export const BUDGET_CHANNEL_LIMIT = 5;

export const DEFAULT_BUDGET_RECIPIENTS = "the billing account's administrators and users (always)";

export interface BudgetRecipients {
  /** Channel IDs the budget notifies, at most five, email channels only. */
  readonly channels: readonly string[];
  /** Who gets the budget's emails, in words. */
  readonly notified: readonly string[];
  /** Who the alert policies notify but the budget does not, and why. */
  readonly notNotified: readonly string[];
}

/**
 * Who a budget can notify: Billing Budgets takes Cloud Monitoring *email* channels only, five at most,
 * on top of the billing account's administrators and users. The stack's own email channels qualify
 * (the first five by address); an existing channel may be of any type, so it is left out and said so.
 */
export function budgetRecipients(
  emailChannels: readonly EmailChannel[],
  otherChannels: readonly string[],
): BudgetRecipients {
  const taken = emailChannels.slice(0, BUDGET_CHANNEL_LIMIT);
  return {
    channels: taken.map((c) => c.channel),
    notified: [DEFAULT_BUDGET_RECIPIENTS, ...taken.map((c) => c.address)],
    notNotified: [
      ...emailChannels
        .slice(BUDGET_CHANNEL_LIMIT)
        .map(
          (c) =>
            `${c.address}: a budget notifies at most ${BUDGET_CHANNEL_LIMIT} email channels (the first ${BUDGET_CHANNEL_LIMIT} of monitoring.emails by address); the alert policies still notify it`,
        ),
      ...otherChannels.map(
        (channel) =>
          `${channel}: Billing Budgets sends to email channels only and the stack cannot tell this channel's type; the alert policies still notify it (for budget emails, add its address to monitoring.emails)`,
      ),
    ],
  };
}

/**
 * A monthly budget alert for one environment: the labelled costs of its project, notified at 50%, 90%
 * and 100% of the amount and when the month's forecast reaches 100%. A budget does not stop spending.
 * Who it notifies is in the `budget` output (see `budgetRecipients`).
 *
 * The Budget API needs a quota project for user credentials, so the budget goes through a provider of
 * its own that bills its calls to the environment's project (`user_project_override`), leaving every
 * other call as it was.
 */
export class Budget extends Construct {
  readonly budget: BillingBudget;

  constructor(scope: Construct, id: string, props: BudgetProps) {
    super(scope, id);
    const provider = new GoogleProvider(this, "provider", {
      alias: "billing",
      project: props.project,
      billingProject: props.project,
      userProjectOverride: true,
    });
    // Same override as the stack's provider: the binding would snake_case the keys.
    provider.addOverride("default_labels", { ...props.labels });
    const project = new DataGoogleProject(this, "project", { projectId: props.project });
    const recipients = budgetRecipients(props.emailChannels, props.otherChannels);
    this.budget = new BillingBudget(this, "budget", {
      provider,
      billingAccount: props.billingAccount,
      displayName: `sGTM ${props.stackName}`.slice(0, 60),
      amount: {
        specifiedAmount: { units: String(props.monthlyAmount), currencyCode: props.currency },
      },
      budgetFilter: {
        projects: [`projects/${project.number}`],
        labels: { [props.label.key]: props.label.value },
        calendarPeriod: "MONTH",
        creditTypesTreatment: "INCLUDE_ALL_CREDITS",
      },
      thresholdRules: [
        ...BUDGET_THRESHOLDS.map((thresholdPercent) => ({ thresholdPercent, spendBasis: "CURRENT_SPEND" })),
        { thresholdPercent: 1, spendBasis: "FORECASTED_SPEND" },
      ],
      // Without a channel the block is left out: the provider sends nothing of an empty one but its
      // schema version, it is read back absent (a diff on every plan), and the provider wants a channel
      // or a topic in it (docs/facts/provider-google.md#billing-budgets). The default recipients are
      // notified either way.
      allUpdatesRule:
        recipients.channels.length > 0
          ? { monitoringNotificationChannels: [...recipients.channels], disableDefaultIamRecipients: false }
          : undefined,
      dependsOn: [...props.dependsOn],
    });
    new TerraformOutput(this, "output", {
      description: "Who the budget alert notifies, and who the alert policies notify that it cannot",
      value: { notified: recipients.notified, not_notified: recipients.notNotified },
    }).overrideLogicalId("budget");
  }
}
