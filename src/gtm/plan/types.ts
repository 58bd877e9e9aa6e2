/**
 * The plan's types. What the differ computes is data: codes, names and values. The words a reviewer
 * reads (problem messages, the publish reason) are the renderers' (`render/wording.ts`), so rewording
 * a message changes no check and no field of the JSON contract (`render/document.ts`).
 */
import type { OwnedKind } from "../core/kinds";
import type { DesiredEntityOf, PlanEnvironment } from "../model/types";
import type { PlanProblem } from "./problems";

export const PLAN_FORMAT_VERSION = 1;

export interface PlanOptions {
  /** Hex SHA-256 of the access token, when the token is available to the plan. */
  readonly tokenHash?: string;
}

/** Why a field shows no visible difference although its values differ. */
export type HiddenDifference = "compared-by-hash" | "not-shown";

export interface FieldDiff {
  readonly field: string;
  /** Display text; null when the field is absent on that side. */
  readonly before: string | null;
  readonly after: string | null;
  readonly hidden?: HiddenDifference;
}

/** Where an existing entity lives: the update and delete target, and the update's guard. */
interface Located {
  /** API path; absent only when the actual state came from a UI export (such a plan is never applied). */
  readonly path?: string;
  /** Fingerprint read with the entity: a full-replace PUT carrying it fails if the entity moved. */
  readonly fingerprint?: string;
}

type ChangeOf<K extends OwnedKind> =
  | {
      readonly action: "create";
      readonly kind: K;
      readonly name: string;
      /** The full desired body; the token as a marker, triggers by name. */
      readonly body: DesiredEntityOf<K>;
      readonly diff: readonly FieldDiff[];
    }
  | ({
      readonly action: "update";
      readonly kind: K;
      readonly name: string;
      readonly body: DesiredEntityOf<K>;
      readonly diff: readonly FieldDiff[];
    } & Located)
  | ({
      readonly action: "delete";
      readonly kind: K;
      readonly name: string;
      readonly diff: readonly FieldDiff[];
    } & Located);

export type PlanChange = ChangeOf<"variable"> | ChangeOf<"trigger"> | ChangeOf<"tag">;
export type ChangeAction = PlanChange["action"];

export interface PlanTemplate {
  /** `none`: a retirement needs no template (and the kit never deletes one). */
  readonly action: "import" | "reuse" | "none";
  readonly gallery: {
    readonly host: string;
    readonly owner: string;
    readonly repository: string;
    readonly sha: string;
  };
  readonly displayName: string;
  /** The reused template (action `reuse`). */
  readonly templateId?: string;
  readonly name?: string;
  /** Tag type of the reused template; for `import`, known only once apply has imported it. */
  readonly tagType?: string;
}

/** What differs between the live version and the desired entities. */
export type LiveDifference =
  | { readonly kind: OwnedKind; readonly name: string; readonly noLongerDesired: boolean }
  | { readonly kind: "built-in"; readonly name: string };

export type LiveComparison =
  | { readonly status: "never-published" }
  | { readonly status: "matches" }
  | {
      readonly status: "differs";
      readonly versionId: string;
      readonly differences: readonly LiveDifference[];
    };

export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly environment: PlanEnvironment;
  readonly template: PlanTemplate;
  /** Built-in variable types to enable (never disabled). */
  readonly builtIns: readonly string[];
  readonly token: {
    readonly variable: string;
    /**
     * `not compared`: no token hash was given, so the value is left as it is. `removed`: the
     * environment is retiring, the token's constant goes with the rest.
     */
    readonly status: "create" | "unchanged" | "changed" | "not compared" | "removed";
  };
  /** Dependency order: variables, triggers, tags for creates/updates; tags, triggers, variables for deletes. */
  readonly changes: readonly PlanChange[];
  /** A plan with errors must not be applied. */
  readonly errors: readonly PlanProblem[];
  readonly warnings: readonly PlanProblem[];
  readonly publish: {
    /** Whether the live version differs from the desired entities (before this plan's changes). */
    readonly liveDiffers: boolean;
    readonly live: LiveComparison;
    /** The environment's default (`gtm.publish`); the CLI may override it. */
    readonly byDefault: boolean;
  };
  /** `sha256:<hex>` of the actual state read; apply recomputes it (`computeBasis`) and refuses on mismatch. */
  readonly basis: string;
  readonly summary: {
    readonly create: number;
    readonly update: number;
    readonly delete: number;
    readonly errors: number;
    readonly warnings: number;
  };
  /** Anything to write: entity changes, a template import or built-ins to enable. */
  readonly hasChanges: boolean;
}

/** What apply compares of a reviewed plan (read back from its JSON file, where these fields are as here). */
export type ReviewedPlan = Pick<Plan, "environment" | "basis" | "template" | "builtIns" | "changes">;
