/**
 * The project's daily Tag Manager API quota (10,000 requests a day) used up: no wait within a run
 * frees it, it resets at midnight Pacific time. Google answers it in two shapes: 429 (or 403) "Quota
 * exceeded for quota metric 'Queries' and limit 'Queries per day' ...", or 403 with reason
 * `dailyLimitExceeded` ("Daily Limit Exceeded"). docs/facts/gtm-api-v2.md#quota-and-retries.
 */
import { GtmApiError } from "../core/api";

const PER_DAY = /per day|daily limit/i;

export function isDailyQuotaExhausted(error: unknown): boolean {
  if (!(error instanceof GtmApiError) || (error.status !== 429 && error.status !== 403)) return false;
  return error.reasons.includes("dailyLimitExceeded") || PER_DAY.test(error.message);
}
