/**
 * Built-in variable types the fake accepts, with the display name a `{{...}}` reference uses.
 * Only types a server container offers; an unknown type is rejected like a bad enum value.
 * Display names other than Event Name and Client Name are best guesses (unverified).
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

/** Names that `{{...}}` may reference without a variable: GTM's internal event key. */
export const INTERNAL_VARIABLE_NAMES: readonly string[] = ["_event"];
