import { agencySummary } from "../../digest/agency-summary.ts";
import { planNudges } from "../../digest/nudges.ts";
import { periodOf } from "../../digest/schedule.ts";
import { teamDigest } from "../../digest/team-digest.ts";
import { digestText } from "../../digest/text.ts";
import { canSeeAgency } from "../../domain/access.ts";
import { dashboardCsv } from "../../render/csv.ts";
import type { DashboardView } from "../../render/view.ts";
import { requireTeam } from "../access.ts";
import type { Command } from "../command.ts";
import { type Env, makeEnv, refuse } from "../env.ts";
import type { Reply } from "../reply.ts";
import { dashboardFor } from "../views.ts";

/** The team a supervisor means when they name none; for others, the named team, checked. */
function teamFor(env: Env, word: string | null): { teamId: string } | { reply: Reply } {
  const { actor, ctx } = env;
  if (word === null) {
    if (actor.role === "supervisor") return { teamId: actor.teams[0]! };
    if (ctx.org.teams.length === 1) return { teamId: ctx.org.teams[0]!.id };
    return { reply: refuse(env, { code: "which_team", teams: ctx.org.teams.map((t) => t.name) }) };
  }
  const found = requireTeam(env, word);
  return "reply" in found ? found : { teamId: found.team.id };
}

/**
 * What the next digest will say, as of now: a team's (as its channel will see it, names by the
 * channel rule), the agency summary, or a worker's own nudge. Nothing is posted or recorded.
 */
export function previewDigest(env: Env, cmd: Extract<Command, { kind: "digest" }>): Reply {
  const { actor, ctx } = env;
  const tz = ctx.org.agency.timeZone;
  const period = (kind: "team" | "agency") => periodOf(kind, ctx.clock.now(), tz);
  if (cmd.scope === "mine" || (cmd.scope === null && cmd.team === null && actor.role === "worker")) {
    const teamId = actor.teams[0];
    const plan = teamId === undefined ? { nudges: [] } : planNudges(ctx, teamId, env.today, env.audience);
    if ("skipped" in plan) return { ok: true, text: `No reminders go out today (${plan.skipped}).` };
    const mine = plan.nudges.find((n) => n.actor.staffId === actor.staffId);
    if (!mine)
      return { ok: true, text: "Nothing to remind you about today: none of your cases is newly stuck." };
    return { ok: true, text: digestText(mine.view), digest: mine.view };
  }
  if (
    cmd.scope === "agency" ||
    (cmd.team === null && (actor.role === "manager" || actor.role === "admin") && ctx.org.teams.length > 1)
  ) {
    if (!canSeeAgency(actor)) {
      return refuse(env, {
        code: "role_cannot",
        role: actor.role,
        action: "see the agency summary",
        who: "type `/sos digest preview` for your team's",
      });
    }
    const view = agencySummary(env, { asOf: env.today, period: period("agency"), late: false });
    return { ok: true, text: `Preview, not posted:\n\n${digestText(view)}`, digest: view };
  }
  if (actor.role === "worker") {
    return refuse(env, {
      code: "role_cannot",
      role: "worker",
      action: "preview a team digest",
      who: "type `/sos digest preview` for your own reminders",
    });
  }
  const team = teamFor(env, cmd.team);
  if ("reply" in team) return team.reply;
  const channelEnv = makeEnv(ctx, actor, env.surface, "channel");
  const view = teamDigest(channelEnv, team.teamId, { asOf: env.today, period: period("team"), late: false });
  return {
    ok: true,
    text: `Preview, not posted (names as the team's channel will see them):\n\n${digestText(view)}`,
    digest: view,
  };
}

/** A dashboard as a CSV file: a worker's own cases, or a team's. */
export function exportCsv(env: Env, cmd: Extract<Command, { kind: "export" }>): Reply {
  const { actor, ctx } = env;
  let views: DashboardView[];
  let name: string;
  if (cmd.team === null && actor.role === "worker") {
    views = dashboardFor(env, { kind: "worker", worker: actor }, "overview");
    name = actor.name;
  } else {
    if (actor.role === "worker") {
      return refuse(env, {
        code: "role_cannot",
        role: "worker",
        action: "export a team's dashboard",
        who: "type `/sos export csv` for your own cases",
      });
    }
    const team = teamFor(env, cmd.team);
    if ("reply" in team) return team.reply;
    views = dashboardFor(env, { kind: "team", teamId: team.teamId }, "overview");
    name = ctx.org.teams.find((t) => t.id === team.teamId)!.name;
  }
  const view = views[0]!;
  const rows = view.groups.reduce((n, g) => n + g.rows.length, 0);
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return {
    ok: true,
    text: `${name}: ${view.title}, ${rows} open case${rows === 1 ? "" : "s"}, as a CSV file.`,
    file: {
      filename: `${slug}-${view.dashboard}-${env.today}.csv`,
      mime: "text/csv",
      content: dashboardCsv(view),
    },
  };
}
