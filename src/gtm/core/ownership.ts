/**
 * Which entities the kit owns. Tags, triggers and variables carry a marker line in `notes`; nothing
 * else is trusted (a name prefix can be typed by hand). Templates and built-in variables have no notes:
 * the template is recognised by its gallery coordinates, built-ins by type, and the kit never deletes
 * or disables either.
 */

/** Every name the kit gives starts with this, so people recognise the kit's entities in the GTM UI. */
export const NAME_PREFIX = "TikTok Kit | ";

const MARKER_KEY = "managed-by: sgtm-tiktok-kit";
const MARKER_LINE = /^managed-by: sgtm-tiktok-kit (\S+)[ \t]*$/m;

/** The marker line for a stack; adopting a hand-made entity means adding exactly this line to its notes. */
export function ownershipMarker(stack: string): string {
  return `${MARKER_KEY} ${stack}`;
}

/** Notes of every owned entity: the marker first, then why edits in the UI do not last. */
export function ownedNotes(stack: string, purpose: string): string {
  return [
    ownershipMarker(stack),
    purpose,
    `Edits made in GTM are reverted by the next apply: change the ${stack} environment file instead.`,
  ].join("\n");
}

/** The stack named by the marker line of `notes`, if any. */
export function ownerOf(notes: string | null | undefined): string | undefined {
  return notes ? MARKER_LINE.exec(notes)?.[1] : undefined;
}

export function isOwnedBy(entity: { readonly notes?: string | null }, stack: string): boolean {
  return ownerOf(entity.notes) === stack;
}
