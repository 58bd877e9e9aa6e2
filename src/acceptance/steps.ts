/**
 * The steps of an acceptance run, as data: which files it writes, which commands it runs (with which
 * variables, from which folder), what each must show, and what it needs before it can run. Pure: the
 * runner executes them, `--dry-run` prints them, the report and the hand cleanup are rendered from them.
 */
import { stackTokenVariable } from "../gtm/client/access-token";
import { environmentFiles, type PlannedFile } from "./environment";
import { type AcceptanceInputs, type RunLayout, runLayout } from "./inputs";

export type StepId =
  | "write-environment"
  | "synth"
  | "deploy"
  | "dns"
  | "doctor"
  | "cdktf-plan"
  | "gtm-plan"
  | "retire-environment"
  | "retire-synth"
  | "retire-deploy"
  | "gtm-destroy"
  | "destroy";

/** A command as it runs: argv and the variables set on top of the caller's (none of them secret). */
export interface CommandSpec {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** The argv as a person runs it from the project root, when it differs (the kit's CLI in tests). */
  readonly shown?: readonly string[];
}

/** What a command must show to pass: exit 0, or exit 0 and a plan with nothing to do. */
export type StepCheck = "exit-zero" | "empty-infrastructure-plan" | "no-gtm-changes";

interface StepBase {
  readonly id: StepId;
  readonly title: string;
  /** Steps that must have passed first; when one did not, this one is skipped. */
  readonly needs: readonly StepId[];
  /**
   * Run only when the run knows it created something: deploying the retired stack over a state that
   * holds nothing (a cleanup from the flags alone) would create the whole environment first.
   */
  readonly onlyIfCreated?: boolean;
}

export type Step =
  | (StepBase & { readonly kind: "write"; readonly files: readonly PlannedFile[] })
  | (StepBase & {
      readonly kind: "command";
      readonly command: CommandSpec;
      readonly check: StepCheck;
      /** A file the command writes that later steps read: a resumed run re-runs it when it is gone. */
      readonly produces?: string;
    })
  /** Shows the DNS records from the deploy's outputs and waits for them (doctor's two DNS checks, in this process). */
  | (StepBase & {
      readonly kind: "dns";
      readonly equivalent: CommandSpec;
      readonly outputsFile: string;
      /** The zone the stack created them in; undefined: the user creates them. */
      readonly dnsZone?: string;
    })
  /** Runs doctor (in this process) until every check passes or the wait ends. */
  | (StepBase & { readonly kind: "doctor"; readonly equivalent: CommandSpec });

export interface AcceptancePlan {
  readonly inputs: AcceptanceInputs;
  readonly layout: RunLayout;
  /** The stack's token variable, set for every command (never printed). */
  readonly tokenVariable: string;
  /** Where the token comes from, in words (the dry run and the report say it). */
  readonly tokenSource: string;
  /** Variables every command gets (besides the token). */
  readonly env: Readonly<Record<string, string>>;
  readonly main: readonly Step[];
  readonly cleanup: readonly Step[];
}

/** How the kit's own CLI is started: `node bin/sgtm.js` from the project root, as the stack's steps do. */
export const KIT_CLI: readonly string[] = ["node", "bin/sgtm.js"];

export function acceptancePlan(
  inputs: AcceptanceInputs,
  kitCli: readonly string[] = KIT_CLI,
): AcceptancePlan {
  const layout = runLayout(inputs.name);
  const { stack, synthDir, configDir } = layout;
  const env = { SGTM_CONFIG_DIR: configDir, CHECKPOINT_DISABLE: "1", FORCE_COLOR: "0" };
  const cdktf = (...args: string[]): CommandSpec => ({ argv: ["cdktf", ...args], env });
  const kit = (...args: string[]): CommandSpec => ({
    argv: [...kitCli, "--config-dir", configDir, ...args],
    env,
    shown: [...KIT_CLI, "--config-dir", configDir, ...args],
  });
  const onSynth = ["--skip-synth", "--output", synthDir];
  const synth: CommandSpec = cdktf("synth", "--output", synthDir);
  const synthFile = `${synthDir}/stacks/${stack}/cdk.tf.json`;
  const doctor = kit("doctor", "--env", stack);

  const main: Step[] = [
    {
      kind: "write",
      id: "write-environment",
      title: "write the throwaway environment",
      needs: [],
      files: environmentFiles(inputs, layout),
    },
    {
      kind: "command",
      id: "synth",
      title: "synth",
      needs: ["write-environment"],
      command: synth,
      check: "exit-zero",
      produces: synthFile,
    },
    {
      kind: "command",
      id: "deploy",
      title: "cdktf deploy (bootstrap, Cloud Run, load balancer, the GTM step)",
      needs: ["synth"],
      command: cdktf("deploy", stack, ...onSynth, "--auto-approve", "--outputs-file", layout.outputsFile),
      check: "exit-zero",
      produces: layout.outputsFile,
    },
    {
      kind: "dns",
      id: "dns",
      title: inputs.dnsZone
        ? `DNS records (created in zone ${inputs.dnsZone}) resolve to the load balancer`
        : "DNS records (created by you) resolve to the load balancer",
      needs: ["deploy"],
      equivalent: doctor,
      outputsFile: layout.outputsFile,
      ...(inputs.dnsZone ? { dnsZone: inputs.dnsZone } : {}),
    },
    {
      kind: "doctor",
      id: "doctor",
      title: "sgtm doctor: every check passes",
      needs: ["dns"],
      equivalent: doctor,
    },
    {
      kind: "command",
      id: "cdktf-plan",
      title: "second cdktf plan: nothing to change but the GTM step",
      needs: ["deploy"],
      command: cdktf("diff", stack, ...onSynth),
      check: "empty-infrastructure-plan",
    },
    {
      kind: "command",
      id: "gtm-plan",
      title: "second GTM plan: no changes",
      needs: ["deploy"],
      command: kit("gtm", "plan", "--env", stack, "--detailed-exitcode"),
      check: "no-gtm-changes",
    },
  ];

  const cleanup: Step[] = [
    {
      kind: "write",
      id: "retire-environment",
      title: "retire the environment (retired: true)",
      needs: [],
      files: environmentFiles(inputs, layout, { retired: true }).filter(
        (f) => f.path === layout.environmentFile,
      ),
    },
    {
      kind: "command",
      id: "retire-synth",
      title: "synth the retired stack",
      needs: ["retire-environment"],
      command: synth,
      check: "exit-zero",
    },
    {
      kind: "command",
      id: "retire-deploy",
      title: "cdktf deploy of the retired stack (lifts deletion protection)",
      needs: ["retire-synth"],
      onlyIfCreated: true,
      command: cdktf("deploy", stack, ...onSynth, "--auto-approve"),
      check: "exit-zero",
    },
    {
      // `sgtm gtm destroy` removes every entity the kit owns in the container (one version, published
      // per gtm.publish). Run as a command so the run uses whatever the installed kit provides.
      kind: "command",
      id: "gtm-destroy",
      title: "remove the kit's GTM tags, triggers and variables",
      needs: ["retire-environment"],
      command: kit("gtm", "destroy", "--env", stack, "--yes"),
      check: "exit-zero",
    },
    {
      kind: "command",
      id: "destroy",
      title: "cdktf destroy",
      needs: ["retire-synth"],
      command: cdktf("destroy", stack, ...onSynth, "--auto-approve"),
      check: "exit-zero",
    },
  ];

  const tokenVariable = stackTokenVariable(stack);
  const tokenSource = !inputs.pixel
    ? "a placeholder (no --pixel: TikTok is not part of this run)"
    : inputs.tokenSecret
      ? `the latest version of secret ${inputs.tokenSecret} in ${inputs.project}`
      : `$${tokenVariable} in the shell that starts the run`;
  return { inputs, layout, tokenVariable, tokenSource, env, main, cleanup };
}

/** A command as a person would type it from the project root: `npx cdktf ...`, variables first if asked. */
export function renderCommand(
  spec: CommandSpec,
  options: { readonly withEnv?: readonly string[] } = {},
): string {
  const assignments = (options.withEnv ?? []).flatMap((name) =>
    spec.env[name] === undefined ? [] : [`${name}=${shellWord(spec.env[name])}`],
  );
  const shown = spec.shown ?? spec.argv;
  const argv = shown[0] === "cdktf" ? ["npx", ...shown] : shown;
  return [...assignments, ...argv.map(shellWord)].join(" ");
}

function shellWord(value: string): string {
  return /^[\w./=:@-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * The cleanup, by hand: what `--cleanup` runs, one line each, plus what no command can undo (the
 * tagging server URL bootstrap added to the container's settings).
 */
export function manualCleanup(plan: AcceptancePlan): string[] {
  const lines = [
    `${renderCommand({ argv: [...KIT_CLI, "acceptance", "--name", plan.inputs.name, "--cleanup"], env: {} })}   # all of the following, in order`,
  ];
  for (const step of plan.cleanup) {
    if (step.kind === "write") lines.push(`# set \`retired: true\` in ${plan.layout.environmentFile}`);
    if (step.kind === "command") {
      // The synth app reads its config root from SGTM_CONFIG_DIR; the kit's CLI gets --config-dir.
      const cdktf = step.command.argv[0] === "cdktf";
      lines.push(renderCommand(step.command, { withEnv: cdktf ? ["SGTM_CONFIG_DIR"] : [] }));
    }
  }
  lines.push(
    `# then in GTM, Admin > Container Settings: remove https://${plan.inputs.domain} from the server container URLs (bootstrap added it)`,
  );
  return lines;
}
