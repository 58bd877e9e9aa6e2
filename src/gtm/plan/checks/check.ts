/**
 * The shape every plan check has (cdk-nag's rule shape): a pure function of what the plan was computed
 * from and what the differ found, returning problems as data. Wording is the renderers' business.
 */
import type { DesiredContainer } from "../../model/types";
import type { ActualWorkspace } from "../actual";
import type { PlanProblem } from "../problems";
import type { PlanChange, PlanTemplate } from "../types";

export interface CheckInput {
  readonly desired: DesiredContainer;
  readonly actual: ActualWorkspace;
  readonly template: PlanTemplate;
  readonly changes: readonly PlanChange[];
}

export type PlanCheck = (input: CheckInput) => readonly PlanProblem[];
