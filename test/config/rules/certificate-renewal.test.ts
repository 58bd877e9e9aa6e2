import { certificateRenewal } from "../../../src/config/rules/certificate-renewal";
import { context } from "./context";

const manager = { certificates: "certificate-manager" } as const;

describe("certificateRenewal", () => {
  it("passes the next revision one above the serving one, as a number or per host", () => {
    expect(certificateRenewal(context())).toEqual([]);
    expect(certificateRenewal(context({ domain: { nextCertificateRevision: 1 } }))).toEqual([]);
    expect(
      certificateRenewal(context({ domain: { certificateRevision: 3, nextCertificateRevision: 4 } })),
    ).toEqual([]);
    expect(
      certificateRenewal(
        context({
          domain: {
            ...manager,
            certificateRevision: { tagging: 2 },
            nextCertificateRevision: { preview: 1 },
          },
        }),
      ),
    ).toEqual([]);
  });

  it("refuses a per-host revision on google-managed, whose one certificate serves both hosts", () => {
    expect(certificateRenewal(context({ domain: { certificateRevision: { tagging: 1 } } }))).toEqual([
      {
        path: ["domain", "certificateRevision"],
        message: "google-managed has one certificate for both hosts, so certificateRevision is one number",
        got: "{ tagging: 1 }",
        allowed: "a number, e.g. 1 (per host only with `certificates: certificate-manager`)",
        fix: "write domain.certificateRevision as a number",
      },
    ]);
  });

  it("refuses a next revision that is not the serving one plus one (the two alternate addresses)", () => {
    const [finding] = certificateRenewal(
      context({
        domain: { ...manager, certificateRevision: { preview: 2 }, nextCertificateRevision: { preview: 4 } },
      }),
    );
    expect(finding).toMatchObject({
      path: ["domain", "nextCertificateRevision", "preview"],
      got: "4",
      allowed: "3",
      fix: expect.stringMatching(
        /^set domain\.nextCertificateRevision\.preview: 3; once that certificate is ACTIVE/,
      ),
    });
    expect(certificateRenewal(context({ domain: { nextCertificateRevision: 0 } }))).toEqual([
      expect.objectContaining({ path: ["domain", "nextCertificateRevision"], allowed: "1" }),
    ]);
  });

  it("refuses a replacement during certificateSwitch: nothing would move to it, and the old one's delete fails", () => {
    expect(
      certificateRenewal(
        context({
          domain: { ...manager, certificateSwitch: "attach", nextCertificateRevision: { tagging: 1 } },
        }),
      ),
    ).toEqual([
      expect.objectContaining({
        path: ["domain", "nextCertificateRevision"],
        message: expect.stringMatching(/^a certificate cannot be replaced during certificateSwitch/),
      }),
    ]);
  });
});
