/**
 * The doctor's `gtm-web-dedup` check against the stand-ins: the fake serves acme-staging's web
 * container (deduplicating); a test changes what it answers to make the check fail.
 */
import { CHECKS, runDoctor } from "../../src/doctor/run";
import type { CheckResult } from "../../src/doctor/types";
import type { ContainerVersion } from "../../src/gtm/core/api";
import { WEB_CONTAINER_PATH } from "../gtm/dedup/seed-web";
import { stagingEnvironment, useWorld, type World } from "./stand-ins";

const env = stagingEnvironment();
const running = useWorld(env);
let world: World;
beforeEach(() => {
  world = running();
});

async function dedupCheck(checked = env): Promise<CheckResult> {
  const chosen = CHECKS.filter((c) => c.name === "gtm-web-dedup");
  const [result] = await runDoctor({ env: checked }, world.deps(), chosen);
  return result;
}

/** The web container's live version as the fake answers it, changed by `edit`. */
function liveVersionEdited(edit: (version: ContainerVersion) => void): void {
  world.gtm.transform = (method, path, status, body) => {
    if (method === "GET" && path === `${WEB_CONTAINER_PATH}/versions:live`) {
      const version = structuredClone(body) as ContainerVersion;
      edit(version);
      return { status, body: version };
    }
    return { status, body };
  };
}

it("passes when the web container deduplicates, with its verdict counts", async () => {
  expect(await dedupCheck()).toEqual({
    name: "gtm-web-dedup",
    status: "pass",
    detail: "web container GTM-W3BSHOP (live version 1): 0 broken, 0 unknown, 2 ok, 6 without pixel.",
    fix: "",
  });
});

it("fails on a broken event with its first fix and the command that lists them all", async () => {
  liveVersionEdited((version) => {
    const pixel = version.tag?.find((t) => t.name === "TT - Purchase");
    if (pixel) pixel.parameter = pixel.parameter?.filter((p) => p.key !== "event_id");
  });
  const result = await dedupCheck();
  expect(result.status).toBe("fail");
  expect(result.detail).toBe(
    "web container GTM-W3BSHOP (live version 1): 1 event(s) broken (purchase): pixel tag 'TT - Purchase' sends CompletePayment without event_id, while GA4 tag 'GA4 - purchase' sends purchase with event_id {{DLV - event_id}} (data layer key event_id): TikTok cannot merge them",
  );
  expect(result.fix).toBe(
    "set event_id of tag 'TT - Purchase' to {{DLV - event_id}}; npx sgtm dedup --env acme-staging lists every fix",
  );
});

it("skips an environment without gtm.web, saying how to turn it on", async () => {
  const { web: _, ...gtm } = env.gtm;
  const result = await dedupCheck({ ...env, gtm });
  expect(result).toMatchObject({ status: "skip", detail: "no web container to check (gtm.web is not set)" });
  expect(result.fix).toContain("set gtm.web.containerId in test/fixtures/config/acme/staging.yaml");
});

it("fails with the config keys when the web container does not exist", async () => {
  const result = await dedupCheck({
    ...env,
    gtm: { ...env.gtm, web: { accountId: "6012345678", containerId: "1" } },
  });
  expect(result).toMatchObject({
    status: "fail",
    detail: "web container accounts/6012345678/containers/1 does not exist, or this identity cannot see it",
  });
  expect(result.fix).toContain("check gtm.web.containerId and gtm.web.accountId");
});

it("fails when gtm.web names the server container", async () => {
  const result = await dedupCheck({
    ...env,
    gtm: { ...env.gtm, web: { accountId: env.gtm.accountId, containerId: env.gtm.containerId } },
  });
  expect(result.status).toBe("fail");
  expect(result.detail).toMatch(/is a server container, not a web container/);
});
