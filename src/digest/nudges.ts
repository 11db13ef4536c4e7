import { loadBoard } from "../commands/board.ts";
import type { Ctx } from "../commands/ctx.ts";
import { type Audience, type Invocation, makeInvocation } from "../commands/invocation.ts";
import { teamMembers } from "../config/org.ts";
import { type Actor, canSeeCase } from "../domain/access.ts";
import { type IsoDate, isoWeek, weekday } from "../domain/dates.ts";
import type { StuckItem } from "../render/view.ts";
import type { CaseRow } from "../store/schema.ts";
import { stuckItems } from "./stuck-items.ts";
import type { NudgeView } from "./views.ts";

export const SNOOZE_DAYS = 7;

/** A nudge ready to send: to whom, what it says, and which (case, rule) pairs it uses up this week. */
export interface PlannedNudge {
  readonly actor: Actor;
  readonly view: NudgeView;
  readonly pairs: readonly { readonly caseId: string; readonly rule: string }[];
}

export type NudgePlan =
  | { readonly skipped: string }
  | { readonly nudges: readonly PlannedNudge[]; readonly away: readonly string[] };

/** What a day's nudges are planned against, read from the ledger before planning. */
export interface NudgeFacts {
  /** (case, rule) pairs already nudged about this ISO week, as `"<case> <rule>"` */
  readonly already: ReadonlySet<string>;
  /** cases snoozed on the day */
  readonly snoozed: ReadonlySet<string>;
  /** staff with leave recorded (`/sos away`) on the day */
  readonly away: ReadonlySet<number>;
}

/** The facts a day's nudges need, from whichever database holds the ledger: three reads, each one query. */
export async function nudgeFacts(ctx: Ctx, day: IsoDate): Promise<NudgeFacts> {
  const [already, snoozed, away] = await Promise.all([
    ctx.ledger.nudged(isoWeek(day)),
    ctx.records.reads.snoozedOn(day),
    ctx.ledger.awayOn(day),
  ]);
  return { already, snoozed, away };
}

/** Whether a person is on leave on a day: config `away`, or `/sos away`. */
function isAway(ctx: Ctx, actor: Actor, day: IsoDate, facts: NudgeFacts): boolean {
  const staff = ctx.org.staff.find((s) => s.email === actor.email);
  if (staff?.away.some((a) => a.from <= day && day <= a.to)) return true;
  return facts.away.has(actor.staffId);
}

/**
 * Today's nudges read synchronously from the SQLite file, for the callers that still read the board
 * that way (the `/sos digest` preview, a reader thread): `planNudgesWith` over its ledger.
 */
/** Today's nudges for a team, with the week's nudges, snoozes and leave read from the ledger. */
export async function planNudges(
  ctx: Ctx,
  teamId: string,
  day: IsoDate,
  audience: Audience = "private",
): Promise<NudgePlan> {
  return planNudgesWith(ctx, teamId, day, await nudgeFacts(ctx, day), audience);
}

/**
 * Today's nudges for a team's caseholders: each person's own stuck cases, except snoozed cases and
 * any (case, rule) they were already nudged about this week. No nudges at weekends, on the config's
 * holidays, or to someone on leave. A person with nothing new gets no message.
 */
export async function planNudgesWith(
  ctx: Ctx,
  teamId: string,
  day: IsoDate,
  facts: NudgeFacts,
  audience: Audience = "private",
): Promise<NudgePlan> {
  const dow = weekday(day);
  if (dow === 0 || dow === 6) return { skipped: "weekend" };
  if (ctx.org.holidays.includes(day)) return { skipped: "public holiday" };
  const { already, snoozed } = facts;
  const nudges: PlannedNudge[] = [];
  const away: string[] = [];
  for (const member of teamMembers(ctx.org, teamId)) {
    if (member.role !== "worker" && member.role !== "supervisor") continue;
    const actor = ctx.people.byEmail(member.email);
    if (!actor) continue;
    // A DM to the person about their own cases: full names, as in any private reply (a preview
    // asked for in a channel names children as that channel may see them).
    // Stuck days count from the nudges' day (a run `--at` an earlier day, a catch-up), not today.
    const env: Invocation = { ...makeInvocation(ctx, actor, "digest", audience), today: day };
    const board = await loadBoard(env, { workerId: actor.staffId });
    if (board.cases.length === 0) continue;
    if (isAway(ctx, actor, day, facts)) {
      away.push(actor.name);
      continue;
    }
    const items = stuckItems(env, { cases: board.cases.filter((c) => !snoozed.has(c.id)) })
      .map((i) => ({ ...i, findings: i.findings.filter((f) => !already.has(`${i.caseId} ${f.rule}`)) }))
      .filter((i) => i.findings.length > 0);
    if (items.length === 0) continue;
    nudges.push({
      actor,
      view: nudgeView(actor, items),
      pairs: items.flatMap((i) => i.findings.map((f) => ({ caseId: i.caseId, rule: f.rule }))),
    });
  }
  return { nudges, away };
}

function nudgeView(actor: Actor, items: readonly StuckItem[]): NudgeView {
  return {
    kind: "nudge",
    staffId: actor.staffId,
    worker: actor.name,
    title: `${items.length} of your cases ${items.length === 1 ? "is" : "are"} stuck`,
    items,
    snoozeDays: SNOOZE_DAYS,
  };
}

/**
 * A nudge over some cases as they stand now, in the order given: for drawing a nudge again after
 * one of its buttons. Cases that are no longer stuck, open, or the person's to see drop out.
 */
export async function nudgeFor(env: Invocation, caseIds: readonly string[]): Promise<NudgeView> {
  const cases = (await Promise.all(caseIds.map((id) => env.reads.case(id)))).filter(
    (c): c is CaseRow => c !== undefined && c.status === "open" && canSeeCase(env.actor, c),
  );
  const order = new Map(caseIds.map((id, i) => [id, i]));
  const items = stuckItems(env, { cases }).sort((a, b) => order.get(a.caseId)! - order.get(b.caseId)!);
  return nudgeView(env.actor, items);
}
