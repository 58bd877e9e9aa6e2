/**
 * The kinds of entity the kit owns, in dependency order: a trigger may reference a variable, a tag both.
 * A module of its own so the model and the normalizer can share it without importing each other.
 */
export type OwnedKind = "variable" | "trigger" | "tag";

/** Creates and updates run in this order, deletes in the reverse. */
export const OWNED_KINDS: readonly OwnedKind[] = ["variable", "trigger", "tag"];
