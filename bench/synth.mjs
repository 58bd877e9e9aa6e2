#!/usr/bin/env node
/**
 * Synth benchmark (`npm run bench:synth`, which builds dist/ first). Each scenario runs in a fresh
 * `node` process, the way `cdktf synth` runs the app (the CLI adds ~2 s of its own on top):
 * 1 and 50 generated environments, with the deep imports of constructs/cdktf.ts, and again with the
 * provider package root loaded first (what a root import would cost). Then the jest suite.
 *
 * Wall time is measured around the child; CPU time and peak RSS come from the child's own
 * `process.resourceUsage()` at exit (jest: GNU time, CPU of all workers, RSS of the largest process).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const MAIN = join(ROOT, "dist", "stacks", "main.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
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

function measureJest(args) {
  const gnuTime = existsSync("/usr/bin/time");
  const jest = [process.execPath, join(ROOT, "node_modules", "jest", "bin", "jest.js"), "--silent", ...args];
  const command = gnuTime ? ["/usr/bin/time", "-f", "BENCH_TIME %e %U %S %M", ...jest] : jest;
  const started = process.hrtime.bigint();
  const child = spawnSync(command[0], command.slice(1), { cwd: ROOT, encoding: "utf8" });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const times = /BENCH_TIME (\S+) (\S+) (\S+) (\d+)/.exec(child.stderr ?? "");
  const summary = /Tests:\s+(.*)/.exec(child.stderr ?? "")?.[1] ?? "no summary";
  return {
    wallSeconds,
    cpuSeconds: times ? Number(times[2]) + Number(times[3]) : Number.NaN,
    rssMiB: times ? Number(times[4]) / 1024 : Number.NaN,
    note: `${child.status === 0 ? "green" : `exit ${child.status}`}: ${summary}`,
  };
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

const jestArgs = process.env.BENCH_JEST_ARGS ? process.env.BENCH_JEST_ARGS.split(" ") : [];
if (!process.env.BENCH_SKIP_JEST) {
  const parallel = measureJest(jestArgs);
  rows.push([`jest ${jestArgs.join(" ") || "(all tests, workers)"}`, parallel, parallel.note]);
  const inBand = measureJest(["--runInBand", ...jestArgs]);
  rows.push([`jest --runInBand ${jestArgs.join(" ")}`.trim(), inBand, inBand.note]);
}

const header = ["scenario", "wall s", "CPU s", "peak RSS MiB", "target / result"];
const table = rows.map(([name, m, note]) => [
  name,
  m.wallSeconds.toFixed(2),
  m.cpuSeconds.toFixed(2),
  m.rssMiB.toFixed(0),
  note,
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const line = (cells) =>
  cells.map((c, i) => (i > 0 && i < 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
console.log(
  `node ${process.version}, ${RUNS} fresh processes per synth scenario (median wall/CPU, max RSS)\n`,
);
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of table) console.log(line(row));
