import { webContainer } from "../../../src/config/rules/web-container";
import { loadOk, VALID_ENV } from "../helpers";
import { context } from "./context";

describe("webContainer", () => {
  it("passes without gtm.web, and with a web container of its own", () => {
    expect(webContainer(context())).toEqual([]);
    expect(webContainer(context({ gtm: { web: { containerId: "777" } } }))).toEqual([]);
    // The same numeric id in another account is another container.
    expect(webContainer(context({ gtm: { web: { containerId: "123456", accountId: "42" } } }))).toEqual([]);
  });

  it("fails when gtm.web has no container id", () => {
    expect(webContainer(context({ gtm: { web: { accountId: "42" } } }))).toEqual([
      expect.objectContaining({
        path: ["gtm", "web", "containerId"],
        message: "gtm.web needs the web container's id",
        fix: "set gtm.web.containerId, or remove gtm.web to skip the deduplication check",
      }),
    ]);
  });

  it("fails when the web container is the server container", () => {
    expect(webContainer(context({ gtm: { web: { containerId: "123456" } } }))).toEqual([
      expect.objectContaining({
        path: ["gtm", "web", "containerId"],
        got: '"123456"',
        fix: "set gtm.web.containerId to the web container's numeric id",
      }),
    ]);
  });

  it("assembles gtm.web with the server container's account by default", () => {
    expect(loadOk(`${VALID_ENV}  web:\n    containerId: "777"\n`).gtm.web).toEqual({
      accountId: "6012345678",
      containerId: "777",
    });
    expect(loadOk(VALID_ENV).gtm).not.toHaveProperty("web");
  });
});
