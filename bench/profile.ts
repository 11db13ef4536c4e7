/**
 * The agency overview and the Monday digests alone, for a profiler: `node --import tsx --cpu-prof
 * bench/profile.ts <db> [overview|digests|teams|summary|both] [scale]` over a database `generate.ts` wrote (the
 * `--cpu-prof` file of the main thread is the biggest of those written). Prints each run's ms, fastest
 * first: a hint only; `npm run bench` holds the figures.
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
import { SHAPE, scaled, syntheticContext, TODAY } from "./synthetic.ts";

const [dbPath, what = "both", k = "1"] = process.argv.slice(2);
if (!dbPath || !["overview", "digests", "teams", "summary", "both"].includes(what))
  throw new Error("usage: profile.ts <db path> [overview|digests|teams|summary|both] [scale]");
const store = openStore(dbPath);
try {
  const ctx = syntheticContext(store, dayClock(TODAY, "Europe/London"), scaled(SHAPE, Number(k)));
  const env = viewEnv(ctx, OPERATOR, "cli", "private");
  // "Stuck since" kept current, as the server's writer keeps it.
  const rules = stuckRules(ctx.org);
  while ((await ctx.records.refreshStuck(rules, STUCK_BATCH)) > 0);
  const digestEnv = makeInvocation(ctx, OPERATOR, "digest", "channel");
  // The week bench/run.ts measures: one with practice in it.
  const asOf = addDays(TODAY, -31);
  const opts = { asOf, period: isoWeek(asOf), late: false };
  const teamIds = ctx.org.teams.map((t) => t.id);
  const runs = async (label: string, n: number, fn: () => Promise<unknown>) => {
    const t: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await fn();
      t.push(performance.now() - t0);
    }
    console.log(
      label,
      t
        .sort((a, b) => a - b)
        .map((x) => x.toFixed(0))
        .join(" "),
    );
  };
  if (what === "overview" || what === "both")
    await runs("overview", 8, () => dashboardFor(env, { kind: "agency" }, "overview"));
  // "teams" and "summary": one half of the digest run alone, for a profile of just that half.
  if (what !== "overview" && what !== "summary")
    await runs("team digests", 5, async () => {
      for (const id of teamIds) digestText(await teamDigest(digestEnv, id, opts));
    });
  if (what !== "overview" && what !== "teams")
    await runs("agency summary", 5, async () => digestText(await agencySummary(digestEnv, opts)));
} finally {
  store.close();
}
