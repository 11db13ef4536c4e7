import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { AH_HIN, JANE, makeTestCtx, ROBIN, SAM, type TestCtx } from "../../test/helpers/ctx.ts";
import { DEMO_YAML } from "../../test/helpers/demo-config.ts";
import { stuckFor, stuckRules } from "../commands/board.ts";
import { addDays } from "../domain/dates.ts";
import { coverageRows, rebuildCoverage, rebuildProjection } from "./rebuild.ts";

// The demo agency with a second team, so cases can move between teams as well as services.
const TWO_TEAMS = DEMO_YAML.replace(
  /teams:\n/,
  'teams:\n  - id: south\n    name: South Team\n    channels: { slack: C0SOUTH, teams: "19:south@thread.tacv2" }\n',
)
  .replace(/(name: Ah Hin Xeng\n\s+role: worker\n\s+team: )North Team/, "$1South Team")
  .replace(/(name: Sam Okafor\n\s+role: supervisor\n\s+team: )North Team/, "$1[North Team, South Team]");

let t: TestCtx;
beforeAll(() => {
  t = makeTestCtx({ config: TWO_TEAMS, demo: true });
});
afterAll(() => t.close());

const states = () =>
  (
    t.ctx.store.sqlite.prepare("SELECT id, states FROM cases ORDER BY id").all() as {
      id: string;
      states: string;
    }[]
  ).map((r) => [r.id, JSON.parse(r.states)]);

const CASES = ["12345", "12346", "22345", "32345"] as const;

/** Entries and undos by the worker or the supervisor; closes, reopens, moves and transfers by the admin. */
const step = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({
        word: fc.constantFrom(
          "mapped-with-family",
          "mapped-internal",
          "scale",
          "network",
          "meeting",
          "danger",
        ),
        caseId: fc.constantFrom(...CASES),
        day: fc.integer({ min: 1, max: 28 }),
        value: fc.integer({ min: 0, max: 10 }),
        who: fc.constantFrom(JANE, SAM),
      })
      .map(({ word, caseId, day, value, who }) => ({
        who,
        text: `${word} ${caseId} ${day}/02/16${word === "scale" || word === "network" ? ` ${value}` : ""}`,
      })),
  },
  { weight: 2, arbitrary: fc.constantFrom(JANE, SAM).map((who) => ({ who, text: "undo" })) },
  {
    weight: 1,
    arbitrary: fc
      .record({
        caseId: fc.constantFrom(...CASES),
        act: fc.constantFrom(
          "close safe-at-home",
          "reopen",
          "move family-support",
          "move statutory-cp",
          "move voluntary",
          `assign ${AH_HIN}`,
          `assign ${JANE}`,
        ),
      })
      .map(({ caseId, act }) => {
        const [verb, ...rest] = act.split(" ");
        return { who: ROBIN, text: `${verb} ${caseId} ${rest.join(" ")}` };
      }),
  },
);

test("the projection, the coverage counts and stuck since kept on each write equal ones rebuilt from the events", async () => {
  const { ctx } = t;
  const rules = stuckRules(ctx.org);
  const today = ctx.today();
  const done = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
      for (const s of steps) {
        const r = await t.run(s.who, s.text);
        const verb = s.text.split(" ")[0]!;
        if (r.ok) done.set(verb, (done.get(verb) ?? 0) + 1);
      }
      const kept = states();
      const keptCoverage = coverageRows(ctx.store);
      rebuildProjection(ctx.store);
      expect(states()).toEqual(kept);
      rebuildCoverage(ctx.store);
      expect(coverageRows(ctx.store)).toEqual(keptCoverage);

      // Stuck since, read before and after the writer catches up, is what the rules say of each case.
      const open = ctx.repo.cases.open({});
      const expected = new Map<string, { stuck: number; raised: number }>();
      for (const c of open) {
        const findings = stuckFor(ctx.org, c, today);
        if (findings.length === 0) continue;
        const e = expected.get(c.teamId) ?? { stuck: 0, raised: 0 };
        e.stuck++;
        if (findings.some((f) => f.days >= ctx.org.escalateAfterDays)) e.raised++;
        expected.set(c.teamId, e);
      }
      const raisedBy = addDays(today, -ctx.org.escalateAfterDays);
      expect(ctx.repo.stuck.counts(rules, today, raisedBy)).toEqual(expected);
      while (ctx.repo.stuck.refresh(rules, 2) > 0);
      expect(ctx.repo.stuck.counts(rules, today, raisedBy)).toEqual(expected);
      for (const c of ctx.repo.cases.open({})) expect([c.id, c.stuckSince]).toEqual([c.id, rules.since(c)]);
    }),
    { numRuns: 60, seed: 42 },
  );
  // The runs did change the record every way they were meant to (not 60 runs of refusals).
  for (const verb of ["mapped-with-family", "scale", "undo", "close", "reopen", "move", "assign"])
    expect([verb, (done.get(verb) ?? 0) > 0]).toEqual([verb, true]);
});
