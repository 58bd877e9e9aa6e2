#!/usr/bin/env node
/**
 * Synth and test-suite benchmark (`npm run bench:synth`, which builds dist/ first).
 *
 * Synth: each scenario runs in a fresh `node` process, the way `cdktf synth` runs the app (the CLI adds
 * ~2 s of its own on top): 1 and 50 generated environments, with the deep imports of constructs/cdktf.ts,
 * and again with the provider package root loaded first (what a root import would cost). Wall time is
 * measured around the child; CPU time and peak RSS come from the child's own `process.resourceUsage()`.
 *
 * App command: the target is "the command cdktf.json runs, synthesizing every example stack, in under
 * half the time of a bare `node -e \"require('@cdktf/provider-google')\"`". Both run as commands (the app
 * through `sh -c`, as cdktf runs it), alternating, RUNS times each; the ratio is of the median wall times.
 * For comparison: the same app after one output of dist/ was deleted (one module re-transpiled), and the
 * previous app command, which ran tsc over the whole project first (BENCH_SKIP_PREVIOUS=1 skips it).
 *
 * Tests: the target is "`npm test` under 60 s on 2 cores", so the whole `npm test` (tsc --noEmit, biome
 * check, jest) runs as users and CI run it, with jest limited to 2 workers (`npm test -- --maxWorkers=2`),
 * pinned to 2 CPUs (taskset) when the machine has more; then each step alone, and jest in band for
 * comparison. Per command: wall time; CPU time of the whole process tree and the peak RSS of its largest
 * process (GNU time, which sees every waited-for descendant); and the peak RSS of the whole tree at
 * once (VmRSS summed over the tree, sampled from /proc every 100 ms; Linux only).
 */
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const MAIN = join(ROOT, "dist", "stacks", "main.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** The app command cdktf runs, against a bare provider root import, wall time side by side. */
const APP_TARGET_RATIO = 0.5;
const TARGETS = {
  "1 env": { cpuSeconds: 0.5, rssMiB: 150 },
  "50 envs": { cpuSeconds: 3, rssMiB: 300 },
};

if (!existsSync(MAIN)) {
  console.error(`${MAIN} is missing: run \`npm run build\` (npm run bench:synth does it).`);
  process.exit(1);
}

/** `count` environments over clients of 5, varied like real ones (certificates, geo headers, DNS zone). */
function generateConfig(count) {
  const dir = mkdtempSync(join(tmpdir(), `sgtm-bench-${count}-`));
  for (let i = 0; i < count; i++) {
    const client = `client${String(Math.floor(i / 5)).padStart(2, "0")}`;
    const env = ["production", "staging", "dev", "qa", "preprod"][i % 5];
    const tier = env === "production" ? "production" : env === "dev" ? "dev" : "staging";
    mkdirSync(join(dir, client), { recursive: true });
    writeFileSync(
      join(dir, client, "client.yaml"),
      [
        "gcp: { region: europe-west1 }",
        'gtm: { accountId: "6012345678" }',
        "tiktok: { pixelId: C4A1B2C3D4E5F6G7H8I9, pixelEventNames: current }",
      ].join("\n"),
    );
    writeFileSync(
      join(dir, client, `${env}.yaml`),
      [
        `tier: ${tier}`,
        `gcp: { project: ${client}-sgtm-${env} }`,
        "domain:",
        `  tagging: sgtm.${env}.${client}-shop.com`,
        `  certificates: ${i % 3 === 0 ? "certificate-manager" : "google-managed"}`,
        `  geoHeaders: ${i % 2 === 0}`,
        i % 4 === 0 ? `  dnsZone: { name: ${client}-shop-com }` : "",
        `gtm: { containerId: "${100000000 + i}" }`,
        tier === "production" ? "tiktok: { consent: ad-storage-granted }" : "",
      ]
        .filter(Boolean)
        .join("\n"),
    );
  }
  return dir;
}

const CHILD = `
const started = process.hrtime.bigint();
if (process.env.BENCH_PROVIDER_ROOT) require("@cdktf/provider-google");
const { main } = require(process.env.BENCH_MAIN);
const code = main(process.env, process.env.BENCH_OUTDIR);
const usage = process.resourceUsage();
process.stdout.write(JSON.stringify({
  code,
  inProcessMs: Number(process.hrtime.bigint() - started) / 1e6,
  cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
  rssMiB: usage.maxRSS / 1024,
}));
`;

function synthOnce(configDir, providerRoot) {
  const outdir = mkdtempSync(join(tmpdir(), "sgtm-bench-out-"));
  const env = {
    ...process.env,
    SGTM_CONFIG_DIR: configDir,
    CDKTF_OUTDIR: outdir,
    BENCH_OUTDIR: outdir,
    BENCH_MAIN: MAIN,
    BENCH_PROVIDER_ROOT: providerRoot ? "1" : "",
  };
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ["-e", CHILD], { cwd: ROOT, env, encoding: "utf8" });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  rmSync(outdir, { recursive: true, force: true });
  if (child.status !== 0) throw new Error(`synth failed:\n${child.stderr}`);
  const result = JSON.parse(child.stdout);
  if (result.code !== 0) throw new Error(`synth exited ${result.code}:\n${child.stderr}`);
  return { wallSeconds, cpuSeconds: result.cpuSeconds, rssMiB: result.rssMiB };
}

/** Median wall and CPU, highest RSS over RUNS fresh processes. */
function measure(configDir, providerRoot) {
  const runs = Array.from({ length: RUNS }, () => synthOnce(configDir, providerRoot));
  const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  return {
    wallSeconds: median("wallSeconds"),
    cpuSeconds: median("cpuSeconds"),
    rssMiB: Math.max(...runs.map((r) => r.rssMiB)),
  };
}

const TEST_TARGET_SECONDS = 60;
const TEST_CPUS = 2;
const SAMPLE_MS = 100;

/** `taskset -c 0,1` when the machine has more than 2 CPUs (and taskset exists), so the run sees 2 cores. */
function cpuPinning() {
  const cpus = availableParallelism();
  if (cpus > TEST_CPUS && existsSync("/usr/bin/taskset")) {
    const list = Array.from({ length: TEST_CPUS }, (_, i) => i).join(",");
    return { prefix: ["/usr/bin/taskset", "-c", list], note: `pinned to CPUs ${list} of ${cpus}` };
  }
  return { prefix: [], note: `${cpus} CPU(s), not pinned` };
}

/** Pid -> parent pid for every process in /proc (Linux), or undefined elsewhere. */
function parentsOf() {
  let names;
  try {
    names = readdirSync("/proc");
  } catch {
    return undefined;
  }
  const parents = new Map();
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command name (field 2) may hold spaces and parentheses: the fields after its last ")".
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // The process exited meanwhile.
    }
  }
  return parents;
}

/** Summed VmRSS (MiB) of `root` and all its descendants, or NaN without /proc. */
function treeRssMiB(root) {
  const parents = parentsOf();
  if (!parents) return Number.NaN;
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!tree.has(pid) && tree.has(parent)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let kib = 0;
  for (const pid of tree) {
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // Exited meanwhile.
    }
  }
  return kib / 1024;
}

/** Runs `argv` in ROOT (pinned to 2 CPUs when needed) and measures it; see the header comment. */
function measureCommand(argv, env = {}) {
  const gnuTime = existsSync("/usr/bin/time");
  const timeFile = join(mkdtempSync(join(tmpdir(), "sgtm-bench-time-")), "time");
  const command = [
    ...(gnuTime ? ["/usr/bin/time", "-o", timeFile, "-f", "%e %U %S %M"] : []),
    ...cpuPinning().prefix,
    ...argv,
  ];
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command[0], command.slice(1), {
      cwd: ROOT,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    let treePeak = 0;
    const sampler = setInterval(() => {
      treePeak = Math.max(treePeak, treeRssMiB(child.pid));
    }, SAMPLE_MS);
    child.on("error", reject);
    child.on("close", (status) => {
      clearInterval(sampler);
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      const times = gnuTime ? readFileSync(timeFile, "utf8").trim().split("\n").pop().split(" ") : [];
      rmSync(dirname(timeFile), { recursive: true, force: true });
      const summary = /Tests:\s+(.*)/.exec(output)?.[1] ?? "";
      resolvePromise({
        status,
        wallSeconds,
        cpuSeconds: times.length ? Number(times[1]) + Number(times[2]) : Number.NaN,
        rssMiB: times.length ? Number(times[3]) / 1024 : Number.NaN,
        treeRssMiB: treePeak || Number.NaN,
        note: `${status === 0 ? "green" : `FAILED (exit ${status}), not a valid measurement`}${summary ? `: ${summary}` : ""}`,
        output,
      });
    });
  });
}

const configs = { "1 env": generateConfig(1), "50 envs": generateConfig(50) };
const rows = [];
for (const [label, dir] of Object.entries(configs)) {
  for (const providerRoot of [false, true]) {
    const m = measure(dir, providerRoot);
    const target = TARGETS[label];
    const verdict = providerRoot
      ? "(comparison)"
      : m.cpuSeconds < target.cpuSeconds && m.rssMiB < target.rssMiB
        ? `ok (< ${target.cpuSeconds} s CPU, < ${target.rssMiB} MiB)`
        : `MISSED (< ${target.cpuSeconds} s CPU, < ${target.rssMiB} MiB)`;
    rows.push([
      `synth ${label}, ${providerRoot ? "provider root import" : "deep imports (the app)"}`,
      m,
      verdict,
    ]);
  }
}
for (const dir of Object.values(configs)) rmSync(dir, { recursive: true, force: true });

// The app command against a bare root import, in alternation so that machine load hits both alike.
const EXAMPLE_STACKS = readdirSync(join(ROOT, "config"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((client) =>
    readdirSync(join(ROOT, "config", client.name))
      .filter((file) => file.endsWith(".yaml") && file !== "client.yaml")
      .map((file) => `${client.name}-${file.slice(0, -".yaml".length)}`),
  )
  .sort();
const APP_COMMAND = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).app;
const PREVIOUS_APP_COMMAND = "npm run --silent build && node dist/stacks/main.js";
/** A module the launcher must re-transpile when its output is gone (as after an edit of its source). */
const STALE_OUTPUT = join(ROOT, "dist", "stacks", "environment-stack.js");

/** `command` through the shell as cdktf runs it, into a fresh output folder that must hold every example stack. */
async function measureApp(command, before = () => {}) {
  const outdir = mkdtempSync(join(tmpdir(), "sgtm-bench-app-"));
  before();
  const m = await measureCommand(["/bin/sh", "-c", command], { CDKTF_OUTDIR: outdir });
  const stacks = existsSync(join(outdir, "stacks")) ? readdirSync(join(outdir, "stacks")).sort() : [];
  rmSync(outdir, { recursive: true, force: true });
  if (m.status !== 0 || stacks.join(",") !== EXAMPLE_STACKS.join(",")) {
    throw new Error(`${command} synthesized [${stacks}], not [${EXAMPLE_STACKS}]:\n${m.output}`);
  }
  return m;
}

const sides = {
  app: { label: `app \`${APP_COMMAND}\` (${EXAMPLE_STACKS.length} example stacks), dist/ fresh`, runs: [] },
  stale: { label: "  same, one module re-transpiled", runs: [] },
  bare: { label: `bare \`node -e "require('@cdktf/provider-google')"\``, runs: [] },
  previous: { label: `previous app command \`${PREVIOUS_APP_COMMAND}\``, runs: [] },
};
await measureApp(APP_COMMAND); // brings dist/ up to date, warms the file cache
for (let i = 0; i < RUNS; i++) {
  sides.app.runs.push(await measureApp(APP_COMMAND));
  sides.bare.runs.push(await measureCommand([process.execPath, "-e", "require('@cdktf/provider-google')"]));
  sides.stale.runs.push(await measureApp(APP_COMMAND, () => rmSync(STALE_OUTPUT, { force: true })));
  if (!process.env.BENCH_SKIP_PREVIOUS) sides.previous.runs.push(await measureApp(PREVIOUS_APP_COMMAND));
}
const medianOf = (runs) => {
  const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  return {
    wallSeconds: median("wallSeconds"),
    cpuSeconds: median("cpuSeconds"),
    rssMiB: Math.max(...runs.map((r) => r.rssMiB)),
    treeRssMiB: Math.max(...runs.map((r) => r.treeRssMiB)),
  };
};
const bare = medianOf(sides.bare.runs);
const ratioTo = (m) => m.wallSeconds / bare.wallSeconds;
for (const [key, side] of Object.entries(sides)) {
  if (side.runs.length === 0) continue;
  const m = medianOf(side.runs);
  const ratio = `${ratioTo(m).toFixed(2)}x the bare import`;
  const note =
    key === "bare"
      ? "(the yardstick)"
      : key === "app"
        ? `${ratioTo(m) < APP_TARGET_RATIO ? "ok" : "MISSED"}: ${ratio} (target < ${APP_TARGET_RATIO}x)`
        : `${ratio} (comparison)`;
  rows.push([side.label, m, note]);
}

const extraJestArgs = process.env.BENCH_JEST_ARGS ? process.env.BENCH_JEST_ARGS.split(" ") : [];
const JEST = [process.execPath, join(ROOT, "node_modules", "jest", "bin", "jest.js")];
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
let testNote = "";
if (!process.env.BENCH_SKIP_TESTS && !process.env.BENCH_SKIP_JEST) {
  testNote = cpuPinning().note;
  const whole = await measureCommand([NPM, "test", "--", "--maxWorkers=2", ...extraJestArgs]);
  const verdict =
    whole.status !== 0
      ? whole.note
      : `${whole.wallSeconds < TEST_TARGET_SECONDS ? "ok" : "MISSED"} (< ${TEST_TARGET_SECONDS} s wall on ${TEST_CPUS} cores); ${whole.note}`;
  rows.push(["npm test -- --maxWorkers=2 (tsc + biome + jest)", whole, verdict]);
  if (whole.status !== 0) process.stderr.write(`npm test failed:\n${whole.output.slice(-4000)}\n`);
  const steps = [
    ["  step: tsc --noEmit (npm run typecheck)", [NPM, "run", "--silent", "typecheck"]],
    ["  step: biome check . (npm run lint)", [NPM, "run", "--silent", "lint"]],
    ["  step: jest --maxWorkers=2", [...JEST, "--maxWorkers=2", ...extraJestArgs]],
    ["jest --runInBand (comparison)", [...JEST, "--runInBand", ...extraJestArgs]],
  ];
  for (const [label, argv] of steps) {
    const m = await measureCommand(argv);
    rows.push([label, m, m.note]);
  }
}

const header = ["scenario", "wall s", "CPU s", "peak RSS MiB", "tree peak MiB", "target / result"];
const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : "-");
const table = rows.map(([name, m, note]) => [
  name,
  fixed(m.wallSeconds, 2),
  fixed(m.cpuSeconds, 2),
  fixed(m.rssMiB, 0),
  fixed(m.treeRssMiB, 0),
  note,
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const line = (cells) =>
  cells.map((c, i) => (i > 0 && i < 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
console.log(
  `node ${process.version}, ${RUNS} fresh processes per synth scenario (median wall/CPU, max RSS)` +
    (testNote
      ? `; tests: ${testNote}. CPU s and peak RSS of the test rows cover the whole process tree ` +
        "(peak RSS: its largest process; tree peak: all its processes at once, sampled every 100 ms)"
      : ""),
);
console.log("");
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of table) console.log(line(row));
