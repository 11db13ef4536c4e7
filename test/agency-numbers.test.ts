import { afterAll, beforeAll, expect, test } from "vitest";
import type { Ctx } from "../src/app/context.ts";
import { readContext } from "../src/app/context.ts";
import { stuckRules } from "../src/commands/board.ts";
import { dayClock } from "../src/commands/clock.ts";
import { coverageCells } from "../src/commands/defs/agency.ts";
import { STUCK_REPLY_LIMIT } from "../src/commands/defs/stuck.ts";
import { makeInvocation } from "../src/commands/invocation.ts";
import { runCommand } from "../src/commands/run.ts";
import { parseOrg } from "../src/config/load.ts";
import { stuckItems } from "../src/digest/stuck-items.ts";
import type { Actor } from "../src/domain/access.ts";
import { BIG, bigAgencyConfig, seedBigAgency } from "./helpers/big-agency.ts";
import { makeTestCtx, type TestCtx } from "./helpers/ctx.ts";

/**
 * The agency-wide numbers a manager sees (`/sos agency`, `/sos stuck`) come from what the store
 * keeps as cases change (coverage counts, "stuck since"); they must be exactly what checking every
 * case says, whatever the writer has caught up with, on any day, under any config.
 */

let t: TestCtx;
beforeAll(() => {
  t = makeTestCtx({ config: bigAgencyConfig(), demo: false });
  seedBigAgency(t.ctx);
});
afterAll(() => t.close());

const manager = () => t.as(BIG.manager);

/** `/sos agency` as every case says it should read: the tallies added up case by case. */
function agencyByHand(ctx: Ctx): { label: string; openCases: number; cells: string[] }[] {
  const env = makeInvocation(ctx, manager(), "cli", "private");
  const open = ctx.repo.cases.open({});
  return [
    ...ctx.org.teams.map((team) => {
      const cases = open.filter((c) => c.teamId === team.id);
      return { label: team.name, openCases: cases.length, cells: coverageCells(env, cases) };
    }),
    { label: "Whole agency", openCases: open.length, cells: coverageCells(env, open) },
  ];
}

async function agencyReply(ctx: Ctx, actor: Actor) {
  const r = await runCommand(ctx, { actor, text: "agency", surface: "cli", audience: "private" });
  return [...r.coverage!.rows, r.coverage!.total];
}

/** `/sos stuck` agency-wide as every case says: the longest stuck 50 and how many more. */
function stuckByHand(ctx: Ctx) {
  const env = makeInvocation(ctx, manager(), "cli", "private");
  const items = stuckItems(env, { cases: ctx.repo.cases.open({}) });
  return { items: items.slice(0, STUCK_REPLY_LIMIT), more: items.length - STUCK_REPLY_LIMIT };
}

async function stuckReply(ctx: Ctx, actor: Actor) {
  const r = await runCommand(ctx, { actor, text: "stuck", surface: "cli", audience: "private" });
  return { items: r.stuck!.items, more: r.stuck!.more?.count ?? 0 };
}

test("agency coverage from the kept counts equals the cases added up one by one, after moves and closes", async () => {
  for (const [who, text] of [
    [BIG.supervisor, "move NA100003 voluntary"],
    [BIG.supervisor, "close NA100004 safe-at-home"],
    ["admin@county.example", "assign NA100005 o1@county.example"],
    [BIG.worker(1), "child-plan NA100000"],
  ] as const)
    expect([text, (await t.run(who, text)).ok]).toEqual([text, true]);
  expect(await agencyReply(t.ctx, manager())).toEqual(agencyByHand(t.ctx));
});

test("on a day before some entries (a demo's calendar), coverage counts only what had happened by then", async () => {
  const earlier = readContext(t.ctx.org, t.ctx.store, dayClock("2016-01-15", t.ctx.org.agency.timeZone));
  const byHand = agencyByHand(earlier);
  expect(await agencyReply(earlier, manager())).toEqual(byHand);
  // Not the same as today's: the entries of late January and February do not count yet.
  expect(byHand).not.toEqual(agencyByHand(t.ctx));
});

test("the agency's stuck list is exact before the writer has worked out stuck since, and after", async () => {
  const rules = stuckRules(t.ctx.org);
  expect(t.ctx.repo.stuck.generation(rules)).toBeNull();
  const byHand = stuckByHand(t.ctx);
  expect(byHand.more).toBeGreaterThan(0);
  expect(await stuckReply(t.ctx, manager())).toEqual(byHand);
  while (t.ctx.repo.stuck.refresh(rules, 100) > 0);
  expect(await stuckReply(t.ctx, manager())).toEqual(byHand);
  // A change after that is due again at once, and still counted right.
  await t.run(BIG.worker(1), "mapped-with-family NA100012");
  expect(await stuckReply(t.ctx, manager())).toEqual(stuckByHand(t.ctx));
});

test("a config with other thresholds is never answered from stuck since worked out under the old one", async () => {
  const rules = stuckRules(t.ctx.org);
  while (t.ctx.repo.stuck.refresh(rules, 1000) > 0);
  const stricter = parseOrg(
    `${bigAgencyConfig()}\nstuck: { no-family-mapping: 3, no-activity: 5, no-recent-scale: off }\n`,
    "stricter.config.yaml",
  );
  const other = readContext(stricter, t.ctx.store, t.ctx.clock);
  expect(other.repo.stuck.generation(stuckRules(stricter))).toBeNull();
  const byHand = stuckByHand(other);
  expect(byHand).not.toEqual(stuckByHand(t.ctx));
  expect(await stuckReply(other, other.people.byEmail(BIG.manager)!)).toEqual(byHand);
  // The writer under the new config moves the generation on; the old values are not read again.
  while (other.repo.stuck.refresh(stuckRules(stricter), 1000) > 0);
  expect(t.ctx.repo.stuck.generation(rules)).toBeNull();
  expect(await stuckReply(other, other.people.byEmail(BIG.manager)!)).toEqual(byHand);
  expect(await stuckReply(t.ctx, manager())).toEqual(stuckByHand(t.ctx));
});
