import fc from "fast-check";
import { expect, test } from "vitest";
import {
  caseBlock,
  caseBlockBytes,
  dashboardCard,
  dashboardLayout,
} from "../../adapters/teams/render/adaptive-card.ts";
import {
  fittingWeights,
  longestPiecePx,
  PHONE_CARD_PX,
  TABLE_CELL_PAD_PX,
} from "../../adapters/teams/render/card-width.ts";
import type { DashboardView, RowView } from "../../src/render/view.ts";

/**
 * The shortcuts a dashboard card takes to size its pages and choose its layout give the very
 * numbers the long way would: the pages and the layout a person sees are unchanged by them.
 */

// Names, notes and dates as people type them: quotes, backslashes, control characters, accents,
// emoji and lone surrogates (which JSON escapes), `code` and /sos (which Teams' markdown rewrites).
const cell = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom(
    "",
    "N & PA",
    '"quoted" \\ back',
    "line\nbreak",
    "`/sos stuck`",
    "15/02/16",
    "Zoë Łukasiewicz 7",
  ),
);

const dashboard = fc
  .record({
    columns: fc.array(cell, { minLength: 1, maxLength: 14 }),
    caseId: cell,
    cells: fc.array(cell, { maxLength: 16 }),
    stuck: fc.boolean(),
    stuckAt: fc.array(fc.integer({ min: 0, max: 16 }), { maxLength: 4 }),
  })
  .map(({ columns, caseId, cells, stuck, stuckAt }) => {
    const row: RowView = { caseId, cells, stuck, stuckAt };
    const view: DashboardView = {
      dashboard: "overview",
      title: "Overview",
      columns,
      groups: [{ worker: "Jane Smith", title: "Jane Smith's Cases", rows: [row] }],
      legend: null,
    };
    return { view, row };
  });

test("a case block's size, counted, is the length of its JSON", () => {
  fc.assert(
    fc.property(dashboard, ({ view, row }) => {
      expect(caseBlockBytes(view, row)).toBe(JSON.stringify(caseBlock(view, row)).length);
    }),
    { numRuns: 500 },
  );
});

/** fittingWeights as it is defined: every column's widest piece and its padding, if all fit. */
function byDefinition(rows: readonly (readonly string[])[], width: number): number[] | null {
  const n = Math.max(0, ...rows.map((r) => r.length));
  const need = Array.from({ length: n }, (_, ci) =>
    Math.ceil(
      Math.max(0, ...rows.map((r) => longestPiecePx(r[ci] ?? "", "Small", true))) + TABLE_CELL_PAD_PX,
    ),
  );
  return need.reduce((a, b) => a + b, 0) > width ? null : need;
}

test("a table's column weights, stopped as soon as it cannot fit, are those of every cell measured", () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 8 }),
      fc.integer({ min: 0, max: 600 }),
      (rows, width) => {
        expect(fittingWeights(rows, width)).toEqual(byDefinition(rows, width));
      },
    ),
    { numRuns: 500 },
  );
});

test("a dashboard is a table exactly when all its cells, header and rows, fit a phone", () => {
  const short = fc.constantFrom("", "Yes", "No", "1", "N & PA", "15/02/16");
  fc.assert(
    fc.property(
      fc.array(fc.oneof(short, cell), { minLength: 1, maxLength: 5 }),
      fc.array(fc.array(fc.oneof(short, cell), { maxLength: 5 }), { maxLength: 6 }),
      (columns, cells) => {
        const rows = cells.map(
          (c, i): RowView => ({ caseId: `${10000 + i}`, cells: c, stuck: false, stuckAt: [] }),
        );
        const view: DashboardView = {
          dashboard: "overview",
          title: "Overview",
          columns,
          groups: [{ worker: "Jane Smith", title: "Jane Smith's Cases", rows }],
          legend: null,
        };
        const all = [["Case", ...columns], ...rows.map((r) => [r.caseId, ...r.cells])];
        expect(dashboardLayout(view)).toBe(byDefinition(all, PHONE_CARD_PX) ? "table" : "cases");
      },
    ),
    { numRuns: 300 },
  );
});

test("a narrow dashboard is drawn as a table, a wide one case by case", () => {
  const view = (columns: string[], cells: string[]): DashboardView => ({
    dashboard: "overview",
    title: "Overview",
    columns,
    groups: [
      {
        worker: "Jane Smith",
        title: "Jane Smith's Cases",
        rows: [{ caseId: "12345", cells, stuck: false, stuckAt: [] }],
      },
    ],
    legend: null,
  });
  const drawn = (v: DashboardView) =>
    JSON.stringify(dashboardCard({ ok: true, text: "Mine", dashboards: [v] }, { nonce: "n" }));
  expect(drawn(view(["Child", "Mapped"], ["Melli 13", "Yes"]))).toContain('"type":"Table"');
  const wide = view(
    ["Name/Age/ID #", "Date Opened", "Abuse Type", "Mapping Internal", "Mapping with Family", "Three Houses"],
    ["Melli Majid 13", "03/02/16", "N & PA", "06/02/16", "10/02/16", "12/02/16"],
  );
  expect(drawn(wide)).not.toContain('"type":"Table"');
  expect(drawn(wide)).toContain("Mapping with Family");
});
