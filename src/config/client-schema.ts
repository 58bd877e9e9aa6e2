/** `gtm.clients` entries: a client's name, or its name and where its events carry their consent state. */
import { z } from "zod";

/**
 * Where a client's events carry their consent state: `x-ga-gcs` (GA4's client: x-ga-gcs, and x-ga-gcd
 * for ad_user_data) or `consent_state` (Stape's Data Client: consent_state.ad_storage and
 * consent_state.ad_user_data, true when granted).
 */
export const CLIENT_CONSENT_SOURCES = ["x-ga-gcs", "consent_state"] as const;
export type ClientConsentSource = (typeof CLIENT_CONSENT_SOURCES)[number];

export const ClientEntrySchema = z.union([
  z
    .string()
    .min(1)
    .describe(
      "A client's name, as in GTM (Clients). Its consent is read from consent_state when the name is Data Client (Stape's default), else from x-ga-gcs.",
    ),
  z.strictObject({
    name: z.string().min(1).describe("The client's name, as in GTM (Clients)."),
    consentFrom: z
      .enum(CLIENT_CONSENT_SOURCES)
      .describe(
        "x-ga-gcs: the GA4 client's consent state (x-ga-gcs, x-ga-gcd). consent_state: Stape's Data Client (consent_state.ad_storage, consent_state.ad_user_data).",
      ),
  }),
]);
export type ClientEntry = z.infer<typeof ClientEntrySchema>;
