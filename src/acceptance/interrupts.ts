/**
 * Where interrupts come from: the process's SIGINT (Ctrl-C) and SIGTERM (a CI runner cancelling the
 * job sends SIGINT, then SIGTERM; docs/facts/cdktf-and-terraform.md#cancelling-a-github-actions-job).
 * While a run listens, neither ends the process: the run decides what stops.
 */
/** Ctrl-C (SIGINT) and SIGTERM (CI cancelling a job): `onInterrupt` returns the function that stops listening. */
export interface InterruptSource {
  onInterrupt(handler: (signal: string) => void): () => void;
}

export const processInterrupts: InterruptSource = {
  onInterrupt(handler) {
    const listener = (signal: NodeJS.Signals) => handler(signal);
    process.on("SIGINT", listener);
    process.on("SIGTERM", listener);
    return () => {
      process.off("SIGINT", listener);
      process.off("SIGTERM", listener);
    };
  },
};
