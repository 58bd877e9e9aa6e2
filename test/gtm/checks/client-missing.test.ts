import { desiredContainer } from "../../../src/gtm/model/desired";
import { clientMissing } from "../../../src/gtm/plan/checks/client-missing";
import { emptyWorkspace, loadEnv, PRODUCTION_ENV, versionOf } from "../fixtures";
import { checkInput, onlyMessage } from "./input";

/** A live version with these clients (the environment's gtm.clientName is "GA4"). */
const live = (clients: string[]) => checkInput({ liveVersion: versionOf(emptyWorkspace(), clients) });

describe("clientMissing", () => {
  it("passes with the client, with no live version, or a live version that lists no clients", () => {
    expect(clientMissing(live(["Universal Analytics", "GA4"]))).toEqual([]);
    expect(clientMissing(checkInput())).toEqual([]);
    expect(clientMissing(live([]))).toEqual([]);
  });

  it("warns when no client has the name, listing the clients as the message quotes them", () => {
    const problems = clientMissing(live(["Universal Analytics", "GA4 client", "ga4"]));
    expect(problems).toEqual([
      {
        severity: "warning",
        code: "client-missing",
        missing: ["GA4"],
        clients: ["GA4 client", "Universal Analytics", "ga4"],
      },
    ]);
    expect(onlyMessage(problems)).toBe(
      'the live version has no client named "GA4" (clients: "GA4 client", "Universal Analytics", "ga4"): the kit\'s triggers require {{Client Name}} to be GA4 and would never fire for it. Set gtm.clients (or gtm.clientName) to the names the clients have in GTM.',
    );
  });

  it("names every configured client the live version lacks", () => {
    const desired = desiredContainer(
      loadEnv(
        PRODUCTION_ENV.replace(
          'gtm:\n  containerId: "123456789"\n',
          'gtm:\n  containerId: "123456789"\n  clients: [GA4, Data Client]\n',
        ),
      ),
    );
    const problems = clientMissing(
      checkInput({ liveVersion: versionOf(emptyWorkspace(), ["GA4"]) }, { desired }),
    );
    expect(problems).toEqual([
      { severity: "warning", code: "client-missing", missing: ["Data Client"], clients: ["GA4"] },
    ]);
    expect(
      clientMissing(
        checkInput({ liveVersion: versionOf(emptyWorkspace(), ["GA4", "Data Client"]) }, { desired }),
      ),
    ).toEqual([]);
  });
});
