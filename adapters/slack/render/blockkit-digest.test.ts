import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeInvocation } from "../../../src/commands/invocation.ts";
import { agencySummary } from "../../../src/digest/agency-summary.ts";
import { planNudges } from "../../../src/digest/nudges.ts";
import { teamDigest } from "../../../src/digest/team-digest.ts";
import type { NudgeView, TeamDigestView } from "../../../src/digest/views.ts";
import { BIG, BIG_CHILD_NAMES, bigAgencyConfig, seedBigAgency } from "../../../test/helpers/big-agency.ts";
import { JANE, MORGAN, makeTestCtx, SAM, type TestCtx } from "../../../test/helpers/ctx.ts";
import { type Block, LIMITS, type Message } from "./blockkit.ts";
import {
  agencySummaryMessages,
  DIGEST_BUDGET,
  NUDGE_LOG_ACTION,
  NUDGE_SNOOZE_ACTION,
  nudgeMessages,
  readSnoozeValue,
  tablePages,
  teamDigestMessages,
} from "./blockkit-digest.ts";
import { checkMessage } from "./blockkit-limits.ts";

const asOf = "2016-03-01";
const opts = { asOf, period: "2016-W09", late: false } as const;

const tables = (m: Message) => m.blocks.filter((b) => b.type === "table");
const shown = (x: unknown): string => JSON.stringify(x);
/** Room a poster or a preview adds: a banner, a thread note, page buttons. */
const withRoom = (m: Message): Message => ({
  text: m.text,
  blocks: [
    ...m.blocks,
    ...Array.from({ length: LIMITS.messageBlocks - DIGEST_BUDGET.blocks }, () => m.blocks[0]!),
  ],
});

async function nudgeOf(t: TestCtx, email: string): Promise<NudgeView> {
  const plan = await planNudges(t.ctx, t.as(email).teams[0]!, asOf);
  if (!("nudges" in plan)) throw new Error(plan.skipped);
  const n = plan.nudges.find((x) => x.actor.email === email);
  if (!n) throw new Error(`no nudge for ${email}`);
  return n.view;
}

describe("the demo agency", () => {
  let t: TestCtx;
  let team: TeamDigestView;
  beforeAll(async () => {
    t = makeTestCtx();
    team = await teamDigest(makeInvocation(t.ctx, t.as(SAM), "digest", "channel"), "north", {
      ...opts,
      late: true,
    });
  });
  afterAll(() => t.close());

  test("team digest: heading, late line, headline and coverage first; lists; the dashboard page by page", () => {
    const ms = teamDigestMessages(team);
    const first = ms[0]!;
    expect(first.blocks[0]).toMatchObject({
      type: "header",
      text: { text: "North Team: weekly practice dashboard" },
    });
    expect(shown(first.blocks)).toContain("week to 01/03/16");
    expect(shown(first.blocks)).toContain("Posted late: the app was not running at the scheduled time.");
    expect(shown(first.blocks)).toContain("6 open cases · 1 with practice logged this week");
    expect(tables(first)).toHaveLength(1);
    expect(shown(first.blocks)).toContain("Raised to the supervisor: stuck a long time (5)");
    expect(shown(first.blocks)).toContain("Other stuck cases (1)");
    // One table per message, and every message well inside Slack's limits.
    for (const m of ms) {
      expect(tables(m).length).toBeLessThanOrEqual(1);
      expect(checkMessage(withRoom(m))).toEqual([]);
    }
    const boards = ms.slice(1).map((m) => (m.blocks[0] as Extract<Block, { type: "header" }>).text.text);
    expect(boards).toEqual(team.dashboards.map((d) => d.title));
  });

  test("a channel's digest names children by initials", () => {
    const all = shown(teamDigestMessages(team));
    expect(all).toContain("M.M. 13");
    expect(all).not.toMatch(/Melli|Telis|Majid/);
  });

  test("a quiet week: no tables, no dashboard, but the raised and stuck cases with their rules and days", () => {
    const ms = teamDigestMessages({ ...team, quiet: true, late: false });
    expect(ms).toHaveLength(1);
    expect(tables(ms[0]!)).toHaveLength(0);
    const all = shown(ms[0]!.blocks);
    expect(all).toContain("Nothing changed this week: no practice logged, no new and no closed cases.");
    expect(all).toContain("Raised to the supervisor: stuck a long time (5)");
    expect(all).toContain("Other stuck cases (1)");
    for (const i of team.stuck) expect(all).toContain(`*${i.caseId}*  ${i.child}`);
    expect(all).toContain("no Mapping with Family 28 days after opening: stuck 30 days (since 31/01/16)");
    expect(all).not.toContain("Jane Smith's Cases");
    expect(ms[0]!.text).toContain("Raised to the supervisor: stuck a long time (5)");
    expect(checkMessage(withRoom(ms[0]!))).toEqual([]);
  });

  test("agency summary: one table per message, no worker named anywhere", async () => {
    const view = await agencySummary(makeInvocation(t.ctx, t.as(MORGAN), "digest", "channel"), opts);
    const ms = agencySummaryMessages(view);
    expect(ms.map((m) => (m.blocks[0] as Extract<Block, { type: "header" }>).text.text)).toEqual([
      "Demo Family Services: weekly practice summary",
      "Agency-wide coverage, last 8 weeks",
      "Stuck cases by team",
      "Practice elements against closing outcomes",
    ]);
    for (const m of ms) expect(checkMessage(withRoom(m))).toEqual([]);
    expect(ms.map((m) => tables(m).length)).toEqual([1, 1, 1, 0]);
    // No case closed yet in the demo: the outcomes part says so rather than drawing an empty table.
    expect(shown(ms[3])).toContain("No cases have been closed yet: outcomes are recorded with /sos close.");
    for (const s of t.ctx.org.staff) expect(shown(ms)).not.toContain(s.name);
  });

  test("nudge: each stuck case with its rule and days, Log… and Snooze buttons", async () => {
    const view = await nudgeOf(t, JANE);
    const [m] = nudgeMessages(view);
    expect(m!.blocks[0]).toMatchObject({ text: { text: "*Jane Smith*: 6 of your cases are stuck." } });
    expect(shown(m)).toContain("Melli Majid 13"); // a direct message: full names
    expect(shown(m)).toContain(
      "no Mapping with Family 28 days after opening: stuck 30 days (since 31/01/16)",
    );
    const rows = m!.blocks.filter((b) => b.type === "actions");
    expect(rows).toHaveLength(view.items.length);
    const first = rows[0] as Extract<Block, { type: "actions" }>;
    expect(first.block_id).toBe(`nudge_${view.items[0]!.caseId}`);
    expect(first.elements.map((e) => [e.text.text, e.action_id])).toEqual([
      ["Log…", NUDGE_LOG_ACTION],
      ["Snooze 7 days", NUDGE_SNOOZE_ACTION],
    ]);
    expect(readSnoozeValue(first.elements[1]!.value)).toEqual({ caseId: view.items[0]!.caseId, days: 7 });
    expect(checkMessage(withRoom(m!))).toEqual([]);
  });

  test("a snooze value that was tampered with is ignored", () => {
    expect(readSnoozeValue("nonsense")).toBeNull();
    expect(readSnoozeValue('{"c":"12345","d":-1}')).toBeNull();
    expect(readSnoozeValue('{"c":"","d":7}')).toBeNull();
  });
});

describe("an agency-sized team (400 cases, 12 workers) and 40 teams", () => {
  let t: TestCtx;
  beforeAll(() => {
    t = makeTestCtx({ config: bigAgencyConfig(), demo: false });
    seedBigAgency(t.ctx);
  });
  afterAll(() => t.close());

  test("every message of the team digest keeps to Slack's limits, and every case is on the dashboard once", async () => {
    const team = await teamDigest(
      makeInvocation(t.ctx, t.as(BIG.supervisor), "digest", "channel"),
      "big",
      opts,
    );
    const ms = teamDigestMessages(team);
    for (const m of ms) expect(checkMessage(withRoom(m))).toEqual([]);
    const ids = ms.flatMap((m) =>
      tables(m).flatMap((b) =>
        (b as Extract<Block, { type: "table" }>).rows
          .map((r) => JSON.stringify(r[1]))
          .filter((c) => /NA1|NEW/.test(c)),
      ),
    );
    expect(ids).toHaveLength(
      team.dashboards.reduce((n, d) => n + d.groups.reduce((k, g) => k + g.rows.length, 0), 0),
    );
    expect(new Set(ids).size).toBe(ids.length);
    const all = shown(ms);
    for (const name of BIG_CHILD_NAMES) expect(all).not.toContain(name);
    // Every stuck case is listed once.
    for (const i of team.stuck.slice(0, 50)) expect(all.split(`*${i.caseId}*`).length - 1).toBe(1);
  });

  test("the agency summary pages its 40-team tables", async () => {
    const view = await agencySummary(makeInvocation(t.ctx, t.as(BIG.manager), "digest", "channel"), opts);
    const ms = agencySummaryMessages(view);
    for (const m of ms) expect(checkMessage(withRoom(m))).toEqual([]);
    const all = shown(ms);
    expect(all).toContain("Locality Team 39");
    expect(all).not.toContain("Longname-Smith");
  });

  test("a worker's nudge with 30+ stuck cases comes in parts of at most 20 cases", async () => {
    const view = await nudgeOf(t, BIG.worker(1));
    expect(view.items.length).toBeGreaterThan(20);
    const ms = nudgeMessages(view);
    expect(ms.length).toBe(Math.ceil(view.items.length / 20));
    for (const m of ms) expect(checkMessage(withRoom(m))).toEqual([]);
    expect(ms.flatMap((m) => m.blocks.filter((b) => b.type === "actions"))).toHaveLength(view.items.length);
  });

  test("tables wider than 20 columns repeat the first column beside each further 19", () => {
    const columns = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const pages = tablePages({ title: "wide", columns, rows: [columns.map((c) => `${c}!`)] });
    expect(pages.map((p) => p.columns.length)).toEqual([20, 11]);
    expect(pages[1]!.columns[0]).toBe("c0");
  });
});
