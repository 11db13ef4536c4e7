import { UsageError } from "../app/boot.ts";
import type { Ctx } from "../app/context.ts";
import { surfacesFromEnv } from "../app/surfaces.ts";
import { makeInvocation } from "../commands/invocation.ts";
import { OPERATOR } from "../commands/views.ts";
import { findTeam } from "../config/org.ts";
import { agencySummary } from "../digest/agency-summary.ts";
import { ago, leaseState, processLease } from "../digest/lease.ts";
import { nudgeFacts, planNudgesWith } from "../digest/nudges.ts";
import type { DigestPoster } from "../digest/post.ts";
import { createRunner, type RunOutcome } from "../digest/runner.ts";
import { type DigestKind, periodOf } from "../digest/schedule.ts";
import { createScheduler } from "../digest/scheduler.ts";
import { teamDigest } from "../digest/team-digest.ts";
import { digestText } from "../digest/text.ts";
import { digestPictures } from "../digest/whiteboard.ts";
import { formatDate, isIsoDate, localDate, localTime, zonedInstant } from "../domain/dates.ts";
import { isolatedRenderer } from "../pictures/png-renderer.ts";
import { table } from "../render/text.ts";
import type { DigestRunRow } from "../store/schema.ts";
import { readArgs } from "./args.ts";
import { openFromEnv } from "./setup.ts";

/**
 * `--at`: with a zone (`Z`, `+01:00`) it is that instant; without one it is the agency's own wall
 * clock, not this machine's (a server in UTC running a Sydney agency).
 */
export function readAt(text: string, timeZone: string): Date {
  const local = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2}))?$/.exec(text.trim());
  if (local)
    return isIsoDate(local[1]!)
      ? zonedInstant(local[1]!, Number(local[2] ?? 12), Number(local[3] ?? 0), timeZone)
      : new Date(Number.NaN);
  return new Date(text);
}

/** `sos digest run …` and `sos digest status`. */
export async function digest(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "run") return run(rest);
  if (sub === "status") return status(rest);
  throw new UsageError(
    `sos digest needs run or status${sub ? `, not "${sub}"` : ""}. See \`sos digest --help\`.`,
  );
}

/** The scope words: a team's name or id, `agency`, or `nudges <team>`. */
function target(ctx: Ctx, words: string[]): { kind: DigestKind; scope: string; label: string } {
  if (words.length === 0) throw new UsageError("say which digest: a team's name, agency, or nudges <team>");
  const first = words[0]!.toLowerCase();
  if (first === "agency") return { kind: "agency", scope: "agency", label: "the agency summary" };
  const nudges = first === "nudges" || first === "nudge";
  const name = (nudges ? words.slice(1) : words).join(" ");
  const team = findTeam(ctx.org, name);
  if (!team) {
    throw new UsageError(
      `no team "${name}". Teams: ${ctx.org.teams.map((t) => t.name).join(", ")}; or agency, or nudges <team>`,
    );
  }
  return nudges
    ? { kind: "nudge", scope: team.id, label: `${team.name}'s nudges` }
    : { kind: "team", scope: team.id, label: `${team.name}'s digest` };
}

async function postersFromEnv(ctx: Ctx): Promise<{ posters: DigestPoster[]; warnings: string[] }> {
  const surfaces = await surfacesFromEnv(ctx, process.env);
  return { posters: surfaces.posters, warnings: surfaces.warnings };
}

function printOutcome(o: RunOutcome): void {
  for (const p of o.outcomes)
    process.stdout.write(
      `${o.kind} ${o.scope} ${o.period} · ${p.platform} · ${p.to}: ${p.status}, ${p.detail}\n`,
    );
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = readArgs(
    "digest",
    argv,
    {
      "dry-run": { type: "boolean" },
      at: { type: "string" },
      force: { type: "boolean" },
      today: { type: "string" },
    },
    true,
  );
  // A dry run reads only. A real run writes the ledger, so it opens for writing, but it never
  // migrates or syncs staff: a digest goes to the people the database already holds.
  const opened = await openFromEnv({
    open: { mode: values["dry-run"] ? "read" : "records" },
    today: values.today,
  });
  const { ctx } = opened;
  try {
    const at = values.at === undefined ? ctx.clock.now() : readAt(values.at, ctx.org.agency.timeZone);
    if (Number.isNaN(at.getTime()))
      throw new UsageError(`--at must be a date and time like 2026-11-30T08:00 (got "${values.at}")`);
    const what = target(ctx, positionals);
    const tz = ctx.org.agency.timeZone;
    if (values["dry-run"]) {
      const asOf = localDate(at, tz);
      const period = periodOf(what.kind, at, tz);
      const env = makeInvocation(ctx, OPERATOR, "digest", "channel");
      if (what.kind === "nudge") {
        const plan = await planNudgesWith(ctx, what.scope, asOf, await nudgeFacts(ctx, asOf));
        if ("skipped" in plan) process.stdout.write(`No nudges on ${asOf}: ${plan.skipped}.\n`);
        else if (plan.nudges.length === 0)
          process.stdout.write(`No nudges on ${asOf}: nobody has a newly stuck case.\n`);
        else
          for (const n of plan.nudges)
            process.stdout.write(`--- to ${n.actor.name} (not sent) ---\n${digestText(n.view)}\n\n`);
      } else {
        const view =
          what.kind === "team"
            ? await teamDigest(env, what.scope, { asOf, period, late: false })
            : await agencySummary(env, { asOf, period, late: false });
        process.stdout.write(
          `--- ${what.label} for ${period} (dry run: not posted, not recorded) ---\n${digestText(view)}\n`,
        );
      }
      return 0;
    }
    const { posters, warnings } = await postersFromEnv(ctx);
    for (const w of warnings) process.stderr.write(`sos: ${w}\n`);
    if (posters.length === 0) {
      process.stderr.write(
        "sos: no Slack or Teams is configured, so there is nowhere to post. Add --dry-run to see the digest.\n",
      );
      return 1;
    }
    const renderer = isolatedRenderer();
    const runner = createRunner({
      ctx,
      posters,
      picture: (c, id) => digestPictures(c, id, renderer),
      log: (l) => process.stderr.write(`${l}\n`),
    });
    const outcome = await runner
      .run({ kind: what.kind, scope: what.scope, at, force: values.force === true })
      .finally(() => renderer.close());
    printOutcome(outcome);
    return outcome.outcomes.some((o) => o.status === "failed") ? 1 : 0;
  } finally {
    await opened.close();
  }
}

async function status(argv: string[]): Promise<number> {
  const { values } = readArgs("digest", argv, { limit: { type: "string" }, today: { type: "string" } });
  const limit = Number(values.limit ?? 30);
  const opened = await openFromEnv({ open: { mode: "read" }, today: values.today });
  const { ctx } = opened;
  const tz = ctx.org.agency.timeZone;
  // Times as the agency reads them: its schedules are in its own zone.
  const local = (d: Date) => `${formatDate(localDate(d, tz), ctx.org.dates.format)} ${localTime(d, tz)}`;
  try {
    const runs = await ctx.ledger.recent(limit);
    const team = (id: string) => ctx.org.teams.find((t) => t.id === id)?.name ?? id;
    const person = (id: string) => ctx.people.byId(Number(id))?.name ?? `staff #${id}`;
    const lease = processLease();
    // A posting run is either being posted by a live process, or its process stopped: say which.
    const state = (r: DigestRunRow): string => {
      if (r.status !== "posting")
        return `${r.status}${r.late ? " (late)" : ""}${r.forced ? " (forced)" : ""}`;
      const s = leaseState(lease, r);
      if (s === "live")
        return `posting: still posting in another process (started ${ago(lease, r.ownedSince)} ago)`;
      if (s === "stopped") return "posting: stopped while posting, will resume";
      return "posting: not known to have finished (from before parts were recorded)";
    };
    // Each run's parts read together: the ledger answers them side by side.
    const sentParts = await Promise.all(
      runs.map(async (r) =>
        r.partsTotal === null
          ? null
          : new Set((await ctx.ledger.parts(r.id)).filter((p) => p.status === "sent").map((p) => p.part)),
      ),
    );
    const parts = (i: number): string => {
      const sent = sentParts[i];
      return sent === null || sent === undefined ? "" : `${sent.size}/${runs[i]!.partsTotal}`;
    };
    const rows = runs.map((r, i) => [
      local(new Date(r.startedAt)),
      r.kind,
      r.kind === "nudge" && r.platform !== "all"
        ? person(r.scope)
        : r.kind === "agency"
          ? "agency"
          : team(r.scope),
      r.period,
      r.platform,
      state(r),
      parts(i),
      String(r.attempts),
      r.error ?? "",
    ]);
    const failed = runs.filter((r) => r.status === "failed").length;
    const stopped = runs.filter((r) => r.status === "posting" && leaseState(lease, r) === "stopped").length;
    const unconfirmed = runs.filter((r) => r.status === "unconfirmed").length;
    process.stdout.write(
      `${runs.length === 0 ? "No digests have run yet." : table([`started (${tz})`, "kind", "for", "period", "platform", "status", "parts", "sends", "error"], rows)}\n`,
    );
    if (failed)
      process.stdout.write(
        `\n${failed} failed: each is tried again, from its first part not posted, at start-up and every 15 minutes while the app runs; \`sos digest run\` tries now.\n`,
      );
    if (stopped)
      process.stdout.write(
        `\n${stopped} stopped while posting (the process ended): each resumes from its first part not posted at the next start-up, in the running app's 15-minute sweep, or with \`sos digest run\`.\n`,
      );
    if (unconfirmed)
      process.stdout.write(
        `\n${unconfirmed} stopped because the first message went out twice with neither confirmed: not sent again; \`sos digest run … --force\` posts it anew.\n`,
      );
    const upcoming = createScheduler(ctx, createRunner({ ctx, posters: [] }), { timers: false }).upcoming();
    process.stdout.write(`\nNext scheduled (${tz}):\n`);
    for (const u of upcoming) {
      const label =
        u.spec.kind === "agency"
          ? "agency summary"
          : `${team(u.spec.scope)} ${u.spec.kind === "team" ? "digest" : "nudges"}`;
      process.stdout.write(
        `  ${label.padEnd(28)} ${u.spec.cron.padEnd(14)} ${u.next ? local(u.next) : "-"}\n`,
      );
    }
    return 0;
  } finally {
    await opened.close();
  }
}
