/**
 * The review plan's renders, pinned by golden files under test/fixtures/review/ (byte for byte;
 * `UPDATE_GOLDEN=1` rewrites them), and searched for anything secret.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "../../src/gtm/core/sensitive";
import { desiredContainer } from "../../src/gtm/model/desired";
import { plan } from "../../src/gtm/plan";
import type { Plan } from "../../src/gtm/plan/types";
import { readTerraformPlan } from "../../src/review/cdktf-diff";
import { infraDiff } from "../../src/review/infra-diff";
import {
  COMMENT_LIMIT,
  commentMarker,
  type ReviewPlan,
  renderReviewJson,
  renderReviewMarkdown,
  renderReviewText,
  reviewExitCode,
  reviewHasChanges,
} from "../../src/review/plan-document";
import {
  emptyWorkspace,
  expectGolden,
  loadEnv,
  PRODUCTION_ENV,
  simulateApply,
  TOKEN_SENTINEL,
} from "../gtm/fixtures";
import { expectNoFixtureSecret, expectNothingSecretLooking, fixtureSynth, REVIEW_FIXTURES } from "./helpers";

const STACK = "shop-production";
/** expectGolden resolves names under test/fixtures/gtm. */
const golden = (name: string, text: string) => expectGolden(join("..", "review", name), text);
const cdktfOutput = (name: string) => readFileSync(join(REVIEW_FIXTURES, "cdktf-diff", name), "utf8");

function gtmWithChanges(): Plan {
  return plan(desiredContainer(loadEnv(PRODUCTION_ENV)), emptyWorkspace(), {});
}

function gtmNoOp(): Plan {
  const desired = desiredContainer(loadEnv(PRODUCTION_ENV));
  return plan(desired, simulateApply(desired, { publish: true }), { tokenHash: sha256(TOKEN_SENTINEL) });
}

function synthReview(gtm: Plan = gtmWithChanges()): ReviewPlan {
  return {
    stack: STACK,
    infrastructure: {
      source: "synth",
      diff: infraDiff(fixtureSynth("base"), fixtureSynth("head")),
      interruptions: [],
    },
    gtm,
    refusals: [],
  };
}

function noBaseReview(): ReviewPlan {
  return {
    stack: STACK,
    infrastructure: {
      source: "synth",
      diff: infraDiff(undefined, fixtureSynth("head")),
      note: `no base synth for ${STACK}: everything shows as added`,
      interruptions: [],
    },
    gtm: gtmNoOp(),
    refusals: [],
  };
}

function cdktfReview(file = "changes.txt"): ReviewPlan {
  const output = cdktfOutput(file);
  const summary = readTerraformPlan(output);
  if (!summary) throw new Error(`${file} has no plan summary`);
  return {
    stack: STACK,
    infrastructure: { source: "cdktf diff", summary, output },
    gtm: gtmNoOp(),
    refusals: ['version 7 "By hand" is newer than the live version and was not made by the kit'],
  };
}

describe("the pull-request comment (Markdown)", () => {
  test("golden: a synth diff and GTM changes", () => {
    golden("comment/synth-diff.md", renderReviewMarkdown(synthReview()));
  });

  test("golden: no base synth, GTM already in place", () => {
    golden("comment/no-base.md", renderReviewMarkdown(noBaseReview()));
  });

  test("golden: from cdktf diff, with what apply would refuse", () => {
    golden("comment/cdktf-diff.md", renderReviewMarkdown(cdktfReview()));
  });

  test("starts with the stack's marker, the one line the workflow looks for", () => {
    for (const review of [synthReview(), noBaseReview(), cdktfReview()]) {
      expect(renderReviewMarkdown(review).split("\n")[0]).toBe(`<!-- sgtm-plan:${STACK} -->`);
    }
    expect(commentMarker("acme-production")).toBe("<!-- sgtm-plan:acme-production -->");
  });

  test("holds no secret and nothing shaped like one, whatever the source", () => {
    for (const review of [synthReview(), noBaseReview(), cdktfReview()]) {
      expectNothingSecretLooking(renderReviewMarkdown(review));
      expectNothingSecretLooking(renderReviewText(review, { color: false }));
      expectNoFixtureSecret(renderReviewJson(review));
    }
    expect(cdktfOutput("changes.txt")).toContain("0123456789abcdef0123456789abcdef01234567"); // the fixture has one
  });

  test("fits in a GitHub comment, however long the cdktf diff output", () => {
    const review = cdktfReview();
    const long = { ...review, infrastructure: { ...review.infrastructure, output: "x ".repeat(80_000) } };
    const markdown = renderReviewMarkdown(long as ReviewPlan);
    expect(markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(markdown).toContain("(cut: the whole output is in the workflow log)");
  });
});

describe("text and JSON", () => {
  test("golden text, without color", () => {
    golden("comment/synth-diff.txt", renderReviewText(synthReview(gtmNoOp()), { color: false }));
  });

  test("golden JSON: {stack, interruptions, infrastructure, gtm}, gtm being the `gtm plan --json` document", () => {
    const text = renderReviewJson(synthReview(gtmNoOp()));
    golden("comment/synth-diff.json.txt", text);
    const document = JSON.parse(text);
    expect(Object.keys(document)).toEqual([
      "gtm",
      "infrastructure",
      "interruptions",
      "interruptionsAccepted",
      "stack",
    ]);
    expect(document.gtm).toMatchObject({ formatVersion: 1, environment: { stack: STACK } });
    expect(document.infrastructure).toMatchObject({
      source: "synth",
      hasChanges: true,
      summary: { add: 2, change: 2, replace: 0, remove: 2 },
    });
    expect(document.infrastructure.changed.map((r: { action: string }) => r.action)).toEqual([
      "update",
      "update",
    ]);
  });

  test("cdktf diff JSON carries the output with secrets replaced, and Terraform's counts", () => {
    const document = JSON.parse(renderReviewJson(cdktfReview()));
    expect(document.infrastructure).toMatchObject({
      source: "cdktf diff",
      hasChanges: true,
      summary: { import: 0, add: 0, change: 1, remove: 0 },
    });
    expect(document.infrastructure.output).toContain('+ value = "(sensitive)"');
  });
});

describe("changes pending (--detailed-exitcode)", () => {
  test("infrastructure or GTM changes, or a version to publish, are pending; nothing else is", () => {
    expect(reviewHasChanges(synthReview())).toBe(true);
    const quiet = (infraOutput: string, gtm: Plan): ReviewPlan => ({
      ...cdktfReview("no-changes.txt"),
      infrastructure: { source: "cdktf diff", summary: readTerraformPlan(infraOutput) as never, output: "" },
      gtm,
    });
    const noInfra = cdktfOutput("no-changes.txt");
    expect(reviewHasChanges(quiet(noInfra, gtmNoOp()))).toBe(false);
    expect(reviewHasChanges(quiet(cdktfOutput("outputs-only.txt"), gtmNoOp()))).toBe(true);
    expect(reviewHasChanges(quiet(noInfra, gtmWithChanges()))).toBe(true);
    const unpublished = gtmNoOp();
    const toPublish = { ...unpublished, publish: { ...unpublished.publish, liveDiffers: true } };
    expect(reviewHasChanges(quiet(noInfra, toPublish))).toBe(true);
  });
});

describe("interruptions: first in every render, and exit 1 until accepted", () => {
  const interrupted = (accepted = false): ReviewPlan => {
    const review = synthReview(gtmNoOp());
    if (review.infrastructure.source !== "synth") throw new Error("a synth review");
    return {
      ...review,
      infrastructure: {
        ...review.infrastructure,
        interruptions: [
          {
            kind: "address-replaced",
            resources: ["google_compute_global_address.https-frontend_address_1"],
            what: "the load balancer's address is deleted and created again",
            todo: "keep the address",
          },
        ],
      },
      interruptionsAccepted: accepted,
    };
  };

  test("exit codes: 1 with an interruption nobody accepted, else Terraform's", () => {
    expect(reviewExitCode(interrupted(), { detailedExitcode: false })).toBe(1);
    expect(reviewExitCode(interrupted(), { detailedExitcode: true })).toBe(1);
    expect(reviewExitCode(interrupted(true), { detailedExitcode: true })).toBe(2);
    expect(reviewExitCode(interrupted(true), { detailedExitcode: false })).toBe(0);
    expect(reviewExitCode(synthReview(gtmNoOp()), { detailedExitcode: true })).toBe(2);
    expect(reviewExitCode(cdktfReview(), { detailedExitcode: true })).toBe(1); // apply would refuse
  });

  test("text, Markdown and JSON open with them, and say how a reviewer accepts them", () => {
    const text = renderReviewText(interrupted(), { color: false });
    expect(text.split("\n").slice(0, 6)).toEqual([
      `Plan for ${STACK}`,
      "",
      `Interruptions (1): this change interrupts what ${STACK} serves`,
      "  ! the load balancer's address is deleted and created again",
      "    instead: keep the address",
      "  The plan fails (exit 1) until a reviewer accepts them: the pull-request label accept-interruptions, or --accept-interruptions.",
    ]);
    const markdown = renderReviewMarkdown(interrupted(true));
    expect(markdown.split("\n").slice(3, 8)).toEqual([
      "### Interruptions (1)",
      "",
      `This change interrupts what \`${STACK}\` serves:`,
      "",
      "- **the load balancer's address is deleted and created again**  ",
    ]);
    expect(markdown).toContain(
      "_Accepted by a reviewer (--accept-interruptions): the plan does not fail on them._",
    );
    const document = JSON.parse(renderReviewJson(interrupted()));
    expect(document.interruptions).toEqual([
      expect.objectContaining({ kind: "address-replaced", todo: "keep the address" }),
    ]);
    expect(document.interruptionsAccepted).toBe(false);
    // None: no section at all.
    expect(renderReviewText(synthReview(gtmNoOp()), { color: false })).not.toContain("Interruptions");
  });
});

describe("readTerraformPlan (cdktf diff's summary)", () => {
  test.each([
    ["changes.txt", { hasChanges: true, import: 0, add: 0, change: 1, destroy: 0 }],
    ["import.txt", { hasChanges: true, import: 1, add: 0, change: 2, destroy: 1 }],
    ["no-changes.txt", { hasChanges: false, import: 0, add: 0, change: 0, destroy: 0 }],
    ["outputs-only.txt", { hasChanges: true, import: 0, add: 0, change: 0, destroy: 0 }],
    // The GTM step is replaced on every plan (ADR 0006): not an infrastructure change.
    ["gtm-step-only.txt", { hasChanges: false, import: 0, add: 0, change: 0, destroy: 0 }],
  ])("%s", (file, summary) => {
    expect(readTerraformPlan(cdktfOutput(file))).toEqual(summary);
  });

  test("the GTM step's replacement is left out of a plan that changes more", () => {
    const both = cdktfOutput("gtm-step-only.txt").replace(
      "Plan: 1 to add, 0 to change, 1 to destroy.",
      "Plan: 2 to add, 1 to change, 1 to destroy.",
    );
    expect(readTerraformPlan(both)).toEqual({ hasChanges: true, import: 0, add: 1, change: 1, destroy: 0 });
  });

  test("no summary when the diff failed before planning, colors or not", () => {
    expect(readTerraformPlan(cdktfOutput("failed.txt"))).toBeUndefined();
    expect(readTerraformPlan("\u001b[1mPlan:\u001b[0m 1 to add, 0 to change, 0 to destroy.")).toMatchObject({
      add: 1,
    });
  });
});
