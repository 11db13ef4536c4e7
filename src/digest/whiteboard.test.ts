import { afterEach, describe, expect, test } from "vitest";
import { JANE, makeTestCtx, SAM, type TestCtx } from "../../test/helpers/ctx.ts";
import { loadBoard } from "../commands/board.ts";
import { OPERATOR, viewEnv } from "../commands/views.ts";
import type { CellStatus } from "../pictures/whiteboard-view.ts";
import { stuckItems } from "./stuck-items.ts";
import { whiteboardModel } from "./whiteboard.ts";

let t: TestCtx;
afterEach(() => t?.close());

const channel = () => viewEnv(t.ctx, OPERATOR, "digest", "channel");
const S: Record<string, CellStatus> = { "+": "done", ".": "missing", "!": "stuck", "-": "na" };
const cells = (s: string) => s.split(" ").map((c) => S[c]!);

describe("the seed's sample team on 01/03/16", () => {
  test("columns: the twelve elements in the overview's order, with short headings", async () => {
    t = makeTestCtx();
    const m = await whiteboardModel(channel(), "north");
    expect(m.columns.map((c) => c.heading.join(" "))).toEqual([
      "Mapping internal",
      "Mapping family",
      "Three houses",
      "Danger statement",
      "Safety goal",
      "Safety scale",
      "Trajectory",
      "Words & pictures",
      "Network",
      "Network meetings",
      "Adult plan",
      "Child plan",
    ]);
    expect(m.columns[3]!.label).toBe("Danger Statement");
  });

  // Columns:     MI MF 3H DS SG SS Tr WP Nw Mt AP CP   (+ done, . not yet, ! stuck, - not on the dashboard)
  test.each([
    // statutory-cp, opened 03/02/16: goal missing 14 days after first mapping (06/02) → stuck since 20/02;
    // family mapping and the scale are due at 28 days (02/03), not yet; all else recent
    ["12345", "M.M. 13", "+ . + + ! + - + + + . .", null, null],
    // family support, opened 03/01/16, everything imported without dates: family mapping (28 days) and
    // scale (never rated) overdue; the child plan is not due until 90 days; nothing logged since opening
    ["22345", "M.M. 13", "+ ! + + + ! - . + - . .", 58, null],
    // voluntary, opened 03/01/16: as above, last practice Three Houses on 18/01/16
    ["32345", "M.M. 13", "+ ! + + + ! . . + - . .", 43, null],
    // statutory-cp, opened 12/06/15: all the rules' elements done; the rating (undated) is overdue and
    // shows beside the row, as does the last practice (the child plan on 23/11/15). Its Timeline and
    // Trajectory (15/07/15, from the seed's overview) is drawn as recorded, though not on its dashboard
    ["12346", "M.T. 5", "+ + + + + + + + + . . +", 99, 263],
    // family support, opened 12/06/15: never rated, no child plan after 90 days
    ["22346", "M.T. 5", "+ + + + + ! - + + - + !", 263, null],
    ["32346", "M.T. 5", "+ + + + + ! . + + - + !", 159, null],
  ])("case %s (%s): %s", async (caseId, child, expected, quietDays, scaleDays) => {
    t = makeTestCtx();
    const m = await whiteboardModel(channel(), "north");
    const row = m.groups.flatMap((g) => g.rows).find((r) => r.caseId === caseId)!;
    expect(row).toMatchObject({ child, cells: cells(expected), quietDays, scaleDays, stuck: true });
  });

  test("the same child on several dashboards: each row says its service; never rated says never", async () => {
    t = makeTestCtx();
    const m = await whiteboardModel(channel(), "north");
    const rows = Object.fromEntries(m.groups.flatMap((g) => g.rows).map((r) => [r.caseId, r]));
    expect(Object.fromEntries(Object.entries(rows).map(([id, r]) => [id, r.service]))).toEqual({
      "12345": "Child protection",
      "22345": "Family support",
      "32345": "Voluntary",
      "12346": "Child protection",
      "22346": "Family support",
      "32346": "Voluntary",
    });
    expect(m.groups.flatMap((g) => g.rows).map((r) => [r.caseId, r.neverRated])).toEqual([
      ["12345", false],
      ["22345", true],
      ["32345", true],
      ["12346", false],
      ["22346", true],
      ["32346", true],
    ]);
  });

  test("a child with one case has no service on its row", async () => {
    t = makeTestCtx();
    const opened = await t.run(SAM, 'open 50001 "Ana Lima" 7 voluntary N jane.smith@demo-agency.example');
    expect(opened.ok, opened.text).toBe(true);
    const row = (await whiteboardModel(channel(), "north")).groups
      .flatMap((g) => g.rows)
      .find((r) => r.caseId === "50001")!;
    expect(row.service).toBeNull();
  });

  test("grouped as the seed's whiteboard: every worker of the team, newest case first, then counts", async () => {
    t = makeTestCtx();
    const m = await whiteboardModel(channel(), "north");
    expect(m.title).toBe("North Team whiteboard");
    expect(m.date).toBe("01/03/16");
    expect(m.groups.map((g) => [g.title, g.rows.map((r) => r.caseId)])).toEqual([
      ["Jane Smith's Cases", ["12345", "22345", "32345", "12346", "22346", "32346"]],
      ["Ah Hin Xeng's Cases", []],
      ["Alison Camp's Cases", []],
    ]);
    expect(m.counts).toMatchObject({ cases: 6, stuckCases: 6, stuckCells: 9, quiet: 5, scaleOverdue: 1 });
    // Safety scale: done on 12345 and 12346, stuck on the other four
    expect(m.counts.columns[5]).toEqual({ done: 2, missing: 0, stuck: 4, na: 0 });
  });

  test("stuck rows are exactly the cases `/sos stuck` lists", async () => {
    t = makeTestCtx({ today: "2016-02-15" });
    const env = channel();
    const m = await whiteboardModel(env, "north");
    const listed = stuckItems(env, await loadBoard(env, { teamIds: ["north"] })).map((i) => i.caseId);
    const marked = m.groups.flatMap((g) => g.rows.filter((r) => r.stuck).map((r) => r.caseId));
    expect(marked.sort()).toEqual(listed.sort());
    expect(marked).not.toContain("12345");
  });
});

describe("names and groups", () => {
  test("private: full names; channel: initials, as the agency's channelNames says", async () => {
    t = makeTestCtx();
    const full = await whiteboardModel(viewEnv(t.ctx, OPERATOR, "cli", "private"), "north");
    expect(full.groups[0]!.rows[0]!.child).toBe("Melli Majid 13");
    const shared = await whiteboardModel(channel(), "north");
    expect(JSON.stringify(shared)).not.toMatch(/Melli|Majid|Mary|Telis/);
  });

  test("a case held by someone outside the team's workers gets its own group after them", async () => {
    t = makeTestCtx();
    expect((await t.run(SAM, 'open 90001 "Ana Lee" 4 cp')).ok).toBe(true);
    const m = await whiteboardModel(channel(), "north");
    expect(m.groups.map((g) => g.title)).toEqual([
      "Jane Smith's Cases",
      "Ah Hin Xeng's Cases",
      "Alison Camp's Cases",
      "Sam Okafor's Cases",
    ]);
    // a new case: nothing done, nothing stuck yet; no trajectory on its dashboard
    expect(m.groups[3]!.rows[0]).toMatchObject({
      caseId: "90001",
      child: "A.L. 4",
      cells: cells(". . . . . . - . . . . ."),
      stuck: false,
    });
  });

  test("a closed case leaves the whiteboard", async () => {
    t = makeTestCtx();
    expect((await t.run(SAM, "close 12345 safe-at-home")).ok).toBe(true);
    const m = await whiteboardModel(channel(), "north");
    expect(m.counts.cases).toBe(5);
    expect((await t.run(JANE, "mapped-with-family 22345")).ok).toBe(true);
    const after = await whiteboardModel(channel(), "north");
    expect(after.groups[0]!.rows.find((r) => r.caseId === "22345")!.cells[1]).toBe("done");
  });

  test("an unknown team is an error, not an empty picture", async () => {
    t = makeTestCtx();
    await expect(whiteboardModel(channel(), "nowhere")).rejects.toThrow(/no team nowhere/);
  });
});
