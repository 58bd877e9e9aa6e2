import type { Tag, Trigger, Variable } from "../../../src/gtm/core/api";
import type { ActualWorkspace } from "../../../src/gtm/plan/actual";
import { stillReferenced } from "../../../src/gtm/plan/checks/still-referenced";
import { adopted, handMade, SEARCH, simulateApply, withHandMade } from "../fixtures";
import { checkInput, deletion, onlyMessage } from "./input";

const { variable: SEARCH_VARIABLE, trigger: SEARCH_TRIGGER, tag: SEARCH_TAG } = SEARCH;
const withoutSearch = SEARCH.after();
/** The kit's workspace while search was configured (its tag, trigger and variable are owned). */
const applied = simulateApply(SEARCH.before());
const SEARCH_TRIGGER_ID = applied.triggers.find((t) => t.name === SEARCH_TRIGGER)?.triggerId as string;
/** What the differ plans once search is removed from the configuration. */
const searchDeleted = [
  deletion("tag", SEARCH_TAG),
  deletion("trigger", SEARCH_TRIGGER),
  deletion("variable", SEARCH_VARIABLE),
];

/** The check on `applied` plus hand-made entities, with search deleted. */
function check(extra: Partial<ActualWorkspace>, changes = searchDeleted) {
  return stillReferenced(checkInput(withHandMade(applied, extra), { desired: withoutSearch, changes }));
}

const tag = (name: string, fields: Partial<Tag>): Tag => ({ ...handMade.ga4Tag(), name, ...fields });
const usesVariable = (name: string): Variable => ({
  ...handMade.variable(name),
  parameter: [{ type: "TEMPLATE", key: "keyPath", value: `{{${SEARCH_VARIABLE}}}.raw` }],
});

describe("stillReferenced", () => {
  it("passes when only the kit's own entities use what it deletes", () => {
    expect(check({})).toEqual([]);
  });

  it("passes when hand-made entities use only what the kit keeps, or name it in notes", () => {
    const keeps = tag("Uses the pixel id", {
      parameter: [{ type: "TEMPLATE", key: "pixel", value: "{{TikTok Kit | Pixel ID}}" }],
      notes: `was {{${SEARCH_VARIABLE}}}, fired on ${SEARCH_TRIGGER_ID}`,
    });
    expect(check({ tags: [keeps, handMade.ga4Tag()], triggers: [handMade.ga4Trigger()] })).toEqual([]);
  });

  it("passes when the used entity is not deleted, or not the stack's", () => {
    const user = tag("GA4 search", { firingTriggerId: [SEARCH_TRIGGER_ID] });
    expect(check({ tags: [user] }, [deletion("tag", SEARCH_TAG)])).toEqual([]);
    const otherStack = applied.triggers.map((t) =>
      t.name === SEARCH_TRIGGER ? adopted(t, "shop-staging") : t,
    );
    const actual = { ...applied, triggers: otherStack, tags: [...applied.tags, user] };
    expect(stillReferenced(checkInput(actual, { desired: withoutSearch, changes: searchDeleted }))).toEqual(
      [],
    );
  });

  it("fails on a {{variable}} in a nested map value of a tag, a trigger's condition and a variable", () => {
    const ga4Search = handMade.mapReference(SEARCH_VARIABLE);
    const longSearches = handMade.conditionOn(SEARCH_VARIABLE);
    const problems = check({
      tags: [
        ga4Search,
        tag("A tag", { parameter: [{ type: "TEMPLATE", key: "q", value: `{{${SEARCH_VARIABLE}}}` }] }),
      ],
      triggers: [longSearches],
      variables: [usesVariable("Raw search")],
    });
    expect(problems).toEqual([
      {
        severity: "error",
        code: "still-referenced",
        kind: "variable",
        name: SEARCH_VARIABLE,
        users: [
          { kind: "tag", name: "A tag" },
          { kind: "tag", name: "GA4 search" },
          { kind: "trigger", name: "Long searches" },
          { kind: "variable", name: "Raw search" },
        ],
      },
    ]);
    const message = onlyMessage(problems);
    expect(message).toContain(
      `the kit would delete variable "${SEARCH_VARIABLE}" (no longer in the configuration), but hand-made entities still use it as {{${SEARCH_VARIABLE}}}: tag "A tag", tag "GA4 search", trigger "Long searches", variable "Raw search".`,
    );
    expect(message).toContain("Fix: remove the reference in GTM, or keep the event in the environment file.");
  });

  it("fails on a trigger id in a tag's firing or blocking triggers, or in a trigger group", () => {
    const firing = tag("GA4 search", { firingTriggerId: [SEARCH_TRIGGER_ID] });
    const blocked = tag("GA4 not on search", {
      firingTriggerId: ["2147479553"],
      blockingTriggerId: [SEARCH_TRIGGER_ID],
    });
    const group: Trigger = {
      triggerId: "31",
      name: "Search and purchase",
      type: "TRIGGER_GROUP",
      parameter: [
        {
          type: "LIST",
          key: "triggerIds",
          list: [
            { type: "TRIGGER_REFERENCE", value: SEARCH_TRIGGER_ID },
            { type: "TRIGGER_REFERENCE", value: "20" },
          ],
        },
      ],
    };
    const problems = check({ tags: [firing, blocked], triggers: [group, handMade.purchaseTrigger()] });
    expect(problems).toEqual([
      {
        severity: "error",
        code: "still-referenced",
        kind: "trigger",
        name: SEARCH_TRIGGER,
        users: [
          { kind: "tag", name: "GA4 not on search" },
          { kind: "tag", name: "GA4 search" },
          { kind: "trigger", name: "Search and purchase" },
        ],
      },
    ]);
    expect(onlyMessage(problems)).toContain(
      `delete trigger "${SEARCH_TRIGGER}" (no longer in the configuration), but hand-made entities still use it: tag "GA4 not on search", tag "GA4 search", trigger "Search and purchase".`,
    );
  });

  it("a trigger id only counts in a trigger group's parameters", () => {
    const notAGroup: Trigger = {
      ...handMade.purchaseTrigger(),
      name: "Mentions the id",
      parameter: [{ type: "TEMPLATE", key: "note", value: SEARCH_TRIGGER_ID }],
    };
    expect(check({ triggers: [notAGroup] })).toEqual([]);
  });

  it("fails on a tag used for tag sequencing (setup or teardown), by name", () => {
    const setup = tag("Runs after search", { setupTag: [{ tagName: SEARCH_TAG, stopOnSetupFailure: true }] });
    const teardown = tag("Runs before search", { teardownTag: [{ tagName: SEARCH_TAG }] });
    const problems = check({ tags: [setup, teardown] });
    expect(problems).toEqual([
      {
        severity: "error",
        code: "still-referenced",
        kind: "tag",
        name: SEARCH_TAG,
        users: [
          { kind: "tag", name: "Runs after search" },
          { kind: "tag", name: "Runs before search" },
        ],
      },
    ]);
    expect(onlyMessage(problems)).toContain(
      `delete tag "${SEARCH_TAG}" (no longer in the configuration), but hand-made entities still use it: tag "Runs after search", tag "Runs before search".`,
    );
  });

  it("lists one problem per deleted entity, variables, then triggers, then tags", () => {
    const problems = check({
      tags: [
        tag("Sequenced", { teardownTag: [{ tagName: SEARCH_TAG }] }),
        tag("Fires on search", { firingTriggerId: [SEARCH_TRIGGER_ID] }),
      ],
      variables: [usesVariable("Raw search")],
    });
    expect(problems.map((p) => "kind" in p && p.kind)).toEqual(["variable", "trigger", "tag"]);
  });
});
