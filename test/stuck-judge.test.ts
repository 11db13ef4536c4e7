import { afterEach, beforeEach, expect, test } from "vitest";
import { stuckRules } from "../src/commands/board.ts";
import { makeInvocation } from "../src/commands/invocation.ts";
import { dashboardFor, OPERATOR, stuckFor, viewEnv } from "../src/commands/views.ts";
import { teamDigest } from "../src/digest/team-digest.ts";
import { digestText } from "../src/digest/text.ts";
import { addDays } from "../src/domain/dates.ts";
import { JANE } from "./helpers/ctx.ts";
import { describeEachStore, makeStoreCtx, type StoreTestCtx } from "./helpers/stores.ts";

/**
 * Boards, stuck lists and team digests take a case whose kept "stuck since" is current and later
 * than their day (or none) as not stuck without checking its rules, and check every other case
 * (due, or stuck): so what they show is the same whether the stuck-since writer has caught up or not.
 */
describeEachStore("stuck marks from the kept stuck since", (kind) => {
  let t: StoreTestCtx;
  beforeEach(async () => {
    t = await makeStoreCtx(kind);
  });
  afterEach(async () => {
    await t.close();
  });

  const team = () => t.ctx.org.teams[0]!.id;
  /** Everything a view shows of stuck cases: the overview, a team's stuck list, its digest for two weeks. */
  async function views() {
    const env = viewEnv(t.ctx, OPERATOR, "cli", "private");
    const digestEnv = makeInvocation(t.ctx, OPERATOR, "digest", "channel");
    const digests = [];
    for (const asOf of [t.ctx.today(), addDays(t.ctx.today(), -60)]) {
      const v = await teamDigest(digestEnv, team(), { asOf, period: "p", late: false });
      digests.push(v, digestText(v));
    }
    return {
      overview: await dashboardFor(env, { kind: "agency" }, "overview"),
      boards: await dashboardFor(env, { kind: "team", teamId: team() }, null),
      stuck: await stuckFor(env, { kind: "team", teamId: team() }, "Stuck"),
      digests,
    };
  }
  async function catchUp() {
    while ((await t.ctx.records.refreshStuck(stuckRules(t.ctx.org), 100)) > 0);
  }
  const stuckRows = (v: Awaited<ReturnType<typeof views>>) =>
    v.overview.flatMap((d) => d.groups.flatMap((g) => g.rows.filter((r) => r.stuck).map((r) => r.caseId)));

  test("every case due and every case current show the same, and a write between them is shown at once", async () => {
    const due = await views();
    expect(stuckRows(due).length).toBeGreaterThan(0);
    // Some case is not stuck on the earlier day: the digest for it has fewer stuck cases.
    expect(due.digests[2]).not.toEqual(due.digests[0]);
    await catchUp();
    const current = await views();
    expect(current).toEqual(due);
    // A scale on 12346 moves its first stuck day: its value is due again, and read from its rules.
    expect((await t.run(JANE, "scale 12346 6")).ok).toBe(true);
    const afterWrite = await views();
    await t.rows("UPDATE cases SET stuck_for = NULL");
    expect(afterWrite).toEqual(await views());
    expect(afterWrite).not.toEqual(due);
  });

  test("a current value later than the day is taken as not stuck; the same case due is checked", async () => {
    await catchUp();
    const before = await views();
    const stuckCase = stuckRows(before)[0]!;
    // A value no rule would give (stuck from 2999): taken as it is while current...
    await t.rows("UPDATE cases SET stuck_since = '2999-01-01' WHERE id = $1", [stuckCase]);
    expect(stuckRows(await views())).not.toContain(stuckCase);
    // ...and not once it is due (another generation's), when the case's rules are checked.
    await t.rows("UPDATE cases SET stuck_for = stuck_for + 1 WHERE id = $1", [stuckCase]);
    expect(await views()).toEqual(before);
  });
});
