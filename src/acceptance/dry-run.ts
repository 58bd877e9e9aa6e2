/**
 * `sgtm acceptance --dry-run`: every file the run would write (with its text) and every command it would
 * run (as a person would type it), in order, the cleanup included. Pure; nothing is checked remotely.
 */
import { PREREQUISITES } from "./prerequisites";
import { type AcceptancePlan, renderCommand, type Step } from "./steps";

export interface DryRunOptions {
  readonly keep: boolean;
  /** Only the cleanup (`--cleanup`). */
  readonly cleanupOnly: boolean;
  readonly waitMinutes: number;
  readonly pollSeconds: { readonly dns: number; readonly doctor: number };
}

export function renderDryRun(plan: AcceptancePlan, options: DryRunOptions): string {
  const { inputs, layout } = plan;
  const env = Object.entries(plan.env).map(([name, value]) => `${name}=${value}`);
  const lines = [
    `sgtm acceptance ${inputs.name} --dry-run: stack ${layout.stack} in project ${inputs.project}, tagging host ${inputs.domain}`,
    "Nothing below is run or written.",
    "",
    `First, the prerequisites: ${PREREQUISITES.filter((p) => !options.cleanupOnly || p.forCleanup)
      .map((p) => p.name)
      .join(", ")}.`,
    `Every command runs in the project root with ${env.join(", ")}`,
    `and the TikTok token in $${plan.tokenVariable}, from ${plan.tokenSource} (never printed).`,
  ];
  if (!options.cleanupOnly) {
    lines.push("", "Steps:");
    for (const [index, step] of plan.main.entries()) {
      lines.push(...stepLines(step, `[${index + 1}/${plan.main.length}]`, options));
    }
  }
  lines.push(
    "",
    options.cleanupOnly
      ? "Cleanup:"
      : options.keep
        ? "Cleanup: not run (--keep); it would be, with --cleanup:"
        : "Cleanup (at the end, and on Ctrl-C):",
  );
  for (const [index, step] of plan.cleanup.entries()) {
    lines.push(...stepLines(step, `[cleanup ${index + 1}/${plan.cleanup.length}]`, options));
  }
  lines.push(
    "",
    `The run's state: ${layout.stateFile} (a second run with --name ${inputs.name} picks up from it).`,
    `The report: ${layout.reportMarkdown} and ${layout.reportJson}.`,
  );
  return `${lines.join("\n")}\n`;
}

function stepLines(step: Step, label: string, options: DryRunOptions): string[] {
  const lines = [`${label} ${step.title}`];
  const every = (seconds: number) =>
    `in this process, every ${seconds} s for up to ${options.waitMinutes} min; by hand: ${renderCommand(step.kind === "dns" || step.kind === "doctor" ? step.equivalent : { argv: [], env: {} })}`;
  switch (step.kind) {
    case "write":
      for (const file of step.files) {
        lines.push(
          `  write ${file.path}:`,
          ...file.text
            .trimEnd()
            .split("\n")
            .map((line) => `    | ${line}`),
        );
      }
      break;
    case "command":
      lines.push(`  $ ${renderCommand(step.command)}`);
      break;
    case "dns":
      lines.push(
        `  print the DNS records from ${step.outputsFile}, then wait for them: doctor's dns checks ${every(options.pollSeconds.dns)}`,
      );
      break;
    case "doctor":
      lines.push(
        `  doctor's checks except the TikTok test event ${every(options.pollSeconds.doctor)}`,
        "  then all of them once more, with the one test event",
      );
      break;
  }
  return lines;
}
