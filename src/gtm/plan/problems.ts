/**
 * What the checks find, as data: each problem names its code and the facts its message is made of.
 * `severity` sorts it into the plan's errors (the plan cannot be applied) or warnings.
 */
import type { OwnedKind } from "../core/kinds";

export type Severity = "error" | "warning";

/** An entity as the messages name it: `tag "TikTok Kit | Purchase (purchase)"`. */
export interface EntityRef {
  readonly kind: OwnedKind;
  readonly name: string;
}

export type PlanProblem = { readonly severity: Severity } & (
  | {
      readonly code: "name-clash";
      readonly kind: OwnedKind;
      readonly name: string;
      readonly stack: string;
    }
  | { readonly code: "missing-variable"; readonly kind: "variable"; readonly name: string }
  | {
      readonly code: "double-sending";
      readonly kind: "tag";
      readonly name: string;
      /** The name of the template the tag is built on, and its gallery `owner/repository` if any. */
      readonly template: string;
      readonly repository?: string;
      /** GA4 events both this hand-made tag and the kit's tags send, sorted. */
      readonly events: readonly string[];
    }
  | {
      /** A hand-made TikTok sender that sends nothing now: paused, or without a firing trigger. */
      readonly code: "idle-sender";
      readonly kind: "tag";
      readonly name: string;
      readonly template: string;
      readonly repository?: string;
      readonly why: "paused" | "no-trigger";
    }
  | {
      readonly code: "client-missing";
      /** Configured clients the live version does not have, in the configured order. */
      readonly missing: readonly string[];
      /** Client names of the live version, sorted. */
      readonly clients: readonly string[];
    }
  | {
      /** A client receiving GA4-named events that gtm.clients does not list. */
      readonly code: "client-not-named";
      readonly name: string;
      readonly clientKind: "ga4" | "data-client";
      /** gtm.clients, as configured. */
      readonly configured: readonly string[];
    }
  | {
      readonly code: "template-version";
      readonly kind: "template";
      readonly name?: string;
      readonly version: string;
      readonly pinned: string;
    }
  | { readonly code: "template-modified"; readonly kind: "template"; readonly name?: string }
  | {
      readonly code: "several-templates";
      readonly kind: "template";
      readonly names: readonly string[];
      readonly used: string;
    }
  | {
      /** A template that is not the gallery's has the name the import would give: GTM refuses the import. */
      readonly code: "template-name-clash";
      readonly kind: "template";
      readonly name: string;
      readonly templateId?: string;
      /** `owner/repository` of the clashing template when it comes from another gallery entry. */
      readonly repository?: string;
      /** `owner/repository` the kit imports. */
      readonly gallery: string;
    }
  | {
      readonly code: "template-type-unknown";
      readonly kind: "template";
      readonly name?: string;
      readonly displayName: string;
      readonly templateId?: string;
      /** Tags the kit would have to write with the unknown type (then an error). */
      readonly blockedTags: readonly string[];
    }
  | {
      readonly code: "still-referenced";
      readonly kind: OwnedKind;
      readonly name: string;
      /** Hand-made entities that use it, sorted by name within kind. */
      readonly users: readonly EntityRef[];
    }
  | {
      readonly code: "identifier-may-be-number";
      /** The tag field: `external_id` or `sha256_external_id`. */
      readonly field: string;
      /** The event data key path it is read from. */
      readonly keyPath: string;
      /** Tags sending it, sorted. */
      readonly tags: readonly string[];
    }
  | {
      readonly code: "phone-not-normalised";
      /** Where the plain phone comes from, as the message names it. */
      readonly source: string;
      readonly tags: readonly string[];
    }
  | {
      readonly code: "unknown-ga4-event";
      /** The event map key GA4 does not send, and the known event it is probably a typo of. */
      readonly event: string;
      readonly suggestion?: string;
    }
  | {
      readonly code: "shared-container";
      readonly stack: string;
      /** The other stacks whose marker entities in the container carry, sorted. */
      readonly owners: readonly string[];
      /** How many tags, triggers and variables they own. */
      readonly entities: number;
    }
  | {
      readonly code: "mass-delete";
      readonly stack: string;
      /** Owned entities the plan deletes, and how many the stack owns in the container. */
      readonly deletes: number;
      readonly owned: number;
    }
  | {
      readonly code: "first-version";
      /** The clients the kit's triggers require. */
      readonly clients: readonly string[];
    }
  | {
      /** The container read names no id: whether it is the environment's cannot be checked. */
      readonly code: "container-unnamed";
      readonly publicId?: string;
      readonly wanted: string;
    }
  | {
      readonly code: "container-mismatch";
      readonly containerId: string;
      readonly publicId?: string;
      readonly wanted: string;
    }
);

export type ProblemCode = PlanProblem["code"];
