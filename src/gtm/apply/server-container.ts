/**
 * Before anything is planned: the container must be a server container (src/gtm/core/container-kind.ts).
 * The live version names its container, `usageContext` included, so this costs no call for a container
 * that ever published; one that never did is read once (`GET {container}`).
 */
import type { EnvironmentConfig } from "../../config/model";
import { UserError } from "../../errors/report";
import type { GtmApi } from "../core/api";
import { isServerUsage, notServerContainerMessage } from "../core/container-kind";
import type { WorkspaceRead } from "./workspace-read";

export async function requireServerContainer(
  api: GtmApi,
  env: EnvironmentConfig,
  read: Pick<WorkspaceRead, "containerPath" | "actual">,
): Promise<void> {
  const fromVersion = read.actual.liveVersion?.container;
  const container =
    fromVersion?.usageContext && fromVersion.usageContext.length > 0
      ? fromVersion
      : await api.getContainer(read.containerPath);
  if (isServerUsage(container.usageContext)) return;
  throw new UserError(
    notServerContainerMessage({
      containerId: env.gtm.containerId,
      files: env.sourceFiles.join(" or "),
      container,
    }),
  );
}
