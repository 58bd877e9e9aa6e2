import {
  BillingBudget,
  Construct,
  DataGoogleProject,
  GoogleProvider,
  type ITerraformDependable,
} from "./cdktf";

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
  /** Notified at each threshold (at most 5). Empty: the billing account's administrators only. */
  readonly notificationChannels: readonly string[];
  /** Labels for the provider this construct adds (see below). */
  readonly labels: Readonly<Record<string, string>>;
  readonly dependsOn: readonly ITerraformDependable[];
}

/** Spent share (current spend) that notifies; 100% of the forecast notifies as well. */
export const BUDGET_THRESHOLDS = [0.5, 0.9, 1] as const;

/**
 * A monthly budget alert for one environment: the labelled costs of its project, notified at 50%, 90%
 * and 100% of the amount and when the month's forecast reaches 100%. A budget does not stop spending.
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
      allUpdatesRule: {
        monitoringNotificationChannels: props.notificationChannels.slice(0, 5),
        disableDefaultIamRecipients: false,
      },
      dependsOn: [...props.dependsOn],
    });
  }
}
