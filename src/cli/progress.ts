import pc from "picocolors";
import type { ApplyProgress } from "../gtm/core/progress";

/**
 * On a terminal the current change and the quota wait share one rewritten status line; in CI logs
 * (not a TTY) every step and wait is a plain line, so the log reads top to bottom.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ApplyProgress {
  const interactive = Boolean(stream.isTTY);
  // picocolors turns colour on whenever CI is set; CI logs get plain lines.
  const colors = pc.createColors(interactive && !process.env.NO_COLOR);
  let current = "";
  const line = (text: string) => {
    if (interactive) stream.write(`\r\x1b[2K${text}`);
    else stream.write(`${text}\n`);
  };
  return {
    step(index, total, description) {
      current = `[${index}/${total}] ${description}`;
      line(current);
      if (interactive) stream.write("\n");
    },
    wait(reason, ms, detail) {
      const seconds = Math.ceil(ms / 1000);
      const why =
        reason === "quota"
          ? "waiting for Tag Manager API quota (25 requests / 100 s)"
          : reason === "throttled"
            ? `the project's Tag Manager API quota is used up (other tools and environments share it); waiting to retry ${detail}`
            : `retrying ${detail}`;
      line(colors.dim(`  ${why}: ${seconds} s`));
    },
    note(text) {
      if (interactive) stream.write("\r\x1b[2K");
      stream.write(`${text}\n`);
    },
  };
}
