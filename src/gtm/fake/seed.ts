/**
 * The container `npm start` and the end-to-end tests begin with: what a shop that already runs sGTM has
 * before the kit arrives. A GA4 client, and one hand-made tag with its trigger that the kit must leave
 * alone, published as version 1.
 */
import type { FakeTagManagerState } from "./state";

export interface DemoContainer {
  readonly containerPath: string;
  /** The default workspace (the kit creates and uses its own). */
  readonly defaultWorkspacePath: string;
  readonly handMadeTagName: string;
  readonly handMadeTriggerName: string;
}

export const HAND_MADE_TRIGGER = "All GA4 events";
export const HAND_MADE_TAG = "GA4 - forward to Google Analytics";

export function seedDemoContainer(
  state: FakeTagManagerState,
  ids: { readonly accountId: string; readonly containerId: string },
): DemoContainer {
  const { containerPath, workspacePath } = state.createContainer({
    accountId: ids.accountId,
    containerId: ids.containerId,
    workspaceName: "Default Workspace",
  });
  state.seedClient(workspacePath, { name: "GA4", type: "gaaw_client" });
  const trigger = state.create(workspacePath, "triggers", {
    name: HAND_MADE_TRIGGER,
    type: "always",
    filter: [
      {
        type: "equals",
        parameter: [
          { type: "template", key: "arg0", value: "{{Client Name}}" },
          { type: "template", key: "arg1", value: "GA4" },
        ],
      },
    ],
  });
  state.enableBuiltInVariables(workspacePath, ["clientName"]);
  state.create(workspacePath, "tags", {
    name: HAND_MADE_TAG,
    type: "sgtmgaaw",
    notes: "Made by hand in the GTM UI.",
    parameter: [{ type: "boolean", key: "redactVisitorIp", value: "false" }],
    firingTriggerId: [trigger.triggerId as string],
  });
  const seeded = state.seedPublishedVersion(workspacePath, "Hand-made setup");
  return {
    containerPath,
    defaultWorkspacePath: seeded.workspacePath,
    handMadeTagName: HAND_MADE_TAG,
    handMadeTriggerName: HAND_MADE_TRIGGER,
  };
}
