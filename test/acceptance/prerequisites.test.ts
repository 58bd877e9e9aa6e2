/**
 * The prerequisite checks, one message and one fix each, over injected reads and tools; and the real
 * reads' requests (URL, method, body) and answers, against a local server standing in for Google.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { PREREQUISITE_ROOTS, prerequisiteReads } from "../../src/acceptance/google-reads";
import { checkPrerequisites, type PrerequisiteContext } from "../../src/acceptance/prerequisites";
import { acceptancePlan } from "../../src/acceptance/steps";
import { RemoteCallError } from "../../src/doctor/errors";
import { environmentOf, passingReads, testInputs } from "./helpers";

const TOOLS: Record<string, { exitCode: number; output: string }> = {
  terraform: { exitCode: 0, output: '{\n  "terraform_version": "1.11.4",\n  "platform": "linux_amd64"\n}\n' },
  cdktf: { exitCode: 0, output: "0.21.0\n" },
};

function context(overrides: Partial<PrerequisiteContext> = {}, inputs = testInputs()): PrerequisiteContext {
  return {
    plan: acceptancePlan(inputs),
    env: environmentOf(inputs),
    reads: passingReads(),
    tool: async (argv) => TOOLS[argv[0]] ?? { exitCode: 127, output: `${argv[0]}: not found on PATH` },
    exists: () => true,
    vars: { SGTM_TIKTOK_ACCESS_TOKEN_ACCEPTANCE_T1: "token" },
    pinnedCdktf: "0.21.0",
    ...overrides,
  };
}

async function results(ctx: PrerequisiteContext, cleanupOnly = false) {
  const report = await checkPrerequisites(ctx, { cleanupOnly });
  return Object.fromEntries(report.results.map((r) => [r.name, r]));
}

describe("the prerequisite checks", () => {
  it("all pass on a ready sandbox, and read the versions the report names", async () => {
    const report = await checkPrerequisites(context());
    expect(report.results.filter((r) => r.status === "fail")).toEqual([]);
    expect(report.results.filter((r) => r.status === "skip").map((r) => r.name)).toEqual([
      "state-bucket",
      "dns-zone",
    ]);
    expect(report.versions).toEqual({ terraform: "1.11.4", cdktf: "0.21.0" });
  });

  it("fail for the machine: not the kit's folder, not built, no Terraform, another cdktf", async () => {
    const r = await results(
      context({
        exists: (path) => path !== "dist/src/cli/main.js",
        tool: async (argv) =>
          argv[0] === "cdktf"
            ? { exitCode: 0, output: "0.20.11\n" }
            : { exitCode: 127, output: "terraform: not found on PATH" },
      }),
    );
    expect(r["project-root"]).toMatchObject({ status: "fail", fix: "npm run build" });
    expect(r.terraform).toMatchObject({
      status: "fail",
      detail: "terraform version failed: terraform: not found on PATH",
      fix: expect.stringContaining("install Terraform 1.4 or later"),
    });
    expect(r.cdktf).toMatchObject({
      status: "fail",
      detail: "cdktf 0.20.11 is on PATH; the kit is built and tested with 0.21.0",
    });
    const outside = await results(context({ exists: () => false }));
    expect(outside["project-root"].fix).toContain("run the command from the sgtm-tiktok-kit folder");
  });

  it("fail for the project: no login, APIs off (or Service Usage itself off), a web container, no token version", async () => {
    const r = await results(
      context(
        {
          reads: passingReads({
            identity: async () => {
              throw new Error("Could not load the default credentials.");
            },
            serviceState: async (_p, service) => {
              if (service === "serviceusage.googleapis.com") {
                throw new RemoteCallError(
                  "Service Usage API has not been used in project 1 before or it is disabled",
                  "http",
                  403,
                );
              }
              return "DISABLED";
            },
            containerUsage: async () => ["web"],
            secretHasVersion: async () => false,
          }),
        },
        testInputs({ tokenSecret: "sandbox-token" }),
      ),
    );
    expect(r["google-credentials"]).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("gcloud auth application-default login"),
    });
    expect(r.apis).toMatchObject({
      status: "fail",
      detail:
        "cloudresourcemanager.googleapis.com, serviceusage.googleapis.com not enabled on sgtm-sandbox-1: the stack cannot enable them itself",
      fix: "gcloud services enable cloudresourcemanager.googleapis.com serviceusage.googleapis.com --project sgtm-sandbox-1",
    });
    expect(r["gtm-container"]).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("is a web container"),
    });
    expect(r["tiktok-token"]).toMatchObject({
      status: "fail",
      detail: "secret sandbox-token has no enabled version",
    });
  });

  it("turn a denied read into what to grant, and a missing resource into what to check", async () => {
    const denied = new RemoteCallError("Permission denied", "http", 403);
    const missing = new RemoteCallError("Not found", "http", 404);
    const r = await results(
      context(
        {
          reads: passingReads({
            billingEnabled: async () => {
              throw denied;
            },
            bucketExists: async () => {
              throw missing;
            },
            dnsZoneName: async () => "other-shop.com.",
          }),
        },
        testInputs({ stateBucket: "sandbox-tfstate", dnsZone: "acme-shop" }),
      ),
    );
    expect(r.billing).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("resourcemanager.projects.get"),
    });
    expect(r["state-bucket"]).toMatchObject({
      status: "fail",
      detail: "bucket sandbox-tfstate does not exist",
      fix: "gcloud storage buckets create gs://sandbox-tfstate --project sgtm-sandbox-1",
    });
    expect(r["dns-zone"]).toMatchObject({
      status: "fail",
      detail: "zone acme-shop is other-shop.com., which does not hold sgtm-test.acme-shop.com",
    });
  });

  it("ask for roles/dns.admin only with --dns-zone", async () => {
    const asked: string[][] = [];
    const reads = passingReads({
      grantedPermissions: async (_p, permissions) => {
        asked.push([...permissions]);
        return permissions.filter((p) => !p.startsWith("dns."));
      },
    });
    expect((await results(context({ reads })))["deployer-permissions"].status).toBe("pass");
    const withZone = await results(context({ reads }, testInputs({ dnsZone: "acme-shop" })));
    expect(withZone["deployer-permissions"]).toMatchObject({
      status: "fail",
      detail: "the identity lacks roles/dns.admin (dns.changes.create) on sgtm-sandbox-1",
    });
    expect(asked[0]).not.toContain("dns.changes.create");
  });

  it("say what the run leaves out without --pixel or --test-event-code, without failing", async () => {
    const r = await results(
      context({ vars: {} }, testInputs({ pixel: undefined, testEventCode: undefined })),
    );
    expect(r["tiktok-token"]).toMatchObject({ status: "skip" });
    expect(r["test-event-code"]).toMatchObject({
      status: "skip",
      detail: expect.stringContaining("TikTok accepting one is not proven"),
    });
  });

  it("before a cleanup, check only the tools and the identity", async () => {
    expect(Object.keys(await results(context(), true))).toEqual([
      "project-root",
      "terraform",
      "cdktf",
      "google-credentials",
    ]);
  });

  it("fail a check that throws with its message, and run the others", async () => {
    const r = await results(
      context({
        exists: () => {
          throw new TypeError("boom");
        },
      }),
    );
    expect(r["project-root"]).toMatchObject({ status: "fail", detail: "the check itself failed: boom" });
    expect(r.billing.status).toBe("pass");
  });
});

describe("the real reads", () => {
  interface Seen {
    readonly method: string;
    readonly path: string;
    readonly body: unknown;
  }

  async function withGoogle(
    answer: (seen: Seen) => { status: number; body: unknown },
    test: (reads: ReturnType<typeof prerequisiteReads>, seen: Seen[]) => Promise<void>,
  ) {
    const seen: Seen[] = [];
    const server = createServer(async (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString("utf8");
      const entry = {
        method: req.method ?? "",
        path: decodeURIComponent(req.url ?? ""),
        body: text ? JSON.parse(text) : undefined,
      };
      seen.push(entry);
      const { status, body } = answer(entry);
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const roots = Object.fromEntries(
      Object.keys(PREREQUISITE_ROOTS).map((key) => [key, root]),
    ) as unknown as typeof PREREQUISITE_ROOTS;
    const request = async (url: string, post?: { body: unknown }) => {
      const response = await fetch(
        url,
        post
          ? {
              method: "POST",
              body: JSON.stringify(post.body),
              headers: { "content-type": "application/json" },
            }
          : {},
      );
      return { status: response.status, data: await response.json() };
    };
    try {
      await test(
        prerequisiteReads(
          request,
          { identity: async () => "me", containerUsage: async () => ["server"] },
          roots,
        ),
        seen,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it("read billing, a service, the permissions (POST), a bucket, a zone and a secret at their REST paths", async () => {
    await withGoogle(
      ({ path }) => {
        if (path.endsWith("/billingInfo")) return { status: 200, body: { billingEnabled: true } };
        if (path.includes("/services/")) return { status: 200, body: { state: "ENABLED" } };
        if (path.endsWith(":testIamPermissions"))
          return { status: 200, body: { permissions: ["run.services.create"] } };
        if (path.includes("/managedZones/")) return { status: 200, body: { dnsName: "acme-shop.com." } };
        if (path.includes("/versions")) return { status: 200, body: { versions: [{ state: "ENABLED" }] } };
        return { status: 200, body: { name: "sandbox-tfstate" } };
      },
      async (reads, seen) => {
        expect(await reads.billingEnabled("p-1")).toBe(true);
        expect(await reads.serviceState("p-1", "serviceusage.googleapis.com")).toBe("ENABLED");
        expect(
          await reads.grantedPermissions("p-1", ["run.services.create", "iam.serviceAccounts.create"]),
        ).toEqual(["run.services.create"]);
        await reads.bucketExists("sandbox-tfstate");
        expect(await reads.dnsZoneName("p-1", "acme-shop")).toBe("acme-shop.com.");
        expect(await reads.secretHasVersion("p-1", "tok")).toBe(true);
        expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
          "GET /v1/projects/p-1/billingInfo",
          "GET /v1/projects/p-1/services/serviceusage.googleapis.com",
          "POST /v1/projects/p-1:testIamPermissions",
          "GET /storage/v1/b/sandbox-tfstate",
          "GET /dns/v1/projects/p-1/managedZones/acme-shop",
          "GET /v1/projects/p-1/secrets/tok/versions?filter=state:ENABLED&pageSize=1",
        ]);
        expect(seen[2].body).toEqual({ permissions: ["run.services.create", "iam.serviceAccounts.create"] });
      },
    );
  });

  it("reject with Google's message and the status, so a check can say what a 403 or 404 means", async () => {
    await withGoogle(
      () => ({ status: 403, body: { error: { code: 403, message: "The caller does not have permission" } } }),
      async (reads) => {
        await expect(reads.billingEnabled("p-1")).rejects.toMatchObject({
          kind: "http",
          status: 403,
          message: "The caller does not have permission",
        });
      },
    );
  });
});
