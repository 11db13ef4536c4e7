import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeInvocation } from "../../../src/commands/invocation.ts";
import { casesToLog, logFormFor } from "../../../src/commands/log-form.ts";
import type { DashboardView, LogFormView } from "../../../src/render/view.ts";
import { actionsOf, cardProblems, cardText, phoneProblems } from "../../../test/helpers/cards.ts";
import { AH_HIN, JANE, MORGAN, makeTestCtx, SAM, type TestCtx } from "../../../test/helpers/ctx.ts";
import {
  dashboardLayout,
  dashboardPages,
  HISTORY_LIMIT,
  PAGE_LIMITS,
  type Page,
  replyCard,
} from "./adaptive-card.ts";
import { logFormCard, pickCaseCard } from "./adaptive-card-form.ts";
import {
  type Container,
  card,
  FALLBACK_MAX,
  type FactSet,
  shortened,
  type Table,
  table,
  teamsMarkdown,
} from "./adaptive-card-kit.ts";
import { fittingWeights, tableSqueezes, unbreakable } from "./card-width.ts";

let t: TestCtx;
beforeAll(() => {
  t = makeTestCtx();
});
afterAll(() => t.close());

const nonce = "n-1";
const cardFor = async (email: string, text: string, audience: "private" | "channel" = "private") =>
  replyCard(await t.run(email, text, { surface: "teams", audience }), { nonce, command: text });

describe("every reply is an Adaptive Card 1.5 that Teams can draw", () => {
  test.each([
    [JANE, "help"],
    [JANE, "help log"],
    [JANE, "mine"],
    [JANE, "case 12345"],
    [JANE, "stuck"],
    [JANE, "whoami"],
    [JANE, "three-houses 99999"],
    [SAM, "team"],
    [MORGAN, "agency"],
    [MORGAN, "stuck"],
  ])("%s: %s", async (email, text) => {
    expect(cardProblems(await cardFor(email, text))).toEqual([]);
  });

  test("the forms too", async () => {
    const env = makeInvocation(t.ctx, t.as(JANE), "teams", "private");
    const r = await logFormFor(env, "12345");
    if (!("form" in r)) throw new Error(r.reply.text);
    expect(cardProblems(pickCaseCard(await casesToLog(env), { nonce }))).toEqual([]);
    expect(cardProblems(pickCaseCard([], { nonce }))).toEqual([]);
    expect(cardProblems(logFormCard(r.form, { nonce }))).toEqual([]);
  });

  test("the checker itself refuses what Teams would not draw", () => {
    const bad = { type: "AdaptiveCard", version: "1.6", body: [{ type: "Media", sources: [] }] };
    expect(cardProblems(bad)).toEqual(
      expect.arrayContaining(["version is 1.6", "no fallbackText", "$.body[0]: Media is not drawn by Teams"]),
    );
  });
});

describe("text as Teams shows it", () => {
  test("commands lose their slash and code spans become bold", () => {
    expect(teamsMarkdown("Wrong? `/sos undo` takes it back. * stuck: type /sos stuck")).toBe(
      "Wrong? **sos undo** takes it back. * stuck: type sos stuck",
    );
  });

  test("a long fallback is cut at a line end, saying so, so the card still fits in a message", () => {
    const long = Array.from({ length: 300 }, (_, i) => `line ${i} of a long dashboard`).join("\n");
    const c = replyCard({ ok: true, text: long }, { nonce });
    expect(c.fallbackText.length).toBeLessThanOrEqual(FALLBACK_MAX);
    expect(c.fallbackText).toMatch(/dashboard\n… \(the rest is in the card\)$/);
    expect(shortened("short", 10)).toBe("short");
  });

  test("the fallback text is the whole reply, without markup", async () => {
    const c = await cardFor(JANE, "whoami");
    expect(c.fallbackText).toMatch(/^You are Jane Smith \(jane\.smith@demo-agency\.example\), a worker/);
  });
});

describe("a confirmation", () => {
  test("says what was stored, in green, with Undo (Action.Execute falling back to Action.Submit)", async () => {
    const r = await t.run(JANE, "mapped-with-family 22345", { surface: "teams" });
    const c = replyCard(r, { nonce });
    expect(c.body[0]).toMatchObject({ color: "Good", weight: "Bolder" });
    expect(cardText(c)).toContain("Recorded Mapping with Family on 01/03/16 (today) for case 22345");
    expect(actionsOf(c)).toEqual([
      {
        title: "Undo",
        verb: "undo",
        data: { entryId: r.logged!.entryId, nonce },
        fallback: {
          type: "Action.Submit",
          title: "Undo",
          data: { entryId: r.logged!.entryId, nonce, verb: "undo" },
        },
      },
      {
        title: "Log another",
        verb: "form",
        data: { nonce },
        fallback: { type: "Action.Submit", title: "Log another", data: { nonce, verb: "form" } },
      },
    ]);
  });

  test("a repeated delivery says nothing new was recorded", async () => {
    const r = await t.run(JANE, "three-houses 22345", { surface: "teams", idempotencyKey: "k-rep" });
    const again = await t.run(JANE, "three-houses 22345", { surface: "teams", idempotencyKey: "k-rep" });
    expect(cardText(replyCard(r, { nonce }))).not.toContain("nothing new was recorded");
    expect(cardText(replyCard(again, { nonce }))).toContain("nothing new was recorded");
  });

  test("a refusal is red and has no buttons", async () => {
    const c = await cardFor(JANE, "scale 12345 11");
    expect(c.body[0]).toMatchObject({ color: "Attention" });
    expect(c.actions).toBeUndefined();
  });
});

describe("dashboards", () => {
  test("one block per case under its worker's heading: the case and child, then label → value, stuck marked", async () => {
    const c = await cardFor(SAM, "team statutory-cp");
    expect(c.body.filter((b) => b.type === "Table")).toHaveLength(0);
    const text = cardText(c);
    expect(text).toContain("Jane Smith's Cases");
    expect(text).toContain("Ah Hin Xeng's Cases");
    expect(text).toContain("No open cases.");
    const blocks = c.body.filter((b): b is Container => b.type === "Container");
    expect(blocks).toHaveLength(2);
    const [first] = blocks;
    expect(first!.items[0]).toMatchObject({ text: "⚠ **12345** · Melli Majid 13", color: "Attention" });
    const facts = (first!.items[1] as FactSet).facts;
    expect(facts.slice(0, 4)).toEqual([
      { title: "Date Opened", value: "03/02/16" },
      { title: "Abuse Type", value: "N & PA" },
      { title: "Mapping Internal", value: "06/02/16" },
      { title: "Mapping with Family", value: "No" },
    ]);
    // the element a stuck rule points at (no Safety Goal 14 days after the first mapping)
    expect(facts.find((f) => f.title === "Safety Goal")).toEqual({ title: "Safety Goal", value: "No ⚠" });
    expect(facts.map((f) => f.title)).toContain("Participatory Conferences/Meetings including Network");
    expect(text).toContain(
      "⚠ stuck: beside a case, a stuck rule holds for it; beside an element, the rule points at it. Type **sos stuck** to see why.",
    );
    expect(c.msteams).toBeUndefined();
  });

  test("in a channel children show as the config says (initials)", async () => {
    expect(cardText(await cardFor(SAM, "team", "channel"))).toContain("M.M. 13");
    expect(cardText(await cardFor(SAM, "team", "channel"))).not.toContain("Melli Majid");
    expect(cardText(await cardFor(SAM, "team", "private"))).toContain("Melli Majid 13");
  });

  test("the overview explains its –: not on the case's own dashboard", async () => {
    const c = await cardFor(JANE, "mine overview");
    const text = cardText(c);
    expect(text).toContain("Timeline and Trajectory: –");
    expect(text).toContain("– not on this case's own dashboard: its service doesn't record that element");
    const cp = cardText(await cardFor(JANE, "mine statutory-cp"));
    expect(cp).not.toContain("not on this case's own dashboard");
  });

  test("a large dashboard is cut into pages that each fit in a Teams message", () => {
    const view = bigDashboard(3, 30);
    const pages = dashboardPages([view]);
    expect(pages.length).toBeGreaterThan(1);
    const blocks = (p: Page) => p.sections.flatMap((s) => s.blocks);
    const seen = pages.flatMap((p) => blocks(p).flatMap((b) => b.rows.map((r) => r.caseId)));
    expect(seen).toEqual(view.groups.flatMap((g) => g.rows.map((r) => r.caseId)));
    for (const p of pages) {
      expect(blocks(p).reduce((n, b) => n + b.rows.length, 0)).toBeLessThanOrEqual(PAGE_LIMITS.rows);
    }
    expect(blocks(pages[1]!)[0]!.title).toMatch(/\(continued\)$/);

    const reply = { ok: true, text: "North Team: 90 open cases.", dashboards: [view] };
    for (let page = 1; page <= pages.length; page++) {
      const c = replyCard(reply, { nonce, command: "sos team", page });
      expect(cardProblems(c)).toEqual([]);
      expect(phoneProblems(c)).toEqual([]);
      expect(cardText(c)).toContain(`North Team: 90 open cases. Page ${page} of ${pages.length}.`);
      const verbs = actionsOf(c).map((a) => `${a.title}:${a.data.page}`);
      expect(verbs).toEqual([
        ...(page > 1 ? [`Previous page:${page - 1}`] : []),
        ...(page < pages.length ? [`Next page:${page + 1}`] : []),
      ]);
      expect(actionsOf(c).every((a) => a.data.command === "sos team")).toBe(true);
    }
  });

  test("small dashboards share a page, each under its own title", async () => {
    const c = await cardFor(JANE, "mine");
    const text = cardText(c);
    expect(text).not.toContain("Page 1");
    expect(text).toContain("Front end statutory child protection");
    expect(text).toContain("Statutory family support / preventative");
    expect(text).toContain("Voluntary preventative");
    expect(c.body.filter((b) => b.type === "Container")).toHaveLength(6);
  });

  test("a dashboard whose columns fit a phone keeps the seed's table, columns as wide as they need", () => {
    const narrow: DashboardView = {
      dashboard: "voluntary",
      title: "Voluntary preventative",
      columns: ["Name/Age/ID #", "Date Opened", "Case Trajectory"],
      legend: null,
      groups: [
        {
          worker: "Jane Smith",
          title: "Jane Smith's Cases",
          rows: [
            { caseId: "32345", cells: ["Melli Majid 13", "03/01/16", "15/02/16"], stuck: true, stuckAt: [] },
          ],
        },
      ],
    };
    expect(dashboardLayout(narrow)).toBe("table");
    const c = replyCard({ ok: true, text: "x", dashboards: [narrow] }, { nonce });
    const tables = c.body.filter((b): b is Table => b.type === "Table");
    expect(tables).toHaveLength(1);
    expect(tables[0]!.rows[1]!.cells.map((x) => x.items[0]!.text)).toEqual([
      "32345*",
      "Melli Majid 13",
      "03/01/16",
      "15/02/16",
    ]);
    expect(tables[0]!.rows[1]!.cells[0]!.items[0]).toMatchObject({ color: "Attention" });
    expect(cardText(c)).toContain("* stuck: type **sos stuck** to see why");
    expect(phoneProblems(c)).toEqual([]);
    expect(c.msteams).toEqual({ width: "Full" });
  });
});

describe("every card reads on a 360 px phone (no cell narrower than its content)", () => {
  test("the seed's wide table would not: its dates would break a character a line", () => {
    const view = bigDashboard(1, 1);
    const rows = [
      ["Case", ...view.columns],
      ["C0-0", ...view.groups[0]!.rows[0]!.cells],
    ];
    const even = rows[0]!.map(() => 1);
    const squeezed = tableSqueezes(rows, even);
    expect(squeezed.map((s) => s.text)).toContain("15/02/16");
    expect(fittingWeights(rows)).toBeNull();
    // the checker the other tests use finds it too, in the card the old layout made
    const old = card([table(rows[0]!, rows.slice(1), [1, 2, ...even.slice(2)])], "x");
    expect(phoneProblems(old).join("\n")).toMatch(/"15\/02\/16" needs 5\d px, has [0-9] px/);
    // a date is one piece that never breaks; a label breaks between words and after a slash
    expect(unbreakable("15/02/16")).toEqual(["15/02/16"]);
    expect(unbreakable("3 times, last 15/02/16")).toEqual(["3", "times,", "last", "15/02/16"]);
    expect(unbreakable("Participatory Conferences/Meetings including Network")).toEqual([
      "Participatory",
      "Conferences/",
      "Meetings",
      "including",
      "Network",
    ]);
  });

  test.each([
    [JANE, "mine"],
    [JANE, "mine overview"],
    [SAM, "team"],
    [SAM, "team overview"],
    [MORGAN, "agency"],
    [JANE, "case 12345"],
    [JANE, "stuck"],
    [JANE, "help"],
    [SAM, "digest preview"],
  ])("%s: %s", async (email, text) => {
    const c = await cardFor(email, text);
    expect(phoneProblems(c)).toEqual([]);
  });

  test("a case block fits even with the longest labels and cells", () => {
    const c = replyCard({ ok: true, text: "x", dashboards: [bigDashboard(1, 2)] }, { nonce });
    expect(c.body.some((b) => b.type === "Container")).toBe(true);
    expect(phoneProblems(c)).toEqual([]);
  });
});

describe("a case", () => {
  test("its details, its row as facts, its history, and a button to log on it", async () => {
    await t.run(JANE, "undo", { surface: "teams" });
    const c = await cardFor(JANE, "case 12345");
    const text = cardText(c);
    expect(text).toContain("Case 12345: Melli Majid 13");
    expect(text).toContain("Dashboard: Front end statutory child protection");
    expect(text).toContain("Mapping Internal: 06/02/16");
    expect(text).toContain("Safety Goal: No ⚠");
    expect(text).toMatch(/\*\*06\/02\/16\*\* Mapping Internal, recorded by/);
    expect(actionsOf(c).map((a) => [a.verb, a.data.caseId])).toEqual([["form-case", "12345"]]);
  });

  test(`a long history shows the newest ${HISTORY_LIMIT} lines and counts the rest`, async () => {
    const base = (await t.run(JANE, "case 12345")).caseView!;
    const line = { on: "01/03/16", text: "Network Meetings, recorded by Jane Smith", retracted: false };
    const view = { ...base, history: Array.from({ length: HISTORY_LIMIT + 5 }, () => line) };
    const c = replyCard({ ok: true, text: "x", caseView: view }, { nonce });
    expect(cardText(c)).toContain("5 earlier entries are not shown here.");
    expect(cardProblems(c)).toEqual([]);
  });
});

describe("the logging form", () => {
  const form = async (): Promise<LogFormView> => {
    const r = await logFormFor(makeInvocation(t.ctx, t.as(JANE), "teams", "private"), "32345");
    if (!("form" in r)) throw new Error(r.reply.text);
    return r.form;
  };

  test("step 1 lists the person's cases, naming the worker when there are several", async () => {
    const env = makeInvocation(t.ctx, t.as(SAM), "teams", "private");
    const c = pickCaseCard(await casesToLog(env), { nonce });
    const input = c.body.find((b) => b.type === "Input.ChoiceSet");
    expect(input).toMatchObject({ id: "caseId", isRequired: true });
    expect(input && "choices" in input && input.choices[0]).toEqual({
      title: "12345 · Melli Majid 13 · Front end statutory child protection",
      value: "12345",
    });
    expect(actionsOf(c).map((a) => a.verb)).toEqual(["form-case"]);
    const two = [
      { caseId: "1", child: "A.B. 3", worker: "Jane Smith", dashboard: "Voluntary preventative" },
      { caseId: "2", child: "2", worker: "Ah Hin Xeng", dashboard: "Voluntary preventative" },
    ];
    const choices = pickCaseCard(two, { nonce }).body.find((b) => b.type === "Input.ChoiceSet");
    expect(choices && "choices" in choices && choices.choices.map((x) => x.title)).toEqual([
      "1 · A.B. 3 · Jane Smith · Voluntary preventative",
      "2 · Ah Hin Xeng · Voluntary preventative",
    ]);
    const none = await casesToLog(makeInvocation(t.ctx, t.as(AH_HIN), "teams", "private"));
    expect(cardText(pickCaseCard(none, { nonce }))).toContain("You have no open cases");
  });

  test("step 2 offers only that dashboard's elements, a date no later than today, a number, a note", async () => {
    const c = logFormCard(await form(), { nonce });
    const inputs = Object.fromEntries(
      c.body.filter((b) => b.type.startsWith("Input.")).map((b) => [b.type, b]),
    );
    const element = inputs["Input.ChoiceSet"] as unknown as { choices: { title: string }[] };
    expect(element.choices.map((x) => x.title)).toEqual([
      "Mapping Internal",
      "Mapping with Family",
      "My Three Houses",
      "Critical Worry",
      "Wellbeing Goal",
      "Wellbeing Scale",
      "Word and Pictures",
      "Network Provide number",
      "Adult Success Plan",
      "Child Wellbeing Plan",
      "Case Trajectory",
    ]);
    expect(inputs["Input.Date"]).toMatchObject({ id: "date", value: "2016-03-01", max: "2016-03-01" });
    expect(inputs["Input.Number"]).toMatchObject({
      id: "value",
      label: "Number, only for Wellbeing Scale (0 to 10) or Network Provide number (0 to 999)",
    });
    expect(inputs["Input.Text"]).toMatchObject({ id: "note", isMultiline: true });
    expect(actionsOf(c).map((a) => [a.verb, a.data])).toEqual([
      ["log", { caseId: "32345", nonce }],
      ["form", { nonce }],
    ]);
  });

  test("a problem shows under its own field, and what was typed is kept", async () => {
    const c = logFormCard(await form(), {
      nonce,
      values: { element: "safety-scale", date: "2016-02-01", value: "11", note: "at home" },
      problem: { field: "value", text: "Wellbeing Scale must be a whole number from 0 to 10." },
    });
    const ids = c.body.map((b) =>
      "id" in b ? b.id : b.type === "TextBlock" && b.color === "Attention" ? "!" : "-",
    );
    expect(ids.indexOf("!")).toBe(ids.indexOf("value") + 1);
    expect(c.body.find((b) => "id" in b && b.id === "value")).toMatchObject({ value: 11 });
    expect(c.body.find((b) => "id" in b && b.id === "element")).toMatchObject({ value: "safety-scale" });
    expect(c.body.find((b) => "id" in b && b.id === "note")).toMatchObject({ value: "at home" });
  });
});

/** A dashboard as wide as the overview, `workers` groups of `rows` cases each, long cells. */
function bigDashboard(workers: number, rows: number): DashboardView {
  const columns = bigColumns;
  return {
    dashboard: "overview",
    title: "Whole practice overview",
    columns,
    legend: "PA: Physical Abuse",
    groups: Array.from({ length: workers }, (_, w) => ({
      worker: `Worker ${w}`,
      title: `Worker ${w}'s Cases`,
      rows: Array.from({ length: rows }, (_, r) => ({
        caseId: `C${w}-${r}`,
        stuck: false,
        stuckAt: [],
        cells: columns.map((_, i) =>
          i === 0 ? "Alexandra Montgomery-Smith 17" : i === 1 ? "15/02/16" : "12 times, last 28/02/16",
        ),
      })),
    })),
  };
}

const bigColumns = [
  "Name/Age/ID #",
  "Date Opened",
  "Abuse Type",
  "Mapping Internal",
  "Mapping with Family",
  "Three Houses",
  "Danger Statement",
  "Safety Goal",
  "Safety Scale",
  "Timeline and Trajectory",
  "Word and Pictures",
  "Network Provide number",
  "Adult Safety Plan",
  "Child Safety Plan",
  "Participatory Conferences/Meetings including Network",
];
