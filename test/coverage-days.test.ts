import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { doneBy, openOn } from "../src/digest/coverage.ts";
import type { CaseStates, ElementState } from "../src/domain/projection.ts";
import type { CoverageCounts } from "../src/store/coverage.ts";
import type { CaseRow } from "../src/store/schema.ts";
import { encodeStates, SLOTS } from "../src/store/states-format.ts";
import { describeEachStore, makeStoreCtx, type StoreTestCtx } from "./helpers/stores.ts";

/**
 * `coverageOnDays` (the agency summary's coverage by team and its trend) is counted by the store
 * without reading a case as a row, scanning the stored states text of five columns each store hands
 * over its own way. Both must say exactly what adding up the cases one by one says, for any dates,
 * statuses and states (PostgreSQL's jsonb text among them).
 */

const CONFIG = `
agency: { name: Two Teams, timeZone: Europe/London }
teams:
  - { id: north, name: North Team }
  - { id: south, name: South Team }
staff:
  - { email: jane.smith@demo-agency.example, name: Jane Smith, role: worker, team: North Team }
  - { email: sam.okafor@demo-agency.example, name: Sam Okafor, role: supervisor, team: North Team }
  - { email: robin.ellis@demo-agency.example, name: Robin Ellis, role: admin }
`;

const day = fc
  .date({ min: new Date("2015-01-01T00:00:00Z"), max: new Date("2016-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const state: fc.Arbitrary<ElementState> = fc.record({
  count: fc.integer({ min: 0, max: 30 }),
  firstOn: fc.option(day),
  lastOn: fc.option(day),
  lastValue: fc.option(
    fc.oneof(fc.integer({ min: 0, max: 10 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
  ),
});
const states: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.option(state, { nil: undefined }), { minLength: SLOTS.length, maxLength: SLOTS.length }),
    // PostgreSQL's jsonb text (spaces) as well as the compact form written
    fc.boolean(),
  )
  .map(([slots, spaced]) => {
    const out: Record<string, ElementState> = {};
    slots.forEach((s, i) => {
      if (s) out[SLOTS[i]!] = s;
    });
    const text = encodeStates(out as CaseStates);
    return spaced ? JSON.stringify(JSON.parse(text)).replaceAll(",", ", ") : text;
  });
const shape = fc.record({
  teamId: fc.constantFrom("north", "south"),
  service: fc.constantFrom("statutory-cp", "family-support", "voluntary"),
  openedOn: day,
  closedOn: fc.option(day),
  states,
});

/** Coverage on a day as the cases say it one by one. */
function byHand(rows: readonly CaseRow[], on: string): CoverageCounts {
  const open = new Map<string, number>();
  const done = new Map<string, number>();
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const c of rows) {
    if (!openOn(c, on)) continue;
    add(open, `${c.teamId}|${c.service}`);
    for (const el of SLOTS) if (doneBy(c.states[el], on)) add(done, `${c.teamId}|${c.service}|${el}`);
  }
  return {
    open: [...open].map(([k, cases]) => {
      const [teamId, service] = k.split("|") as [string, string];
      return { teamId, service, cases };
    }),
    done: [...done].map(([k, cases]) => {
      const [teamId, service, element] = k.split("|") as [string, string, (typeof SLOTS)[number]];
      return { teamId, service, element, cases };
    }),
  };
}

/** The counts in one order, whatever order they were counted in. */
function sorted(c: CoverageCounts): CoverageCounts {
  const key = (x: object) => Object.values(x).join("|");
  return {
    open: [...c.open].sort((a, b) => key(a).localeCompare(key(b))),
    done: [...c.done].sort((a, b) => key(a).localeCompare(key(b))),
  };
}

describeEachStore("coverage on several days", (kind) => {
  let t: StoreTestCtx;
  beforeAll(async () => {
    t = await makeStoreCtx(kind, { config: CONFIG });
  }, 60_000);
  afterAll(async () => t.close());

  test("equals the cases added up one by one, for any dates, statuses and states", async () => {
    const { reads } = t.ctx.records;
    const ids = (await reads.caseIds({})).sort();
    expect(ids.length).toBeGreaterThan(3);
    await fc.assert(
      fc.asyncProperty(
        fc.array(shape, { minLength: ids.length, maxLength: ids.length }),
        fc.array(day, { minLength: 1, maxLength: 9 }),
        async (shapes, days) => {
          for (const [i, s] of shapes.entries()) {
            const closedOn = s.closedOn !== null && s.closedOn >= s.openedOn ? s.closedOn : null;
            await t.rows(
              `UPDATE cases SET team_id = $1, service = $2, opened_on = $3, closed_on = $4, status = $5,
               states = $6 WHERE id = $7`,
              [
                s.teamId,
                s.service,
                s.openedOn,
                closedOn,
                closedOn === null ? "open" : "closed",
                s.states,
                ids[i],
              ],
            );
          }
          const rows = [...(await reads.openCases({})), ...(await reads.closedCasesSince({}, "0000-01-01"))];
          expect(rows.length).toBe(ids.length);
          const got = await reads.coverageOnDays(days);
          expect(got.map(sorted)).toEqual(days.map((d) => sorted(byHand(rows, d))));
        },
      ),
      { numRuns: kind === "postgres" ? 40 : 100 },
    );
  }, 120_000);

  test("no days asked about: no counts", async () => {
    expect(await t.ctx.records.reads.coverageOnDays([])).toEqual([]);
  });
});
