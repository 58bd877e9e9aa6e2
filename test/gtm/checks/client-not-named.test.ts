import type { Client } from "../../../src/gtm/core/api";
import { clientNotNamed } from "../../../src/gtm/plan/checks/client-not-named";
import { CONTAINER_ID, emptyWorkspace, rawTemplate, versionOf } from "../fixtures";
import { checkInput, onlyMessage } from "./input";

/** Stape's Data Client, added from a file: its client is typed cvt_<containerId>_<templateId>. */
const dataClientTemplate = { ...rawTemplate("100", "Data Client"), templateData: "" };

const liveWith = (clients: Client[]) =>
  checkInput({
    liveVersion: { ...versionOf(emptyWorkspace()), client: clients, customTemplate: [dataClientTemplate] },
  });

describe("clientNotNamed", () => {
  it("passes when every client receiving GA4 events is configured, and ignores clients of other protocols", () => {
    expect(clientNotNamed(checkInput())).toEqual([]);
    expect(
      clientNotNamed(
        liveWith([
          { name: "GA4", type: "gaaw_client" },
          { name: "Universal Analytics", type: "ua_client" },
          { name: "Web Container", type: "gtm_client" },
        ]),
      ),
    ).toEqual([]);
  });

  it("warns of a Data Client (by its template) and a second GA4 client that gtm.clients does not list", () => {
    const problems = clientNotNamed(
      liveWith([
        { name: "GA4", type: "gaaw_client" },
        { name: "Stape", type: `cvt_${CONTAINER_ID}_100` },
        { name: "GA4 (app)", type: "gaaw_client" },
      ]),
    );
    expect(problems).toEqual([
      {
        severity: "warning",
        code: "client-not-named",
        name: "GA4 (app)",
        clientKind: "ga4",
        configured: ["GA4"],
      },
      {
        severity: "warning",
        code: "client-not-named",
        name: "Stape",
        clientKind: "data-client",
        configured: ["GA4"],
      },
    ]);
    expect(onlyMessage(problems.slice(1))).toBe(
      'the container\'s client "Stape" (Stape\'s Data Client) receives GA4 events but is not in gtm.clients ("GA4"): the mapped events it claims never fire the kit\'s TikTok tags. If the site sends them through it, add "Stape" to gtm.clients (its consent is then read from consent_state); otherwise ignore this.',
    );
  });
});
