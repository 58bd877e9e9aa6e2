import type { Tag, Variable } from "../../src/gtm/core/api";
import { sha256 } from "../../src/gtm/core/sensitive";
import { renderGtmExport } from "../../src/gtm/export";
import { desiredContainer } from "../../src/gtm/model/desired";
import type { DesiredContainer } from "../../src/gtm/model/types";
import { plan } from "../../src/gtm/plan";
import type { ActualWorkspace } from "../../src/gtm/plan/actual";
import type { Plan } from "../../src/gtm/plan/types";
import { renderJson, renderMarkdown, renderText } from "../../src/gtm/render";
import { planDocument } from "../../src/gtm/render/document";
import {
  adopted,
  emptyWorkspace,
  expectGolden,
  galleryTemplate,
  handMade,
  loadEnv,
  PRODUCTION_ENV,
  simulateApply,
  TOKEN_SENTINEL,
} from "./fixtures";

const STACK = "shop-production";
const production = (): DesiredContainer => desiredContainer(loadEnv(PRODUCTION_ENV));

function driftPlan(): Plan {
  const desired = production();
  const applied = simulateApply(desired, { publish: true });
  const tags = applied.tags.map((t) =>
    t.name === "TikTok Kit | Pageview (page_view)"
      ? {
          ...t,
          parameter: (t.parameter ?? []).map((p) => (p.key === "event" ? { ...p, value: "PageView" } : p)),
        }
      : t,
  );
  return plan(desired, { ...applied, tags }, { tokenHash: sha256(TOKEN_SENTINEL) });
}

function problemsPlan(): Plan {
  const existing: ActualWorkspace = {
    ...emptyWorkspace(),
    templates: [galleryTemplate()],
    triggers: [handMade.purchaseTrigger()],
    tags: [handMade.tikTokTag("cvt_5TP8W")],
    variables: [{ ...handMade.variable("TikTok Kit | Pixel ID"), type: "c" }],
  };
  return plan(production(), existing, {});
}

describe("the summary line", () => {
  test("a plan with errors never says 'No changes', even when it changes nothing", () => {
    const desired = production();
    const applied = simulateApply(desired, { publish: true });
    const clash = { ...handMade.variable("TikTok Kit | Pixel ID"), type: "c" };
    const withErrors = plan(
      desired,
      { ...applied, variables: applied.variables.map((v) => (v.name === clash.name ? clash : v)) },
      { tokenHash: sha256(TOKEN_SENTINEL) },
    );
    expect(withErrors.errors.length).toBeGreaterThan(0);
    expect(withErrors.hasChanges).toBe(false);
    for (const text of [renderText(withErrors, { color: false }), renderMarkdown(withErrors)]) {
      expect(text).not.toContain("No changes");
      expect(text).toContain(
        "Plan: 0 to add, 0 to change, 0 to destroy. Not applicable: 1 error to fix first.",
      );
    }
  });
});

describe("renderText", () => {
  test("golden, without color", () => {
    expectGolden("render/drift.txt", renderText(driftPlan(), { color: false }));
  });

  test("color only when asked: green creates, yellow updates, red deletes and errors", () => {
    const plain = renderText(problemsPlan(), { color: false });
    const colored = renderText(problemsPlan(), { color: true });
    expect(plain).not.toContain("\u001b[");
    expect(colored).toContain("\u001b[32m  + create variable");
    expect(colored).toContain("\u001b[31m  x [name-clash]");
    expect(colored).toContain("\u001b[33m  ! [double-sending]");
    const withoutAnsi = colored
      .split("\u001b")
      .map((part, i) => (i === 0 ? part : part.replace(/^\[\d+m/, "")))
      .join("");
    expect(withoutAnsi).toBe(plain);
  });

  test("consent and pixel naming are printed even when nothing changes", () => {
    const desired = production();
    const noOp = plan(desired, simulateApply(desired, { publish: true }), {});
    for (const output of [renderText(noOp, { color: false }), renderMarkdown(noOp)]) {
      expect(output).toContain(
        "ad-storage-granted (explicit; reads x-ga-gcs (ad_storage)): TikTok tags fire only when",
      );
      expect(output).toContain(
        "pixel sends legacy names: purchase -> CompletePayment so pixel and server deduplicate",
      );
      expect(output).toContain("Plan: 0 to add, 0 to change, 0 to destroy");
    }
  });

  test("publish line: apply publishes only the kit's latest version, or a version it creates", () => {
    const desired = production();
    const applied = simulateApply(desired);
    const pending = renderText(plan(desired, applied, {}), { color: false });
    expect(pending).toContain("No changes: the container matches the configuration.");
    expect(pending).toContain(
      "Publish: the container matches, but no version of the container has been published yet: if the latest version is the kit's, apply publishes it; otherwise nothing is published until apply creates a new version.",
    );
    const dev = desiredContainer(
      loadEnv(PRODUCTION_ENV.replace("tier: production", "tier: dev"), { envName: "dev" }),
    );
    expect(renderText(plan(dev, simulateApply(dev), {}), { color: false })).toContain(
      "if the latest version is the kit's, apply --publish publishes it;",
    );
  });

  test("terraform-like summary line", () => {
    expect(renderText(driftPlan(), { color: false })).toContain(
      "Plan: 0 to add, 1 to change, 0 to destroy.\n",
    );
  });
});

describe("renderMarkdown", () => {
  test("golden: summary table, settings, diff block in details", () => {
    const md = renderMarkdown(driftPlan());
    expect(md).toContain("| update | tag | TikTok Kit \\| Pageview (page_view) |");
    expect(md).toContain("```diff\n");
    expect(md).toContain("<details>");
    expectGolden("render/drift.md", md);
  });

  test("golden: errors and warnings come first", () => {
    const md = renderMarkdown(problemsPlan());
    expect(md.indexOf("#### Errors")).toBeLessThan(md.indexOf("| Action | Kind | Name |"));
    expectGolden("render/problems.md", md);
  });
});

describe("renderJson", () => {
  test("round-trips the plan, with keys sorted at every level", () => {
    const result = driftPlan();
    const json = renderJson(result);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(planDocument(result))));
    const keysSorted = (value: unknown): boolean => {
      if (Array.isArray(value)) return value.every(keysSorted);
      if (value && typeof value === "object") {
        const keys = Object.keys(value);
        return keys.join() === [...keys].sort().join() && Object.values(value).every(keysSorted);
      }
      return true;
    };
    expect(keysSorted(JSON.parse(json))).toBe(true);
    expect(JSON.parse(json).formatVersion).toBe(1);
    expect(renderJson(driftPlan())).toBe(json);
  });
});

describe("the token never shows", () => {
  /** Workspaces where the token value sits in every place a careless render could pick it up. */
  function tokenEverywhere(): ActualWorkspace[] {
    const desired = production();
    const applied = simulateApply(desired, { token: TOKEN_SENTINEL, publish: true });
    // An adopted tag that still holds the pasted token literally (the article's readers did this).
    const pasted: Tag = adopted(
      { ...handMade.tikTokTag("cvt_5TP8W"), name: "TikTok Kit | Pageview (page_view)" },
      STACK,
    );
    const rotated = simulateApply(desired, { token: `${TOKEN_SENTINEL}-old` });
    const tokenLikeConstant = adopted<Variable>(
      {
        variableId: "77",
        name: "TikTok Kit | Old Access Token",
        type: "c",
        parameter: [{ type: "template", key: "value", value: TOKEN_SENTINEL }],
      },
      STACK,
    );
    return [
      applied,
      {
        ...applied,
        tags: [...applied.tags.filter((t) => t.name !== pasted.name), pasted],
        triggers: [...applied.triggers, handMade.purchaseTrigger()],
      },
      rotated,
      { ...applied, variables: [...applied.variables, tokenLikeConstant] },
      {
        ...emptyWorkspace(),
        tags: [handMade.tikTokTag("cvt_5TP8W")],
        triggers: [handMade.purchaseTrigger()],
        templates: [galleryTemplate()],
      },
    ];
  }

  test("in text, Markdown, JSON and exports, with or without the token's hash", () => {
    const desired = production();
    let checked = 0;
    for (const actual of tokenEverywhere()) {
      for (const tokenHash of [undefined, sha256(TOKEN_SENTINEL)]) {
        const result = plan(desired, actual, { tokenHash });
        const outputs = [
          renderText(result, { color: false }),
          renderText(result, { color: true }),
          renderMarkdown(result),
          renderJson(result),
          JSON.stringify(result),
          renderGtmExport(desired, { tagType: result.template.tagType }),
        ];
        for (const output of outputs) {
          expect(output).not.toContain(TOKEN_SENTINEL);
          expect(output).not.toContain(sha256(TOKEN_SENTINEL));
          checked++;
        }
      }
    }
    expect(checked).toBe(60);
  });

  test("the sentinel is really there to be found (the check can fail)", () => {
    const [, pasted] = tokenEverywhere();
    expect(JSON.stringify(pasted)).toContain(TOKEN_SENTINEL);
    const result = plan(production(), pasted as ActualWorkspace, {});
    const update = result.changes.find((c) => c.name === "TikTok Kit | Pageview (page_view)");
    expect(update?.diff.find((d) => d.field === "parameter.access_token")).toEqual({
      field: "parameter.access_token",
      before: "(sensitive)",
      after: "{{TikTok Kit | Access Token}}",
    });
  });
});
