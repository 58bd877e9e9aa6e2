/**
 * SIGINT (Ctrl-C) and SIGTERM (a CI runner cancelling the job) during apply's writes: the run stops at
 * once and lets go of the kit's workspace (`apply/interruption.ts`), then exits 1; a second signal
 * ends the process at once. Outside the writes Node's own handling stands: nothing was written yet.
 */
export async function whileInterruptible<T>(
  work: (signal: AbortSignal) => Promise<T>,
  stream: NodeJS.WritableStream = process.stderr,
): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(1);
    stream.write(
      `\n${name}: stopping, and letting go of the kit's workspace (${name} again to quit at once)\n`,
    );
    controller.abort(name);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
