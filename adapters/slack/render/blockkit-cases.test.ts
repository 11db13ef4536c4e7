import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DASHBOARDS } from "../../../src/domain/dashboards.ts";
import type { DashboardView, GroupView } from "../../../src/render/view.ts";
import { JANE, makeTestCtx, SAM, type TestCtx } from "../../../test/helpers/ctx.ts";
import type { Block, SectionBlock } from "./blockkit.ts";
import {
  caseCost,
  casePages,
  caseSections,
  casesMessage,
  coverageCasesMessage,
  labelLengths,
  PAGE,
} from "./blockkit-cases.ts";
import { checkMessage } from "./blockkit-limits.ts";
import { caseMessage } from "./blockkit-views.ts";

let t: TestCtx;
beforeAll(() => {
  t = makeTestCtx();
});
afterAll(() => t.close());

const sectionsOf = (blocks: readonly Block[]) =>
  blocks.filter((b): b is SectionBlock => b.type === "section");
const fields = (s: SectionBlock) => (s.fields ?? []).map((f) => f.text);
const contextText = (blocks: readonly Block[]) =>
  blocks.flatMap((b) => (b.type === "context" ? b.elements.map((e) => e.text) : [])).join("\n");

describe("a dashboard in a message: each case a section of fields, read on a phone", () => {
  test("the seed's sample rows: the case and child, then every column as *label* over its value", async () => {
    const reply = await t.run(JANE, "mine statutory-cp");
    const pages = casePages(reply.dashboards!);
    expect(pages).toHaveLength(1);
    const m = casesMessage(pages, 0);
    expect(checkMessage(m)).toEqual([]);
    expect(m.blocks.some((b) => b.type === "table")).toBe(false);
    expect(m.blocks[0]).toMatchObject({
      type: "header",
      text: { text: "Front end statutory child protection" },
    });
    const s = sectionsOf(m.blocks);
    expect(s[0]!.text?.text).toBe("*Jane Smith's Cases*");
    // 13 columns after the name: 10 fields with the case's heading, the other 3 in a second section
    expect(s[1]!.text?.text).toBe("⚠ *12345*  Melli Majid 13");
    expect(fields(s[1]!)).toEqual([
      "*Date Opened*\n03/02/16",
      "*Abuse Type*\nN &amp; PA",
      "*Mapping Internal*\n06/02/16",
      "*Mapping with Family*\nNo",
      "*Three Houses*\n12/02/16",
      "*Danger Statement*\nYes",
      "*Safety Goal*\nNo ⚠",
      "*Safety Scale*\n2",
      "*Word and Pictures*\n27/02/16",
      "*Network Number*\n3",
    ]);
    expect(s[2]!.text).toBeUndefined();
    expect(fields(s[2]!)).toEqual([
      "*Participatory Conferences/Meetings including Network*\n1",
      "*Interim Adult Safety Plan*\nNo",
      "*Child Safety Plan*\nNo",
    ]);
    expect(contextText(m.blocks)).toContain(
      "⚠ stuck: beside a case, a stuck rule holds for it; beside an element, the rule points at it.",
    );
    expect(contextText(m.blocks)).toContain("*Abuse Type:* PA: Physical Abuse");
    // the fallback text is the seed's table, for notifications and clients without blocks
    expect(m.text).toContain("Name/Age/ID #");
  });

  test("several dashboards share a message, each under its title; empty workers are said so", async () => {
    const mine = casesMessage(casePages((await t.run(JANE, "mine")).dashboards!), 0);
    expect(checkMessage(mine)).toEqual([]);
    const headers = mine.blocks.flatMap((b) => (b.type === "header" ? [b.text.text] : []));
    expect(headers).toEqual([
      "Front end statutory child protection",
      "Statutory family support / preventative",
      "Voluntary preventative",
    ]);
    const team = casesMessage(casePages((await t.run(SAM, "team statutory-cp")).dashboards!), 0);
    expect(sectionsOf(team.blocks).map((s) => s.text?.text)).toContain(
      "*Alison Camp's Cases*: no open cases",
    );
  });

  test("the overview says what its – means", async () => {
    const m = casesMessage(casePages((await t.run(JANE, "mine overview")).dashboards!), 0);
    expect(sectionsOf(m.blocks).flatMap(fields)).toContain("*Timeline and Trajectory*\n–");
    expect(contextText(m.blocks)).toContain(
      "– not on this case's own dashboard: its service doesn't record that element",
    );
  });

  test("/sos case gives the case's row as fields too, not a one-row table", async () => {
    const m = caseMessage((await t.run(JANE, "case 12345")).caseView!);
    expect(checkMessage(m)).toEqual([]);
    expect(m.blocks.some((b) => b.type === "table")).toBe(false);
    const s = sectionsOf(m.blocks);
    const at = s.findIndex((b) => b.text?.text === "*On the Front end statutory child protection dashboard*");
    expect(at).toBeGreaterThan(0);
    expect(fields(s[at + 1]!).slice(0, 3)).toEqual([
      "*Date Opened*\n03/02/16",
      "*Abuse Type*\nN &amp; PA",
      "*Mapping Internal*\n06/02/16",
    ]);
    expect(s[at + 1]!.text).toBeUndefined();
    expect(fields(s[at + 1]!)).toContain("*Safety Goal*\nNo ⚠");
  });

  test("/sos agency: the whole agency, then each team, as fields; no 14-column table", async () => {
    const m = coverageCasesMessage((await t.run("morgan.reyes@demo-agency.example", "agency")).coverage!);
    expect(checkMessage(m)).toEqual([]);
    expect(m.blocks.some((b) => b.type === "table")).toBe(false);
    const s = sectionsOf(m.blocks);
    expect(s.map((b) => b.text?.text).filter(Boolean)).toEqual(["*Whole agency*", "*North Team*"]);
    expect(fields(s[0]!).slice(0, 3)).toEqual([
      "*Open cases*\n6",
      "*Mapping Internal*\n100% (6/6)",
      "*Mapping with Family*\n50% (3/6)",
    ]);
  });

  test("a 400-case team: pages within Slack's limits, cut between cases, every case once", () => {
    const view = fatView([fatGroup("Ana Lima", 250), fatGroup("Ben Ode", 150, 250)]);
    const pages = casePages([view]);
    expect(pages.length).toBeGreaterThan(10);
    const seen: string[] = [];
    pages.forEach((_, i) => {
      const m = casesMessage(pages, i, { value: (p) => `page:${p}` });
      expect(checkMessage(m)).toEqual([]);
      expect(m.blocks.length).toBeLessThanOrEqual(PAGE.blocks + 3);
      for (const s of sectionsOf(m.blocks)) {
        const id = /^(?:⚠ )?\*(C\d{6})\*/.exec(s.text?.text ?? "")?.[1];
        if (id) seen.push(id);
      }
      const buttons = m.blocks.find((b) => b.type === "actions");
      expect(buttons && "elements" in buttons && buttons.elements.map((e) => e.value)).toEqual([
        ...(i > 0 ? [`page:${i - 1}`] : []),
        ...(i < pages.length - 1 ? [`page:${i + 1}`] : []),
      ]);
      expect(contextText(m.blocks)).toContain(`page ${i + 1} of ${pages.length}`);
    });
    expect(seen).toEqual(view.groups.flatMap((g) => g.rows.map((r) => r.caseId)));
    const second = casesMessage(pages, 1);
    expect(sectionsOf(second.blocks)[0]!.text?.text).toBe("*Ana Lima's Cases (continued)*");
  });
});

/** A long, realistic row: a double-barrelled name, every practice cell at its widest. */
function fatGroup(worker: string, n: number, from = 0): GroupView {
  const def = DASHBOARDS["statutory-cp"];
  return {
    worker,
    title: `${worker}'s Cases`,
    rows: Array.from({ length: n }, (_, i) => ({
      caseId: `C${String(from + i).padStart(6, "0")}`,
      cells: def.columns.map((c) =>
        c.id === "name"
          ? `Alexandria Montgomery-Smith ${i % 18}`
          : c.id === "abuse"
            ? "FDV, EA & N"
            : "12 times, last 12/02/16",
      ),
      stuck: i % 3 === 0,
      stuckAt: i % 3 === 0 ? [4] : [],
    })),
  };
}

function fatView(groups: GroupView[]): DashboardView {
  const def = DASHBOARDS["statutory-cp"];
  return {
    dashboard: def.slug,
    title: def.title,
    columns: def.columns.map((c) => c.label),
    groups,
    legend: "PA: Physical Abuse",
  };
}

describe("paging counts a case without building it", () => {
  // Mostly the characters that escaping lengthens, so every count is tried against them.
  const text = fc.string({ unit: fc.constantFrom("a", "&", "<", ">", "é", " ", "⚠"), maxLength: 12 });
  const long = fc.oneof(
    text,
    fc.integer({ min: 1990, max: 2010 }).map((n) => "&".repeat(n / 5) + "x".repeat(n)),
  );
  test("a case's blocks and characters are those of the sections it takes", () => {
    fc.assert(
      fc.property(
        fc.array(text, { minLength: 0, maxLength: 24 }),
        fc.record({ caseId: text, child: text, stuck: fc.boolean() }),
        fc.array(long, { maxLength: 24 }),
        fc.array(fc.integer({ min: 0, max: 26 }), { maxLength: 4 }),
        (labels, { caseId, child, stuck }, values, stuckAt) => {
          const columns = ["Name/Age/ID #", ...labels];
          const view: DashboardView = {
            dashboard: "statutory-cp",
            title: "t",
            columns,
            groups: [],
            legend: null,
          } as DashboardView;
          const row = { caseId, cells: [child, ...values.slice(0, labels.length)], stuck, stuckAt };
          const built = caseSections(view, row);
          const chars = built.reduce(
            (n, b) =>
              n + (b.text?.text.length ?? 0) + (b.fields ?? []).reduce((m, f) => m + f.text.length, 0),
            0,
          );
          expect(caseCost(view, row, labelLengths(view))).toEqual({ blocks: built.length, chars });
        },
      ),
      { numRuns: 400 },
    );
  });
});
