import { userHashGroups } from "../../../src/config/rules/user-hash-groups";
import { context } from "./context";

describe("userHashGroups", () => {
  it("passes with plain fields only, hashed fields only, or none", () => {
    const events = {
      purchase: { user: { email: { eventData: "user_data.email_address" }, phone: { eventData: "tel" } } },
      sign_up: { event: "CompleteRegistration", user: { sha256Email: { eventData: "email_hash" } } },
      view_item: {},
    };
    expect(userHashGroups(context({ tiktok: { events } }))).toEqual([]);
    expect(userHashGroups(context())).toEqual([]);
  });

  it("fails on an event mapping plain and SHA-256 user fields, at its first hashed field", () => {
    const user = { email: { eventData: "email" }, sha256Phone: { eventData: "phone_hash" } };
    expect(userHashGroups(context({ tiktok: { events: { purchase: { user } } } }))).toEqual([
      {
        path: ["tiktok", "events", "purchase", "user", "sha256Phone"],
        message: expect.stringContaining("either plain user fields (hash: non-hashed) or SHA-256 ones"),
        got: "email with sha256Phone",
        allowed: "email, phone, externalId, or sha256Email, sha256Phone, sha256ExternalId",
        fix: expect.stringContaining("in one group"),
      },
    ]);
  });

  it("leaves the single layout to the event-map rule (no per-event user fields there)", () => {
    const user = { email: { eventData: "email" }, sha256Phone: { eventData: "phone_hash" } };
    expect(
      userHashGroups(context({ tiktok: { tagLayout: "single", events: { purchase: { user } } } })),
    ).toEqual([]);
  });
});
