/**
 * One scale of the growth table (bench/scale.ts), in a process of its own so its peak RSS is this
 * scale's alone: the agency overview and every team digest + the agency summary, as bench/run.ts
 * measures them at 1×, on the database `generate.ts` wrote at that scale. Prints one JSON line.
 */
import { STUCK_BATCH } from "../src/app/stuck-writer.ts";
import { stuckRules } from "../src/commands/board.ts";
import { dayClock } from "../src/commands/clock.ts";
import { makeInvocation } from "../src/commands/invocation.ts";
import { dashboardFor, OPERATOR, viewEnv } from "../src/commands/views.ts";
import { agencySummary } from "../src/digest/agency-summary.ts";
import { teamDigest } from "../src/digest/team-digest.ts";
import { digestText } from "../src/digest/text.ts";
import { addDays, isoWeek } from "../src/domain/dates.ts";
import { openStore } from "../src/store/open.ts";
import { percentile } from "./stats.ts";
import { SHAPE, scaled, syntheticContext, TODAY } from "./synthetic.ts";

const [dbPath, k] = process.argv.slice(2);
if (!dbPath || !k) throw new Error("usage: scale-run.ts <db path> <scale>");
const store = openStore(dbPath);
try {
  const ctx = syntheticContext(store, dayClock(TODAY, "Europe/London"), scaled(SHAPE, Number(k)));
  const env = viewEnv(ctx, OPERATOR, "cli", "private");
  // "Stuck since" kept current, as the server's writer keeps it (bench/stuck-writer.ts measures it).
  const rules = stuckRules(ctx.org);
  while ((await ctx.records.refreshStuck(rules, STUCK_BATCH)) > 0);
  const times = async (n: number, fn: () => unknown) => {
    const t: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await fn();
      t.push(performance.now() - t0);
    }
    return t.sort((a, b) => a - b);
  };
  let cases = 0;
  const overview = await times(5, async () => {
    cases = (await dashboardFor(env, { kind: "agency" }, "overview"))[0]!.groups.reduce(
      (n, g) => n + g.rows.length,
      0,
    );
  });
  const digestEnv = makeInvocation(ctx, OPERATOR, "digest", "channel");
  // A week with practice in it, as bench/run.ts does: the full digests, not a quiet week's line.
  const asOf = addDays(TODAY, -31);
  const period = isoWeek(asOf);
  const teamIds = ctx.org.teams.map((t) => t.id);
  const digests = await times(3, async () => {
    for (const id of teamIds) digestText(await teamDigest(digestEnv, id, { asOf, period, late: false }));
    digestText(await agencySummary(digestEnv, { asOf, period, late: false }));
  });
  process.stdout.write(
    `${JSON.stringify({
      cases,
      teams: teamIds.length,
      overviewP50: percentile(overview, 50),
      digestsP50: percentile(digests, 50),
      rssMb: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
} finally {
  store.close();
}
