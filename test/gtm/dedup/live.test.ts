/**
 * The live path: the web container read through the real Tag Manager client against the local fake,
 * with two GETs and never a write, gives the same verdicts as its export.
 */
import { analyzeDedup } from "../../../src/gtm/dedup/analysis";
import { readWebContainer } from "../../../src/gtm/dedup/read";
import { WebContainerError, webContainerFromExport } from "../../../src/gtm/dedup/source";
import type { FakeTagManager } from "../../../src/gtm/fake";
import { connect, describeRequests, startFake } from "../e2e-helpers";
import { seedWebContainer, WEB_CONTAINER_PATH } from "./seed-web";
import { acmeProduction, acmeWebContainer } from "./shop";
import { ACCOUNT_ID, WEB_CONTAINER_ID } from "./web-export";

let fake: FakeTagManager;
beforeAll(async () => {
  fake = await startFake();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const WEB = { accountId: ACCOUNT_ID, containerId: WEB_CONTAINER_ID };

it("reads the live version with two GETs, writes nothing, and judges it as its export", async () => {
  seedWebContainer(fake.state, acmeWebContainer());
  const since = fake.requests.length;
  const read = await readWebContainer(connect(fake), WEB);
  expect(describeRequests(fake.requests.slice(since))).toEqual([
    `GET ${WEB_CONTAINER_PATH}`,
    `GET ${WEB_CONTAINER_PATH}/versions:live`,
  ]);
  expect(read.source).toEqual({
    kind: "live",
    where: WEB_CONTAINER_PATH,
    publicId: "GTM-W3BSHOP",
    versionId: "1",
  });

  const env = acmeProduction();
  const live = analyzeDedup({ env, ...read });
  const exported = analyzeDedup({ env, ...webContainerFromExport(acmeWebContainer().toJson(), "web.json") });
  expect(live.events).toEqual(exported.events);
});

it("refuses a server container named as the web container, after one read", async () => {
  fake.state.createContainer({ ...WEB, usageContext: ["server"] });
  await expect(readWebContainer(connect(fake), WEB)).rejects.toThrow(
    new WebContainerError(
      `${WEB_CONTAINER_PATH} is a server container, not a web container: set gtm.web.containerId to the web container's id (the one the shop's pages load)`,
    ),
  );
  expect(fake.requests.filter((r) => r.method !== "GET")).toEqual([]);
});

it("says what to do when nothing is published in the web container", async () => {
  fake.state.createContainer({ ...WEB, usageContext: ["web"], publicId: "GTM-NEW" });
  await expect(readWebContainer(connect(fake), WEB)).rejects.toThrow(
    /^nothing is published in web container GTM-NEW: .*pass an export with --web-export FILE$/,
  );
});
