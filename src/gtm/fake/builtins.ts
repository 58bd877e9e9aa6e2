/**
 * Built-in variable types the fake accepts, with the display name a `{{...}}` reference uses, per kind
 * of container: a server container's and a web container's lists differ (`clientName` exists only in a
 * server container, `event` only in a web one), and a type of the other kind is rejected like a bad
 * enum value. Display names other than Event Name, Client Name and Event are best guesses (unverified).
 */
export const SERVER_BUILT_IN_VARIABLES: Readonly<Record<string, string>> = {
  eventName: "Event Name",
  clientName: "Client Name",
  containerId: "Container ID",
  containerVersion: "Container Version",
  debugMode: "Debug Mode",
  environmentName: "Environment Name",
  randomNumber: "Random Number",
  requestPath: "Request Path",
  requestMethod: "Request Method",
  queryString: "Query String",
  serverPageLocationUrl: "Page URL",
  serverPageLocationPath: "Page Path",
  serverPageLocationHostname: "Page Hostname",
  visitorRegion: "Visitor Region",
};

/**
 * A web container's built-in variables, the ones real web exports enable (EVENT, PAGE_URL,
 * PAGE_HOSTNAME, PAGE_PATH, REFERRER in google-marketing-solutions/gtm-boilerplate's web exports) and
 * a few more common ones.
 */
export const WEB_BUILT_IN_VARIABLES: Readonly<Record<string, string>> = {
  event: "Event",
  pageUrl: "Page URL",
  pageHostname: "Page Hostname",
  pagePath: "Page Path",
  referrer: "Referrer",
  clickElement: "Click Element",
  clickClasses: "Click Classes",
  clickId: "Click ID",
  clickTarget: "Click Target",
  clickUrl: "Click URL",
  clickText: "Click Text",
  containerId: "Container ID",
  containerVersion: "Container Version",
  debugMode: "Debug Mode",
  environmentName: "Environment Name",
  randomNumber: "Random Number",
};

/** The built-in variables of a container of `usageContext` (a server container's unless it lists no `server`). */
export function builtInVariablesOf(usageContext: readonly string[]): Readonly<Record<string, string>> {
  return usageContext.includes("server") ? SERVER_BUILT_IN_VARIABLES : WEB_BUILT_IN_VARIABLES;
}

/** Names that `{{...}}` may reference without a variable: GTM's internal event key. */
export const INTERNAL_VARIABLE_NAMES: readonly string[] = ["_event"];
