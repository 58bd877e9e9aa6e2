/**
 * The layer table: who may import whom (`LAYERS`) and where each module sits (`PLACES`). The import
 * test (imports.test.ts) enforces it; it is data so the architecture document can be written from it.
 */

/** The one module allowed to import cdktf, constructs and provider bindings (docs/adr/0001). */
export const SEAM = "constructs/cdktf.ts";

export type Layer =
  | "naming"
  | "config"
  | "errors"
  | "gtm core"
  | "gtm shell"
  | "review"
  | "credentials"
  | "bootstrap"
  | "doctor"
  | "acceptance"
  | "cli"
  | "seam"
  | "constructs"
  | "stacks";

export interface LayerRule {
  /** Layers this one may import from (besides itself; cycles are checked on their own). */
  readonly imports: readonly Layer[];
  /** Layers it may import types from, and nothing else. */
  readonly types?: readonly Layer[];
}

/**
 * Who may import whom. Two towers share the bottom (naming, config, errors): gtm core -> gtm shell -> cli
 * for the command line, seam -> constructs -> stacks for the synth app; neither tower imports the other.
 * Tests, bench and bin sit outside the table: they may import any layer.
 */
export const LAYERS: Readonly<Record<Layer, LayerRule>> = {
  /** Names derived from a stack: GCP resource names, per-stack variables, the secret commands. */
  naming: { imports: [] },
  /** The YAML loaded, checked and resolved into EnvironmentConfig. */
  config: { imports: ["naming"] },
  /** UserError and how an expected failure reaches the user; for the CLI, the synth app, GTM's refusals. */
  errors: { imports: ["config"] },
  /** Pure: the API's vocabulary, the desired container, the plan against a workspace as read, its text and export. */
  "gtm core": { imports: ["config", "naming"] },
  /** Effects: the API clients and the access token, reading a workspace, apply and its refusals, the fake GTM server. */
  "gtm shell": { imports: ["gtm core", "errors", "config", "naming"] },
  /** Pure: the infrastructure diff between synths, which stacks a change touches, the review plan's renders. */
  review: { imports: ["gtm core", "config", "naming"] },
  /** The Google identity every remote call runs as (Terraform's google provider's), and how to give one. */
  credentials: { imports: ["gtm shell", "gtm core", "errors", "config", "naming"] },
  /** `sgtm bootstrap`: the secrets and the container's URL before the first deploy's services. */
  bootstrap: { imports: ["credentials", "gtm shell", "gtm core", "errors", "config", "naming"] },
  /** `sgtm doctor`: checks of a deployed environment over injected remote calls, and their real adapters. */
  doctor: { imports: ["credentials", "gtm shell", "gtm core", "errors", "config", "naming"] },
  /**
   * `sgtm acceptance`: a throwaway environment deployed, checked (doctor in this process, the plans as
   * commands) and destroyed; pure plan and report, a thin runner over an injected process runner.
   */
  acceptance: {
    imports: ["review", "doctor", "credentials", "gtm shell", "gtm core", "errors", "config", "naming"],
  },
  /** The command line: may use everything in src, never the CDKTF code (it would load cdktf). */
  cli: {
    imports: [
      "acceptance",
      "review",
      "bootstrap",
      "doctor",
      "credentials",
      "gtm shell",
      "gtm core",
      "errors",
      "config",
      "naming",
    ],
  },
  /** constructs/cdktf.ts, the one door to cdktf and the provider. */
  seam: { imports: [] },
  /** Constructs take plain props: config's types may name them, config's code is the stack's business. */
  constructs: { imports: ["seam", "naming"], types: ["config"] },
  /** The synth app: one stack per environment. Never the CLI (commander) or GTM. */
  // stacks compose: the pure GTM core gives each stack its desired model (no API client, no effects).
  stacks: { imports: ["constructs", "seam", "gtm core", "errors", "config", "naming"] },
};

/**
 * Where each module sits: a path ending in `/` places a folder, any other one file; the longest match
 * wins. A file under `LAYERED` that nothing matches fails the test: place it here. GTM's folders say
 * their layer: no file sits at the top of src/gtm.
 */
export const PLACES: Readonly<Record<string, Layer>> = {
  "src/naming/": "naming",
  "src/config/": "config",
  "src/errors/": "errors",
  "src/gtm/core/": "gtm core", // the API's types and error class, entity kinds, canonical JSON, the TikTok template
  "src/gtm/model/": "gtm core",
  "src/gtm/plan/": "gtm core",
  "src/gtm/render/": "gtm core",
  "src/gtm/export/": "gtm core",
  "src/gtm/dedup/": "gtm core", // the web container's dedup verdicts; its reads are injected (never a write)
  "src/gtm/client/": "gtm shell", // the Tag Manager client, resilience, connection, failure explanations, the token
  "src/gtm/apply/": "gtm shell", // reading and planning a workspace, the run, its lock, entity writes, refusals
  "src/gtm/fake/": "gtm shell",
  "src/review/": "review",
  "src/credentials/": "credentials", // which Google identity the kit runs as; one help text
  "src/bootstrap/": "bootstrap", // the first deploy's secrets and container URL, outside the CLI
  "src/doctor/": "doctor",
  "src/acceptance/": "acceptance", // the acceptance run on a sandbox project: steps, report, prerequisites, runner
  "src/cli/": "cli",
  [SEAM]: "seam",
  "constructs/": "constructs",
  "stacks/": "stacks",
};

/** The folders whose every file must be placed. */
export const LAYERED: readonly string[] = ["src/", "constructs/", "stacks/"];
