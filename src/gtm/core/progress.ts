/** What apply reports while it works; the CLI renders it for a terminal or a CI log. */
export interface ApplyProgress {
  /** A write is about to be sent: change `index` of `total`. */
  step(index: number, total: number, description: string): void;
  /**
   * The call waits: for the kit's own quota limiter, after the API answered that the project's quota
   * is used up (throttled), or before retrying a server error or a dropped connection.
   */
  wait(reason: "quota" | "throttled" | "retry", ms: number, detail: string): void;
  /** A milestone outside the change list (workspace created, version created, published). */
  note(text: string): void;
}

export const silentProgress: ApplyProgress = { step() {}, wait() {}, note() {} };
