import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeInvocation } from "../../../src/commands/invocation.ts";
import { agencySummary } from "../../../src/digest/agency-summary.ts";
import { planNudges } from "../../../src/digest/nudges.ts";
import { teamDigest } from "../../../src/digest/team-digest.ts";
import type { NudgeView, TeamDigestView } from "../../../src/digest/views.ts";
import { BIG, BIG_CHILD_NAMES, bigAgencyConfig, seedBigAgency } from "../../../test/helpers/big-agency.ts";
import { cardProblems, cardText, phoneProblems, TEAMS_MAX_BYTES } from "../../../test/helpers/cards.ts";
import { JANE, MORGAN, makeTestCtx, SAM, type TestCtx } from "../../../test/helpers/ctx.ts";
import { fakePicture } from "../../../test/helpers/picture.ts";
import {
  agencySummaryCards,
  digestPreviewCard,
  NUDGE_ITEMS_PER_CARD,
  nudgeCards,
  PICTURE_CARD_BYTES,
  PICTURE_ELSEWHERE,
  teamDigestCards,
} from "./adaptive-card-digest.ts";
import { type AdaptiveCard, cardBytes, teamsMarkdown, VERB } from "./adaptive-card-kit.ts";

const asOf = "2016-03-01";
const opts = { asOf, period: "2016-W09", late: false } as const;
const nonce = "n-1";

async function nudgeOf(t: TestCtx, email: string): Promise<NudgeView> {
  const plan = await planNudges(t.ctx, t.as(email).teams[0]!, asOf);
  if (!("nudges" in plan)) throw new Error(plan.skipped);
  const n = plan.nudges.find((x) => x.actor.email === email);
  if (!n) throw new Error(`no nudge for ${email}`);
  return n.view;
}

/** Every Execute action in a card, with the ActionSets in its body. */
function executes(c: AdaptiveCard): { title: string; verb: string; data: Record<string, unknown> }[] {
  const out: { title: string; verb: string; data: Record<string, unknown> }[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) for (const y of x) walk(y);
    else if (x && typeof x === "object") {
      const o = x as Record<string, unknown>;
      if (o.type === "Action.Execute") out.push(o as never);
      for (const [k, v] of Object.entries(o)) if (k !== "fallback" && k !== "data") walk(v);
    }
  };
  walk(c);
  return out;
}

/** A PNG-sized buffer (the bytes need not be a picture for the size rule). */
const pngOf = (n: number) => Buffer.alloc(n, 7);

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

  test("team digest: every card is Adaptive Cards 1.5 that Teams draws, within the size limit", () => {
    const cards = teamDigestCards(team, fakePicture());
    for (const c of cards) expect(cardProblems(c)).toEqual([]);
    const first = cardText(cards[0]);
    expect(first).toContain("North Team: weekly practice dashboard");
    expect(first).toContain("Posted late: the app was not running at the scheduled time.");
    expect(first).toContain("6 open cases · 1 with practice logged this week");
    expect(first).toContain("Practice coverage (open cases with the element recorded)");
    expect(first).toContain("Raised to the supervisor: stuck a long time (5)");
    expect(cardText(cards)).toContain("Front end statutory child protection");
    const all = JSON.stringify(cards);
    expect(all).toContain("M.M. 13");
    expect(all).not.toMatch(/Melli|Majid|Telis/);
  });

  test("the whiteboard picture: embedded as a data URI when it fits, else a line saying where it is", () => {
    const small = teamDigestCards(team, fakePicture());
    const image = small[0]!.body.find((e) => e.type === "Image");
    expect(image).toMatchObject({
      url: expect.stringMatching(/^data:image\/png;base64,iVBORw0KGgo/),
      altText: "North Team whiteboard, week to 01/03/16: cases by practice element",
    });
    const big = teamDigestCards(team, fakePicture(pngOf(20_000)));
    expect(big[0]!.body.some((e) => e.type === "Image")).toBe(false);
    expect(cardText(big[0])).toContain(teamsMarkdown(PICTURE_ELSEWHERE));
    // The largest picture that still goes in keeps the card inside the budget.
    const fits = teamDigestCards(team, fakePicture(pngOf(9_000)));
    expect(fits[0]!.body.some((e) => e.type === "Image")).toBe(true);
    expect(cardBytes(fits[0]!)).toBeLessThanOrEqual(PICTURE_CARD_BYTES);
    expect(cardProblems(fits[0])).toEqual([]);
  });

  test("a quiet week: no tables and no picture, but the raised and stuck cases with their rules and days", () => {
    const [c, ...more] = teamDigestCards({ ...team, quiet: true, late: false }, fakePicture());
    expect(more).toEqual([]);
    expect(cardProblems(c)).toEqual([]);
    expect(c!.body.some((e) => e.type === "Table" || e.type === "Image")).toBe(false);
    const shown = cardText(c);
    expect(shown).toContain("Nothing changed this week");
    expect(shown).toContain("Raised to the supervisor: stuck a long time (5)");
    expect(shown).toContain("Other stuck cases (1)");
    for (const i of team.stuck) expect(shown).toContain(i.caseId);
    expect(shown).toContain("no Mapping with Family 28 days after opening: stuck 30 days (since 31/01/16)");
  });

  test("agency summary: coverage, trend, stuck counts, outcomes; no worker named", async () => {
    const view = await agencySummary(makeInvocation(t.ctx, t.as(MORGAN), "digest", "channel"), opts);
    const cards = agencySummaryCards(view);
    for (const c of cards) expect(cardProblems(c)).toEqual([]);
    const all = cardText(cards);
    for (const title of [view.coverage.title, view.trend.title, view.stuckCounts.title, view.outcomes.title])
      expect(all).toContain(title);
    for (const s of t.ctx.org.staff) expect(JSON.stringify(cards)).not.toContain(s.name);
  });

  test("nudge: each case with its rules and days, and Log… and Snooze beside it", async () => {
    const view = await nudgeOf(t, JANE);
    const [c] = nudgeCards(view, { nonce });
    expect(cardProblems(c)).toEqual([]);
    expect(cardText(c)).toContain("Jane Smith: 6 of your cases are stuck.");
    expect(cardText(c)).toContain("Melli Majid 13");
    const acts = executes(c!);
    expect(acts).toHaveLength(2 * view.items.length);
    const cases = view.items.map((i) => i.caseId).join(" ");
    expect(acts.slice(0, 2)).toEqual([
      expect.objectContaining({
        title: "Log…",
        verb: VERB.nudgeLog,
        data: { caseId: view.items[0]!.caseId, nonce },
      }),
      expect.objectContaining({
        title: "Snooze 7 days",
        verb: VERB.snooze,
        data: { caseId: view.items[0]!.caseId, days: 7, cases, nonce },
      }),
    ]);
  });

  test("a snoozed case shows what happened instead of its buttons", async () => {
    const view = await nudgeOf(t, JANE);
    const id = view.items[0]!.caseId;
    const notes = new Map([[id, { text: "Snoozed.", tone: "good" as const }]]);
    const [c] = nudgeCards(view, { nonce, notes, gone: ["99999"] });
    expect(executes(c!).filter((a) => a.data.caseId === id)).toEqual([]);
    expect(cardText(c)).toContain("Snoozed.");
    expect(cardText(c)).toContain("No longer stuck: 99999.");
  });

  test("a preview: the banner, one part, Previous/Next parts", () => {
    const first = digestPreviewCard(team, { nonce, command: "digest preview", page: 1 });
    const last = digestPreviewCard(team, { nonce, command: "digest preview", page: 2 });
    for (const c of [first, last]) expect(cardProblems(c)).toEqual([]);
    expect(cardText(first)).toMatch(
      /^Preview: nothing was posted\. Names as the team's channel will see them\. Part 1 of 2\./,
    );
    expect(first.actions?.map((a) => [a.title, a.data])).toEqual([
      ["Next part", { command: "digest preview", page: 2 }],
    ]);
    expect(last.actions?.map((a) => [a.title, a.data])).toEqual([
      ["Previous part", { command: "digest preview", page: 1 }],
    ]);
    expect(cardText(last)).toContain("Front end statutory child protection");
  });
});

describe("an agency-sized team (400 cases, 12 workers) and 40 teams", () => {
  let t: TestCtx;
  beforeAll(() => {
    t = makeTestCtx({ config: bigAgencyConfig(), demo: false });
    seedBigAgency(t.ctx);
  });
  afterAll(() => t.close());

  test("every card of the team digest is within Teams' message size, and no child's name is in it", async () => {
    const team = await teamDigest(
      makeInvocation(t.ctx, t.as(BIG.supervisor), "digest", "channel"),
      "big",
      opts,
    );
    const cards = teamDigestCards(team, fakePicture());
    for (const c of cards) {
      expect(cardBytes(c)).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
      expect(cardProblems(c)).toEqual([]);
    }
    const all = JSON.stringify(cards);
    for (const name of BIG_CHILD_NAMES) expect(all).not.toContain(name);
    // A preview adds its banner and buttons to any part and still fits.
    for (const page of [1, 2, Math.floor(cards.length / 2), cards.length]) {
      const preview = digestPreviewCard(team, { nonce, command: "digest preview", page });
      expect(cardProblems(preview)).toEqual([]);
    }
    // Every stuck case is listed, once (and shown again on the dashboard pages after the lists).
    const lists = JSON.stringify(cards.filter((c) => !cardText(c).includes(": the team dashboard.")));
    for (const i of team.stuck.slice(0, 40)) expect(lists.split(`**${i.caseId}**`).length - 1).toBe(1);
    const boards = cards.filter((c) => cardText(c).includes(": the team dashboard."));
    expect(boards.length).toBeGreaterThan(1);
    for (const c of boards) expect(phoneProblems(c)).toEqual([]);
  });

  test("the agency summary's 40-team tables are cut to fit", async () => {
    const view = await agencySummary(makeInvocation(t.ctx, t.as(BIG.manager), "digest", "channel"), opts);
    const cards = agencySummaryCards(view);
    expect(cards.length).toBeGreaterThan(1);
    for (const c of cards) expect(cardProblems(c)).toEqual([]);
    expect(cardText(cards)).toContain("Locality Team 39");
    expect(JSON.stringify(cards)).not.toContain("Longname-Smith");
  });

  test("a nudge of 30+ cases comes in cards of at most 10 cases", async () => {
    const plan = await planNudges(t.ctx, "big", asOf);
    if (!("nudges" in plan)) throw new Error("no plan");
    const view = plan.nudges.find((n) => n.actor.email === BIG.worker(1))!.view;
    const cards = nudgeCards(view, { nonce });
    expect(cards).toHaveLength(Math.ceil(view.items.length / NUDGE_ITEMS_PER_CARD));
    for (const c of cards) expect(cardProblems(c)).toEqual([]);
  });
});
