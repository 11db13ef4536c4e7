import { afterEach, describe, expect, test } from "vitest";
import { DASHBOARDS } from "../../../src/domain/dashboards.ts";
import type {
  CaseView,
  CoverageView,
  DashboardView,
  GroupView,
  StuckView,
} from "../../../src/render/view.ts";
import { JANE, makeTestCtx, type TestCtx } from "../../../test/helpers/ctx.ts";
import { type Block, cellText, escapeMrkdwn, LIMITS, sections, type TableBlock } from "./blockkit.ts";
import { checkBlocks, checkMessage, checkView } from "./blockkit-limits.ts";
import { coverageMessage, dashboardMessage, dashboardPages } from "./blockkit-tables.ts";
import { caseMessage, stuckMessage, stuckPages } from "./blockkit-views.ts";

let t: TestCtx | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});

const tableOf = (blocks: readonly Block[]) => blocks.find((b): b is TableBlock => b.type === "table");
const rowsOf = (blocks: readonly Block[]) => tableOf(blocks)?.rows.map((r) => r.map(cellText)) ?? [];

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
    legend:
      "PA: Physical Abuse  SA: Sexual Abuse  EA: Emotional Abuse  N: Neglect  FDV: Family and Domestic Violence",
  };
}

describe("dashboards", () => {
  test("the overview's table (the App Home's) says under it what its – means", async () => {
    t = makeTestCtx();
    const reply = await t.run(JANE, "mine overview");
    const m = dashboardMessage(dashboardPages(reply.dashboards!), 0);
    expect(checkMessage(m)).toEqual([]);
    expect(rowsOf(m.blocks).map((r) => r[10])).toContain("–");
    const notes = m.blocks.flatMap((b) => (b.type === "context" ? b.elements.map((e) => e.text) : []));
    expect(notes.join("\n")).toContain(
      "– not on this case's own dashboard: its service doesn't record that element",
    );
  });

  test("the seed's sample rows: header, one table with the seed's columns, legend", async () => {
    t = makeTestCtx();
    const reply = await t.run(JANE, "mine statutory-cp");
    const pages = dashboardPages(reply.dashboards!);
    expect(pages).toHaveLength(1);
    const m = dashboardMessage(pages, 0);
    expect(checkMessage(m)).toEqual([]);
    expect(m.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "Front end statutory child protection", emoji: true },
    });
    expect(rowsOf(m.blocks)).toMatchInlineSnapshot(`
      [
        [
          "Case",
          "Name/Age/ID #",
          "Date Opened",
          "Abuse Type",
          "Mapping Internal",
          "Mapping with Family",
          "Three Houses",
          "Danger Statement",
          "Safety Goal",
          "Safety Scale",
          "Word and Pictures",
          "Network Number",
          "Participatory Conferences/Meetings including Network",
          "Interim Adult Safety Plan",
          "Child Safety Plan",
        ],
        [
          "⚠ 12345",
          "Melli Majid 13",
          "03/02/16",
          "N & PA",
          "06/02/16",
          "No",
          "12/02/16",
          "Yes",
          "No",
          "2",
          "27/02/16",
          "3",
          "1",
          "No",
          "No",
        ],
        [
          "⚠ 12346",
          "Mary Telis 5",
          "12/06/15",
          "FDV, EA & N",
          "19/06/15",
          "23/06/15",
          "21/06/15",
          "Yes",
          "Yes",
          "6",
          "Yes",
          "7",
          "0",
          "No",
          "23/11/15",
        ],
      ]
    `);
    const notes = m.blocks
      .filter((b) => b.type === "context")
      .map((b) => (b.type === "context" ? b.elements[0]!.text : ""));
    expect(notes.join("\n")).toContain("*Abuse Type:* PA: Physical Abuse");
    expect(notes.join("\n")).toContain("⚠ stuck: type `/sos stuck` to see why");
    expect(m.text).toContain("Melli Majid 13");
  });

  test("a team too big for one table is split by worker group, then a big group is paged", () => {
    const view = fatView([
      fatGroup("Ana", 10),
      fatGroup("Ben", 0),
      fatGroup("Cleo", 60, 100),
      fatGroup("Dev", 5, 400),
    ]);
    const pages = dashboardPages([view]);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const titles = pages.map((p) => p.view.groups.map((g) => `${g.title}:${g.rows.length}`));
    // Ana fits with the empty group; Cleo starts on a fresh page and continues; Dev rides with Cleo's tail.
    expect(titles[0]).toEqual(["Ana's Cases:10", "Ben's Cases:0"]);
    expect(titles[1]![0]).toMatch(/^Cleo's Cases:\d+$/);
    expect(titles.flat().filter((x) => x.startsWith("Cleo's Cases (continued)")).length).toBeGreaterThan(0);
    expect(titles.at(-1)!.at(-1)).toBe("Dev's Cases:5");
    const shown = pages.flatMap((p) => p.view.groups.flatMap((g) => g.rows.map((r) => r.caseId)));
    expect(shown).toEqual(view.groups.flatMap((g) => g.rows.map((r) => r.caseId)));
    pages.forEach((_, i) => {
      const m = dashboardMessage(pages, i, { value: (p) => `page:${p}` });
      expect(checkMessage(m), `page ${i}`).toEqual([]);
      expect(rowsOf(m.blocks)[0]!.slice(0, 2)).toEqual(["Worker", "Case"]);
    });
  });

  test("page buttons go back and forth and carry the adapter's values", () => {
    const pages = dashboardPages([fatView([fatGroup("Ana", 250)])]);
    const m = dashboardMessage(pages, 1, { value: (p) => `v${p}` });
    const actions = m.blocks.find((b) => b.type === "actions");
    expect(actions?.type === "actions" && actions.elements.map((e) => [e.text.text, e.value])).toEqual([
      ["‹ Ana's Cases", "v0"],
      ["Ana's Cases (continued) ›", "v2"],
    ]);
    expect(m.blocks[1]).toMatchObject({ type: "context" });
    expect(JSON.stringify(m.blocks)).toContain(`page 2 of ${pages.length}`);
  });

  test("a worker with no cases gets a page saying so, with no empty table", () => {
    const pages = dashboardPages([fatView([fatGroup("Ana", 0)])]);
    const m = dashboardMessage(pages, 0);
    expect(tableOf(m.blocks)).toBeUndefined();
    expect(JSON.stringify(m.blocks)).toContain("no open cases");
    expect(checkMessage(m)).toEqual([]);
  });
});

describe("other views", () => {
  test("agency coverage of 150 teams stays in one table and says how many teams it left out", () => {
    const cells = Array.from({ length: 12 }, () => "100% (120/120)");
    const view: CoverageView = {
      title: "Agency: practice coverage by team",
      columns: ["Team", "Open cases", ...Array.from({ length: 12 }, (_, i) => `Element ${i}`)],
      rows: Array.from({ length: 150 }, (_, i) => ({ label: `Team ${i}`, openCases: 120, cells })),
      total: { label: "Whole agency", openCases: 18000, cells },
      note: "Each cell: open cases with the element recorded, out of open cases whose dashboard has it.",
    };
    const m = coverageMessage(view);
    expect(checkMessage(m)).toEqual([]);
    const rows = rowsOf(m.blocks);
    expect(rows.at(-1)![0]).toBe("Whole agency");
    expect(JSON.stringify(m.blocks)).toContain(`${150 - (rows.length - 2)} more teams are not shown`);
  });

  test("a stuck list of 300 cases is paged, every page within limits, nothing dropped", () => {
    const view: StuckView = {
      title: "Stuck cases in Agency",
      items: Array.from({ length: 300 }, (_, i) => ({
        caseId: `S${i}`,
        child: "A.M. 12",
        worker: "Alexandria Montgomery",
        team: "North East Family Support Team",
        dashboard: "Front end statutory child protection",
        findings: [
          {
            rule: "no-family-mapping" as const,
            reason: "No mapping with family",
            since: "01/02/16",
            sinceOn: "2016-02-01",
            days: 28,
          },
          {
            rule: "no-activity" as const,
            reason: "No practice logged",
            since: "01/02/16",
            sinceOn: "2016-02-01",
            days: 21,
          },
        ],
      })),
    };
    const pages = stuckPages(view);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flatMap((p) => p.items.map((x) => x.caseId))).toEqual(view.items.map((x) => x.caseId));
    pages.forEach((_, i) => {
      const m = stuckMessage(view, { page: i, pageValue: (p) => String(p) });
      expect(checkMessage(m), `page ${i}`).toEqual([]);
    });
  });

  test("a case with a long history shows the latest lines and counts the rest", async () => {
    t = makeTestCtx();
    const view: CaseView = (await t.run(JANE, "case 12345")).caseView!;
    const long: CaseView = {
      ...view,
      history: Array.from({ length: 500 }, (_, i) => ({
        on: "06/02/16",
        text: `Mapping Internal, recorded by Jane Smith 06/02/16 10:00 via slack (entry #${i}).`,
        retracted: i % 7 === 0,
      })),
    };
    const m = caseMessage(long);
    expect(checkMessage(m)).toEqual([]);
    expect(JSON.stringify(m.blocks)).toMatch(/History\* \(latest \d+ of 500\)/);
    expect(JSON.stringify(m.blocks)).toContain("entry #499");
    expect(JSON.stringify(caseMessage(view).blocks)).toContain("Melli Majid 13");
  });
});

describe("text and limits", () => {
  test("mrkdwn control characters are escaped, so typed text cannot mention @channel", () => {
    expect(escapeMrkdwn("<!channel> Tom & Jerry > 3")).toBe("&lt;!channel&gt; Tom &amp; Jerry &gt; 3");
  });

  test("long text is split between lines into sections of at most 3000 characters", () => {
    const line = "x".repeat(70);
    const s = sections(Array.from({ length: 100 }, () => line).join("\n"));
    expect(s.length).toBe(3);
    for (const b of s) expect(b.text!.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(s.map((b) => b.text!.text).join("\n")).toBe(Array.from({ length: 100 }, () => line).join("\n"));
    expect(sections("y".repeat(6500)).map((b) => b.text!.text.length)).toEqual([3000, 3000, 500]);
  });

  const section = (n: number) => ({ type: "section", text: { type: "mrkdwn", text: "a".repeat(n) } });
  const table = (rows: number, cells: number, text = "x") => ({
    type: "table",
    rows: Array.from({ length: rows }, () =>
      Array.from({ length: cells }, () => ({ type: "raw_text", text })),
    ),
  });

  test.each([
    ["51 blocks in a message", Array.from({ length: 51 }, () => section(1)), "message", /51 blocks > 50/],
    ["a section of 3001 characters", [section(3001)], "message", /text 3001 not 1–3000/],
    ["a table of 101 rows", [table(101, 2)], "message", /101 rows not 1–100/],
    ["a row of 21 cells", [table(2, 21)], "message", /21 cells not 1–20/],
    ["an empty cell", [table(1, 1, "")], "message", /is empty/],
    ["two tables in a message", [table(1, 1), table(1, 1)], "message", /2 tables/],
    ["a table in a modal", [table(1, 1)], "modal", /not available in modals/],
    ["10,001 characters of cells", [table(100, 1, "x".repeat(101))], "message", /> 10000/],
    [
      "12,001 characters of text",
      [section(3000), section(3000), section(3000), section(3000), section(1)],
      "message",
      /msg_blocks_too_long/,
    ],
    [
      "a header of 151 characters",
      [{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }],
      "home",
      /not 1–150/,
    ],
  ] as const)("the checker catches %s", (_what, blocks, surface, problem) => {
    expect(checkBlocks(blocks, surface).join("\n")).toMatch(problem);
  });

  test("the checker passes a modal's own limits and catches a long title", () => {
    expect(
      checkView({ type: "modal", title: { type: "plain_text", text: "Log practice" }, blocks: [] }),
    ).toEqual([]);
    expect(
      checkView({
        type: "modal",
        title: { type: "plain_text", text: "A title far too long for Slack" },
        blocks: [],
      }),
    ).toEqual(["view title 30 > 24"]);
  });
});
