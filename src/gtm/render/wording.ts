/**
 * The words of a plan: problem messages, the publish reason, why a difference is not shown. The plan
 * holds data; text, Markdown and the JSON document all take their wording from here, so a rephrasing
 * changes no check.
 */
import { ownershipMarker } from "../core/ownership";
import type { PlanProblem } from "../plan/problems";
import type { HiddenDifference, LiveComparison, LiveDifference } from "../plan/types";

const quoted = (names: readonly string[]) => names.map((name) => `"${name}"`).join(", ");

/** `template "TikTok Events API", stape-io/tiktok-tag`. */
const senderTemplate = (problem: { readonly template: string; readonly repository?: string }) =>
  `template "${problem.template}"${problem.repository ? `, ${problem.repository}` : ""}`;

export function problemMessage(problem: PlanProblem): string {
  switch (problem.code) {
    case "name-clash": {
      const { kind, name, stack } = problem;
      return `${kind} "${name}" already exists and was not made by the kit for ${stack}. To let the kit manage it, add the line "${ownershipMarker(stack)}" to its notes in the GTM UI (the next apply then overwrites it); otherwise rename it.`;
    }
    case "shared-container": {
      const { stack, owners, entities } = problem;
      const others = owners.join(", ");
      return `the container holds ${entities} entities the kit manages for ${others}: two environments cannot share a GTM container (sgtm validate rejects it; each apply would undo the other's). Give ${stack} a container of its own (gtm.containerId). Only if ${others} no longer exists (removed, or renamed to ${stack}): change the marker line of those entities to "${ownershipMarker(stack)}" in the GTM UI.`;
    }
    case "missing-variable":
      return `the event map references the variable "${problem.name}" ({ variable: ${problem.name} }), but the workspace has no variable of that name: create it in GTM or fix the name`;
    case "still-referenced": {
      const how = problem.kind === "variable" ? ` as {{${problem.name}}}` : "";
      const using = problem.users.map((u) => `${u.kind} "${u.name}"`).join(", ");
      return `the kit would delete ${problem.kind} "${problem.name}" (no longer in the configuration), but hand-made entities still use it${how}: ${using}. GTM would then refuse to create the version, after all the other writes. Fix: remove the reference in GTM, or keep the event in the environment file.`;
    }
    case "container-mismatch": {
      const { containerId, publicId, wanted } = problem;
      return `the container read is ${containerId}${publicId ? ` (${publicId})` : ""}, not the environment's container ${wanted} (gtm.containerId): this plan compares the configuration with another container. Export the container ${wanted} (Admin > Export Container), or fix gtm.containerId.`;
    }
    case "container-unnamed": {
      const { publicId, wanted } = problem;
      return `the container read names no container id (its accountId and containerId are blank${publicId ? `; it calls itself ${publicId}` : ""}): the plan cannot check that it is the environment's container ${wanted} (gtm.containerId). Export the container ${wanted} again from GTM (Admin > Export Container), which writes its ids.`;
    }
    case "double-sending":
      return `double-sending: the hand-made tag "${problem.name}" sends to TikTok's Events API (${senderTemplate(problem)}) and fires on ${problem.events.join(", ")}, which the kit's tags send too; TikTok receives those events twice (deduplicated only when both carry the same event_id and event name). Pause or delete "${problem.name}" in GTM once the kit's tags are published.`;
    case "idle-sender": {
      const state = problem.why === "paused" ? "is paused" : "has no firing trigger";
      const wakes = problem.why === "paused" ? "unpaused" : "given a trigger";
      return `the hand-made tag "${problem.name}" can send to TikTok's Events API (${senderTemplate(problem)}) but ${state}, so it sends nothing now; if it is ${wakes}, TikTok receives the events the kit sends twice. Delete it in GTM if the kit's tags replace it.`;
    }
    case "identifier-may-be-number":
      return `${quoted(problem.tags)} ${problem.tags.length === 1 ? "sends" : "send"} event data ${problem.keyPath} as ${problem.field}: ids often arrive as numbers, and the TikTok template hashes ${problem.field} with string functions, so a number makes the whole tag fail (nothing is sent). The server container cannot turn it into a string: make the web side send ${problem.keyPath} as a string (e.g. String(id) in the dataLayer push), or map a variable that returns a string.`;
    case "phone-not-normalised":
      return `${quoted(problem.tags)} ${problem.tags.length === 1 ? "sends" : "send"} ${problem.source} as phone: the TikTok template only trims and lower-cases a phone before hashing it, so "+49 170 1234567" and "+491701234567" hash differently and only the E.164 form (+, country code, digits only) matches. Make sure it holds E.164 strings (normalise on the web side), or map sha256Phone with the SHA-256 of the E.164 form.`;
    case "unknown-ga4-event": {
      const { event, suggestion } = problem;
      const guess = suggestion ? `did you mean ${suggestion}? ` : "";
      return `tiktok.events.${event}: GA4 sends no event named "${event}" by itself (not a recommended, enhanced-measurement or automatic event), so its trigger fires only if the site sends exactly that name. ${guess}If it is the site's own event, mark it customGa4Event: true.`;
    }
    case "mass-delete": {
      const { stack, deletes, owned } = problem;
      const all = deletes === owned ? " (all of them)" : "";
      return `the plan deletes ${deletes} of the ${owned} entities the kit manages for ${stack} in this container${all}: apply refuses without --allow-mass-delete. If that is meant (an emptied event map?), review this plan and run \`sgtm gtm apply --env ${stack} --allow-mass-delete\`; a deploy's GTM step never passes it, so deploy again after that.`;
    }
    case "first-version":
      return `the container has never been versioned: GTM puts its default GA4 client into every new workspace, the kit's included, so the kit's first version publishes that client together with the kit's entities (the kit's tags fire only for events the ${problem.clients.length === 1 ? "client" : "clients"} ${quoted(problem.clients)} ${problem.clients.length === 1 ? "claims" : "claim"}; name it so). Apply refuses if GTM put anything else there.`;
    case "client-missing": {
      const [one] = problem.missing;
      const which =
        problem.missing.length === 1
          ? `no client named "${one}"`
          : `no clients named ${quoted(problem.missing)}`;
      return `the live version has ${which} (clients: ${quoted(problem.clients)}): the kit's triggers require {{Client Name}} to be ${problem.missing.length === 1 ? one : "one of them"} and would never fire for ${problem.missing.length === 1 ? "it" : "them"}. Set gtm.clients (or gtm.clientName) to the names the clients have in GTM.`;
    }
    case "client-not-named": {
      const what = problem.clientKind === "ga4" ? "a GA4 client" : "Stape's Data Client";
      const reads = problem.clientKind === "ga4" ? "x-ga-gcs" : "consent_state";
      return `the container's client "${problem.name}" (${what}) receives GA4 events but is not in gtm.clients (${quoted(problem.configured)}): the mapped events it claims never fire the kit's TikTok tags. If the site sends them through it, add "${problem.name}" to gtm.clients (its consent is then read from ${reads}); otherwise ignore this.`;
    }
    case "several-templates":
      return `the workspace holds ${problem.names.length} TikTok gallery templates (${quoted(problem.names)}); the kit uses the oldest, "${problem.used}"`;
    case "template-version":
      return `${templateNamed(problem.name)} is at ${problem.version.slice(0, 7)} while the kit pins ${problem.pinned.slice(0, 7)}; the kit never changes imported templates: update it in the GTM UI (Templates) when you choose to`;
    case "template-modified":
      return `${templateNamed(problem.name)} was modified after import; the kit's tags use it as it is`;
    case "template-name-clash": {
      const which = `the template "${problem.name}"${problem.templateId ? ` (template ${problem.templateId})` : ""}`;
      const origin = problem.repository
        ? `it comes from ${problem.repository}`
        : "it has no gallery reference: made by hand, or added from a file";
      return `${which} is not the gallery's ${problem.gallery} (${origin}), yet has the name the gallery import gives: GTM would refuse the import as a duplicate name. Rename that template in GTM (Templates); its tags keep working, and the kit then imports ${problem.gallery} next to it.`;
    }
    case "template-type-unknown": {
      const which = `"${problem.name ?? problem.displayName}" (template ${problem.templateId ?? "?"})`;
      const why = `the tag type of the TikTok template ${which} is unknown: its ___INFO___ id is missing or unresolved (cvt_temp_public_id) and its galleryReference has no galleryTemplateId`;
      return problem.blockedTags.length > 0
        ? `${why}, so the kit cannot write the tags ${quoted(problem.blockedTags)}. Plan against the workspace itself (the API returns the gallery id), or export with the tag type known.`
        : `${why}; the kit's existing tags keep the type they have (no update is planned because of it).`;
    }
  }
}

/** A template without a name (the API allows it) is not quoted as "undefined". */
function templateNamed(name: string | undefined): string {
  return name === undefined ? "the TikTok template (unnamed)" : `the TikTok template "${name}"`;
}

/** Why the live version does or does not need a publish. */
export function publishReason(live: LiveComparison): string {
  if (live.status === "never-published") return "no version of the container has been published yet";
  if (live.status === "matches") return "the live version already holds the kit's entities";
  const shown = live.differences.slice(0, 3).map(differenceText).join(", ");
  const more = live.differences.length > 3 ? ` and ${live.differences.length - 3} more` : "";
  return `the live version (${live.versionId}) differs from the desired entities: ${shown}${more}`;
}

function differenceText(difference: LiveDifference): string {
  if (difference.kind === "built-in") return `built-in variable ${difference.name}`;
  return `${difference.kind} "${difference.name}"${difference.noLongerDesired ? " (no longer desired)" : ""}`;
}

export const HIDDEN_DIFFERENCE_NOTE: Readonly<Record<HiddenDifference, string>> = {
  "compared-by-hash": "value differs (compared by SHA-256)",
  "not-shown": "value differs (not shown)",
};
