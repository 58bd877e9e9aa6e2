import { gtmClients } from "../../../src/config/rules/gtm-clients";
import { loadOk, VALID_ENV } from "../helpers";
import { context } from "./context";

describe("gtmClients", () => {
  it("passes with gtm.clients alone, gtm.clientName alone, or neither", () => {
    expect(
      gtmClients(context({ gtm: { clients: ["GA4", { name: "Stape", consentFrom: "consent_state" }] } })),
    ).toEqual([]);
    expect(gtmClients(context({ gtm: { clientName: "GA4" } }))).toEqual([]);
    expect(gtmClients(context())).toEqual([]);
  });

  it("fails both keys set, and a client listed twice", () => {
    expect(
      gtmClients(context({ gtm: { clientName: "GA4", clients: ["GA4", "Data Client", "GA4"] } })),
    ).toEqual([
      {
        path: ["gtm", "clientName"],
        message:
          "gtm.clientName and gtm.clients are both set: gtm.clients names every client, the first included",
        got: '"GA4"',
        allowed: "one of gtm.clientName (one client) and gtm.clients (one or more)",
        fix: 'remove gtm.clientName, and list "GA4" in gtm.clients if its events should fire TikTok tags',
      },
      {
        path: ["gtm", "clients"],
        message: 'the client "GA4" is listed more than once',
        got: '"GA4", "Data Client", "GA4"',
        allowed: "each client once",
        fix: 'keep one entry for "GA4"',
      },
    ]);
  });

  it("resolves bare names to their consent source: Data Client reads consent_state, others x-ga-gcs", () => {
    const env = loadOk(
      VALID_ENV.replace(
        'gtm:\n  containerId: "123456"\n',
        'gtm:\n  containerId: "123456"\n  clients: [GA4, Data Client, { name: Stape Events, consentFrom: consent_state }]\n',
      ),
    );
    expect(env.gtm.clients).toEqual([
      { name: "GA4", consentFrom: "x-ga-gcs" },
      { name: "Data Client", consentFrom: "consent_state" },
      { name: "Stape Events", consentFrom: "consent_state" },
    ]);
  });
});
