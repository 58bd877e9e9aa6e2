/**
 * `sgtm fake`: serves the local fake Tag Manager API (the one `sgtm demo` and the tests use) until
 * SIGINT/SIGTERM, seeded with the container of every environment under --config-dir, so that
 * `SGTM_GTM_ROOT_URL=<its root> sgtm gtm plan|apply ...` can be tried without a Google account. State
 * lives in memory: every start begins from the seed again. The fake has no authentication, so it
 * listens on loopback addresses only (the same ones for which the CLI sends no credentials).
 */
import type { Command } from "commander";
import type { EnvironmentConfig } from "../config/model";
import { UserError } from "../errors/report";
import { isLoopback, ROOT_URL_ENV_VAR } from "../gtm/client/connect";
import { type FakeTagManager, startFakeTagManager } from "../gtm/fake";
import { seedDemoContainer } from "../gtm/fake/seed";
import { loadAll } from "./config-commands";

export const DEFAULT_FAKE_PORT = 4010;

/** `demo`: what a shop running sGTM already has (a GA4 client, one hand-made tag live). `empty`: nothing. */
export const FAKE_SEEDS = ["demo", "empty"] as const;
export type FakeSeed = (typeof FAKE_SEEDS)[number];

interface FakeOptions {
  port: string;
  host: string;
  seed: string;
}

export function registerFakeCommand(program: Command): void {
  program
    .command("fake")
    .description(
      `serve a local fake Tag Manager API for \`gtm plan/apply\` (no credentials) until Ctrl-C; use it with ${ROOT_URL_ENV_VAR}`,
    )
    .option("--port <n>", "port to listen on (0 picks a free one)", String(DEFAULT_FAKE_PORT))
    .option("--host <address>", "loopback address to listen on (127.0.0.1, ::1, localhost)", "127.0.0.1")
    .option("--seed <name>", `containers to start from: ${FAKE_SEEDS.join(" | ")}`, "demo")
    .action(async (opts: FakeOptions) => {
      const port = parsePort(opts.port);
      const host = loopbackHost(opts.host);
      const seed = parseSeed(opts.seed);
      const environments = loadAll(program);
      // Pages of 50 like a small real container (the fake's default of 2 is for the tests' paging).
      const fake = await startFakeTagManager({ host, port, pageSize: 50 }).catch((error: unknown) => {
        throw listenError(error, host, port);
      });
      for (const line of seedContainers(fake, environments, seed)) process.stderr.write(`${line}\n`);
      process.stderr.write(`fake Tag Manager API on ${fake.rootUrl} (in memory; Ctrl-C stops it)\n`);
      process.stdout.write(`export ${ROOT_URL_ENV_VAR}=${fake.rootUrl}\n`);
      const signal = await untilStopped();
      await fake.close();
      process.stderr.write(`fake Tag Manager API stopped (${signal})\n`);
    });
}

export function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new UserError(`--port ${text}: expected a whole number from 0 to 65535 (0 picks a free port)`);
  }
  return port;
}

/** The host when it is a loopback address, as `isLoopback` decides for `SGTM_GTM_ROOT_URL`. */
export function loopbackHost(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  if (!isLoopback(`http://${bare.includes(":") ? `[${bare}]` : bare}/`)) {
    throw new UserError(
      `--host ${host}: not a loopback address; the fake has no authentication, so it listens only on 127.0.0.1, ::1 or localhost`,
    );
  }
  return bare;
}

function parseSeed(name: string): FakeSeed {
  const seed = FAKE_SEEDS.find((s) => s === name);
  if (!seed) throw new UserError(`--seed ${name}: expected one of ${FAKE_SEEDS.join(", ")}`);
  return seed;
}

function listenError(error: unknown, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException)?.code;
  const where = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  if (code === "EADDRINUSE") {
    return new UserError(`${where} is already in use: pick another --port (--port 0 picks a free one)`);
  }
  if (code === "EACCES") return new UserError(`no permission to listen on ${where}: use a port above 1023`);
  if (code === "EADDRNOTAVAIL") return new UserError(`cannot listen on ${where}: no such address here`);
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * One container per distinct GTM container of the environments (two environments may share one), with
 * a line each saying what is in it.
 */
function seedContainers(fake: FakeTagManager, environments: readonly EnvironmentConfig[], seed: FakeSeed) {
  const lines: string[] = [];
  const seeded = new Set<string>();
  for (const env of environments) {
    const { accountId, containerId } = env.gtm;
    const containerPath = `accounts/${accountId}/containers/${containerId}`;
    if (seeded.has(containerPath)) {
      lines.push(`${env.stackName}: ${containerPath} (shared, seeded above)`);
      continue;
    }
    seeded.add(containerPath);
    if (seed === "demo") {
      const demo = seedDemoContainer(fake.state, { accountId, containerId });
      lines.push(
        `${env.stackName}: ${containerPath} (GA4 client, hand-made tag "${demo.handMadeTagName}", live version 1)`,
      );
    } else {
      fake.state.createContainer({ accountId, containerId, workspaceName: "Default Workspace" });
      lines.push(`${env.stackName}: ${containerPath} (empty)`);
    }
  }
  return lines;
}

/** Resolves with the first SIGINT or SIGTERM, then leaves both signals to their defaults again. */
function untilStopped(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
