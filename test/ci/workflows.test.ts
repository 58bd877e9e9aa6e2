/**
 * The GitHub workflows under .github/workflows/, parsed: their triggers, least-privilege permissions,
 * the CLI commands they run (which must exist, with those flags), and the pull-request comment script,
 * run here against a fake GitHub API.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { parse } from "yaml";
import { buildProgram } from "../../src/cli/program";
import { ACCEPT_LABEL, commentMarker } from "../../src/review/plan-document";

/** A GitHub expression as written in a workflow: `expr("matrix.stack")` is the text `${{ matrix.stack }}`. */
const expr = (inner: string) => `$${"{{"} ${inner} }}`;

const WORKFLOWS = join(__dirname, "..", "..", ".github", "workflows");

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly "continue-on-error"?: boolean;
}
interface Job {
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly environment?: string;
  readonly concurrency?: { group: string; "cancel-in-progress": boolean };
  readonly strategy?: { matrix: Record<string, unknown>; "fail-fast"?: boolean };
  readonly outputs?: Record<string, string>;
  readonly steps: Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { group: string; "cancel-in-progress": boolean };
  readonly jobs: Record<string, Job>;
}

function workflow(name: string): Workflow {
  return parse(readFileSync(join(WORKFLOWS, name), "utf8")) as Workflow;
}

const ALL = ["acceptance.yml", "deploy.yml", "drift.yml", "pr.yml"];

/** [workflow, job id, job] for every job of every workflow. */
function allJobs(): [string, string, Job][] {
  return ALL.flatMap((file) =>
    Object.entries(workflow(file).jobs).map(([id, job]) => [file, id, job] as [string, string, Job]),
  );
}

const uses = (job: Job, action: string) => job.steps.some((s) => s.uses?.startsWith(`${action}@`));
const stepRunning = (job: Job, text: string) => job.steps.find((s) => s.run?.includes(text));

describe("the workflows", () => {
  test("are the four this kit documents", () => {
    expect(readdirSync(WORKFLOWS).sort()).toEqual(ALL);
  });

  test("trigger on pull requests, on pushes to main (and by hand), on a schedule (and by hand), and by hand only", () => {
    expect(Object.keys(workflow("pr.yml").on)).toEqual(["pull_request"]);
    expect(Object.keys(workflow("acceptance.yml").on)).toEqual(["workflow_dispatch"]);
    expect(workflow("deploy.yml").on).toEqual({ push: { branches: ["main"] }, workflow_dispatch: null });
    const drift = workflow("drift.yml").on as { schedule: { cron: string }[] };
    expect(Object.keys(drift).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(drift.schedule[0].cron).toMatch(/^\S+ \S+ \* \* \*$/);
  });

  test("grant nothing at the workflow level; each job asks for what it uses", () => {
    for (const file of ALL) expect([file, workflow(file).permissions]).toEqual([file, {}]);
    for (const [file, id, job] of allJobs()) {
      const where = `${file} ${id}`;
      const granted = job.permissions ?? {};
      // A Google identity only where a job authenticates to Google, and only then.
      expect([where, granted["id-token"] === "write"]).toEqual([
        where,
        uses(job, "google-github-actions/auth"),
      ]);
      // Comments only where a job posts them, and such a job holds no Google identity.
      expect([where, granted["pull-requests"] === "write"]).toEqual([
        where,
        uses(job, "actions/github-script"),
      ]);
      if (granted["pull-requests"] === "write")
        expect([where, granted["id-token"]]).toEqual([where, undefined]);
      // Nothing else is ever writable.
      const writes = Object.entries(granted).filter(
        ([scope, level]) => level === "write" && !["id-token", "pull-requests"].includes(scope),
      );
      expect([where, writes]).toEqual([where, []]);
    }
  });

  test("hold the Google identities only in the acceptance, plan, deploy and drift jobs, and read no stored secret", () => {
    const withIdentity = allJobs()
      .filter(([, , job]) => job.permissions?.["id-token"] === "write")
      .map(([file, id]) => `${file} ${id}`);
    expect(withIdentity).toEqual([
      "acceptance.yml acceptance",
      "deploy.yml deploy",
      "drift.yml drift",
      "pr.yml plan",
    ]);
    for (const file of ALL) expect(readFileSync(join(WORKFLOWS, file), "utf8")).not.toMatch(/secrets\./);
    const identities = allJobs().flatMap(([, , job]) =>
      job.steps.filter((s) => s.uses?.startsWith("google-github-actions/auth@")).map((s) => s.with),
    );
    for (const inputs of identities) {
      expect(inputs).toEqual({
        workload_identity_provider: expr("vars.GCP_WORKLOAD_IDENTITY_PROVIDER"),
        service_account: expect.stringMatching(/^\$\{\{ vars\.GCP_(DEPLOYER|PLANNER)_SERVICE_ACCOUNT \}\}$/),
      });
    }
    // Only the deploy job and the acceptance run (by hand, on a sandbox project) may act as the deployer.
    const deployer = allJobs().filter(([, , job]) =>
      job.steps.some((s) => String(s.with?.service_account ?? "").includes("DEPLOYER")),
    );
    expect(deployer.map(([file, id]) => `${file} ${id}`)).toEqual([
      "acceptance.yml acceptance",
      "deploy.yml deploy",
    ]);
  });

  test("put no expression inside a shell script (values go through env:)", () => {
    for (const [file, id, job] of allJobs()) {
      for (const step of job.steps) {
        if (step.run)
          expect([file, id, step.run]).toEqual([file, id, expect.not.stringContaining(expr("").slice(0, 3))]);
      }
    }
  });

  test("pull request: validate, test, then plan only the changed environments against the base synth", () => {
    const plan = workflow("pr.yml").jobs.plan;
    const runs = plan.steps.map((s) => s.run ?? s.uses ?? "");
    const order = [
      "npm ci",
      "npx sgtm validate",
      "npm test",
      "npx sgtm changed",
      "npm run synth",
      "npx sgtm plan",
    ];
    const positions = order.map((text) => runs.findIndex((r) => r.includes(text)));
    expect(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]))).toBe(true);
    expect(stepRunning(plan, "npx sgtm plan")?.run).toContain(
      '--base base/cdktf.out --markdown > "plans/$stack.md"',
    );
    // Interruptions fail the plan until a reviewer labels the pull request; a label re-runs it.
    const accepting = stepRunning(plan, "npx sgtm plan");
    expect(accepting?.run).toContain('npx sgtm plan --env "$stack" $ACCEPT ');
    expect(accepting?.env?.ACCEPT).toBe(
      expr(
        `contains(github.event.pull_request.labels.*.name, '${ACCEPT_LABEL}') && '--accept-interruptions' || ''`,
      ),
    );
    expect((workflow("pr.yml").on as { pull_request: { types: string[] } }).pull_request.types).toEqual(
      expect.arrayContaining(["opened", "synchronize", "labeled", "unlabeled"]),
    );
    expect(
      plan.steps.find((s) => s.uses?.startsWith("actions/checkout@") && s.with?.path === "base")?.with?.ref,
    ).toBe(expr("github.event.pull_request.base.sha"));
    // Nothing changed: no synth, no Google identity, no plan.
    for (const step of plan.steps.slice(runs.findIndex((r) => r.includes("npx sgtm changed")) + 1)) {
      if (
        step.run?.includes("npm run synth") ||
        step.uses?.startsWith("google-github-actions/auth@") ||
        step.id === "plan"
      ) {
        expect(step.if).toBe("steps.changed.outputs.stacks != '[]'");
      }
    }
  });

  test("deploy: one job per changed environment, never two at once for one environment", () => {
    const deploy = workflow("deploy.yml");
    expect(deploy.concurrency).toEqual({ group: "deploy", "cancel-in-progress": false });
    const job = deploy.jobs.deploy;
    expect(job.strategy).toEqual({
      "fail-fast": false,
      matrix: { stack: expr("fromJSON(needs.changed.outputs.stacks)") },
    });
    expect(job.concurrency).toEqual({ group: `deploy-${expr("matrix.stack")}`, "cancel-in-progress": false });
    expect(job.environment).toBe(expr("matrix.stack"));
    expect(job.if).toBe("needs.changed.outputs.stacks != '[]'");
    const steps = job.steps.map((s) => s.run ?? s.uses ?? "");
    const auth = steps.findIndex((s) => s.startsWith("google-github-actions/auth@"));
    const deployStep = steps.indexOf('npx cdktf deploy "$STACK" --auto-approve');
    expect(0 <= auth && auth < deployStep).toBe(true);
    // The stack's own GTM step applies the container (ADR 0006): a second apply would only repeat it.
    expect(steps.filter((s) => s.includes("gtm apply"))).toEqual([]);
  });

  test("drift: every environment, from cdktf diff and the live container, failing on changes", () => {
    const drift = workflow("drift.yml");
    expect(stepRunning(drift.jobs.stacks, "npx sgtm changed")?.run).toContain(
      "npx sgtm changed --all --json",
    );
    const plan = stepRunning(drift.jobs.drift, "npx sgtm plan");
    expect(plan?.run).toBe(
      'npx sgtm plan --env "$STACK" --cdktf-diff --detailed-exitcode --markdown > plan.md',
    );
    expect(plan?.["continue-on-error"]).toBeUndefined();
  });

  test("acceptance: by hand with the CLI's flags, as the deployer, the report uploaded whatever happened", () => {
    const acceptance = workflow("acceptance.yml");
    const dispatch = acceptance.on.workflow_dispatch as {
      inputs: Record<string, { type: string; options?: string[] }>;
    };
    const job = acceptance.jobs.acceptance;
    const run = stepRunning(job, "exec node bin/sgtm.js acceptance");
    // Every input but the mode is the flag of the same name, passed through the job's env.
    for (const input of Object.keys(dispatch.inputs).filter((name) => name !== "mode")) {
      const variable = input.toUpperCase();
      expect([input, job.env?.[variable]]).toEqual([input, expr(`inputs.${input}`)]);
      expect(run?.run).toContain(`--${input.replace(/_/g, "-")} "$${variable}"`);
    }
    expect(dispatch.inputs.mode.options).toEqual(["run", "run-and-keep", "cleanup"]);
    expect(run?.run).toContain("run-and-keep) mode=--keep ;; cleanup) mode=--cleanup ;;");
    const steps = job.steps.map((s) => s.run ?? s.uses ?? "");
    const at = (text: string) => steps.findIndex((s) => s.includes(text));
    expect(at("google-github-actions/auth@")).toBeLessThan(at("exec node bin/sgtm.js acceptance"));
    expect(at("hashicorp/setup-terraform@")).toBeLessThan(at("exec node bin/sgtm.js acceptance"));
    // A cancelled or failed run's cleanup is finished by the next step (not for a kept run).
    const finish = job.steps.find((s) => s.run?.trimEnd().endsWith("--cleanup"));
    expect(finish?.if).toBe(
      "(cancelled() || failure()) && inputs.mode != 'run-and-keep' && hashFiles('.sgtm-acceptance/*/run.json') != ''",
    );
    const upload = job.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.if).toBe("always()");
    expect(String(upload?.with?.path)).toContain(".sgtm-acceptance/*/acceptance-report.json");
    expect(acceptance.concurrency).toEqual({
      group: `acceptance-${expr("inputs.project")}-${expr("inputs.domain")}`,
      "cancel-in-progress": false,
    });
  });

  test("run only sgtm commands and flags that exist", () => {
    const program = buildProgram();
    const lines = allJobs().flatMap(([, , job]) => job.steps.flatMap((s) => sgtmCommandLines(s.run ?? "")));
    expect(lines).toHaveLength(9); // validate, changed x4, plan x2, acceptance x2
    for (const line of lines) expect([line, unknownParts(program, line)]).toEqual([line, []]);
    expect(unknownParts(program, "npx sgtm plan --env x --no-such-flag")).toEqual(["--no-such-flag"]);
    expect(unknownParts(program, "npx sgtm gtm deploy --env x")).toEqual(["gtm deploy"]);
  });
});

describe("the pull-request comment script", () => {
  const script = (() => {
    const step = workflow("pr.yml").jobs.comment.steps.find((s) =>
      s.uses?.startsWith("actions/github-script@"),
    );
    expect(step?.env).toEqual({ PLAN_DIR: "plans" });
    return String(step?.with?.script);
  })();

  interface Comment {
    id: number;
    body: string;
    user: { login: string };
  }

  /** GitHub's issue comments, in memory, with the calls the script made. */
  function fakeGitHub(comments: Comment[]) {
    const calls: string[] = [];
    let next = 1000;
    const github = {
      paginate: async (list: (args: unknown) => Promise<Comment[]>, args: unknown) => list(args),
      rest: {
        issues: {
          listComments: async (args: { issue_number: number }) => {
            expect(args).toEqual({ owner: "o", repo: "r", issue_number: 7 });
            return comments.map((c) => ({ ...c }));
          },
          createComment: async ({ body, issue_number }: { body: string; issue_number: number }) => {
            calls.push(`create #${issue_number} ${firstLine(body)}`);
            comments.push({ id: next++, body, user: { login: "github-actions[bot]" } });
          },
          updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
            calls.push(`update ${comment_id} ${firstLine(body)}`);
            const comment = comments.find((c) => c.id === comment_id);
            if (comment) comment.body = body;
          },
        },
      },
    };
    return { github, calls, comments };
  }

  const context = {
    repo: { owner: "o", repo: "r" },
    issue: { number: 7 },
    serverUrl: "https://github.com",
    runId: 42,
  };

  /** Runs the script the way actions/github-script does: an async function of require, github, context. */
  async function runScript(github: unknown, plans: Record<string, string>, stacks: string[]) {
    const dir = mkdtempSync(join(tmpdir(), "sgtm-plans-"));
    writeFileSync(join(dir, "changed.json"), JSON.stringify({ stacks }));
    for (const [stack, body] of Object.entries(plans)) writeFileSync(join(dir, `${stack}.md`), body);
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    const fn = new AsyncFunction("require", "github", "context", "process", script);
    await fn(require, github, context, { env: { PLAN_DIR: dir } });
  }

  const planOf = (stack: string, text = "a plan") =>
    `${commentMarker(stack)}\n## Plan for \`${stack}\`\n\n${text}\n`;
  const firstLine = (body: string) => body.split("\n")[0];

  test("posts one comment per changed environment, then updates them in place on the next push", async () => {
    const { github, calls, comments } = fakeGitHub([{ id: 1, body: "LGTM", user: { login: "someone" } }]);
    await runScript(
      github,
      { "acme-production": planOf("acme-production"), "acme-staging": planOf("acme-staging") },
      ["acme-production", "acme-staging"],
    );
    expect(calls).toEqual([
      "create #7 <!-- sgtm-plan:acme-production -->",
      "create #7 <!-- sgtm-plan:acme-staging -->",
    ]);
    calls.length = 0;
    await runScript(
      github,
      { "acme-production": planOf("acme-production", "a new plan"), "acme-staging": planOf("acme-staging") },
      ["acme-production", "acme-staging"],
    );
    expect(calls).toEqual(["update 1000 <!-- sgtm-plan:acme-production -->"]); // the unchanged one is left alone
    expect(comments).toHaveLength(3);
    expect(comments[1].body).toContain("a new plan");
  });

  test("a pull request that touches no environment: no comment", async () => {
    const { github, calls } = fakeGitHub([]);
    await runScript(github, {}, []);
    expect(calls).toEqual([]);
  });

  test("an environment no longer changed: its comment says so instead of showing a stale plan", async () => {
    const { github, calls, comments } = fakeGitHub([
      { id: 5, body: planOf("acme-staging"), user: { login: "github-actions[bot]" } },
    ]);
    await runScript(github, {}, []);
    expect(calls).toEqual(["update 5 <!-- sgtm-plan:acme-staging -->"]);
    expect(comments[0].body).toBe(
      `${commentMarker("acme-staging")}\n_This pull request no longer changes \`acme-staging\`._\n`,
    );
  });

  test("a plan that failed: a comment pointing at the run; someone else's comment quoting a marker is left alone", async () => {
    const quoted = {
      id: 9,
      body: `${commentMarker("acme-production")}\nquoted by hand`,
      user: { login: "someone" },
    };
    const { github, calls, comments } = fakeGitHub([quoted]);
    await runScript(github, { "acme-production": "" }, ["acme-production"]);
    expect(calls).toEqual(["create #7 <!-- sgtm-plan:acme-production -->"]);
    expect(comments[1].body).toContain(
      "The plan failed: see [the workflow run](https://github.com/o/r/actions/runs/42).",
    );
    expect(comments[0].body).toContain("quoted by hand");
  });
});

// ---- sgtm command lines ---------------------------------------------------------------------------

/** `npx sgtm ...` invocations in a shell script, each up to a redirection, pipe or end of line. */
/** `npx sgtm ...`, or `node bin/sgtm.js ...` (the project's own build, as the deploy's steps run it). */
function sgtmCommandLines(script: string): string[] {
  return [...script.matchAll(/(?:npx sgtm|node bin\/sgtm\.js) [^\n|>;&)]*/g)].map((m) => m[0].trim());
}

/** The parts of `line` the CLI does not know: a command path, or flags of that command. */
function unknownParts(program: Command, line: string): string[] {
  const words = line.replace(/^(npx sgtm|node bin\/sgtm\.js) /, "").match(/"[^"]*"|\S+/g) ?? [];
  let command = program;
  const path: string[] = [];
  const unknown: string[] = [];
  for (const word of words) {
    if (word.startsWith("--")) {
      const flag = word.split("=")[0];
      const known = [command, program].some((c) => c.options.some((o) => o.long === flag));
      if (!known) unknown.push(flag);
    } else if (!word.startsWith('"') && !word.startsWith("$") && command.commands.length > 0) {
      path.push(word);
      const sub = command.commands.find((c) => c.name() === word);
      if (!sub) return [path.join(" ")];
      command = sub;
    }
  }
  return unknown;
}
