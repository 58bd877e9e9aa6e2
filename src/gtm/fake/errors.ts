/** Google-style API errors raised by the fake's state and rendered by its HTTP layer. */

const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: "INVALID_ARGUMENT",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ABORTED",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

export class FakeApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = "FakeApiError";
  }

  /** The JSON body Google APIs send with an error (what gaxios exposes as `err.response.data`). */
  toBody(): GoogleErrorBody {
    return googleErrorBody(this.code, this.message, this.reason);
  }
}

export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    status: string;
    errors: { message: string; domain: string; reason: string }[];
  };
}

export function googleErrorBody(code: number, message: string, reason: string): GoogleErrorBody {
  return {
    error: {
      code,
      message,
      status: STATUS_NAMES[code] ?? "UNKNOWN",
      errors: [{ message, domain: "global", reason }],
    },
  };
}

export const invalid = (message: string) => new FakeApiError(400, message, "invalid");
export const duplicate = (message: string) => new FakeApiError(400, message, "duplicate");
export const notFound = (message: string) => new FakeApiError(404, message, "notFound");
/** Status of a real fingerprint mismatch is unverified; 409 is our choice (see README.md in this folder). */
export const fingerprintConflict = (message: string) => new FakeApiError(409, message, "conflict");
