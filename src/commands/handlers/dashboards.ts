import { dashboardText } from "../../render/text.ts";
import type { DashboardView } from "../../render/view.ts";
import { requireTeam } from "../access.ts";
import { boardViews, loadBoard, teamHolders } from "../board.ts";
import type { Command } from "../command.ts";
import { type Env, refuse } from "../env.ts";
import type { Reply } from "../reply.ts";

/** "6 open cases", or with one dashboard asked for, how many of them it shows: "2 of 6 open cases". */
function countLine(n: number, views: readonly DashboardView[], only: string | null): string {
  const shown = views.reduce((k, d) => k + d.groups.reduce((m, g) => m + g.rows.length, 0), 0);
  if (only === null || only === "overview" || shown === n) return `${n} open case${n === 1 ? "" : "s"}`;
  return `${shown} of ${n} open cases on this dashboard`;
}

function dashboardsReply(intro: string, views: readonly DashboardView[]): Reply {
  return { ok: true, text: [intro, ...views.map(dashboardText)].join("\n\n"), dashboards: views };
}

/** "My cases": the person's own open cases as the seed's tables. */
export function mine(env: Env, cmd: Extract<Command, { kind: "mine" }>): Reply {
  const { actor } = env;
  const board = loadBoard(env, { workerId: actor.staffId });
  if (board.cases.length === 0) {
    const more =
      actor.role === "supervisor"
        ? " Type `/sos team` for your team's cases."
        : actor.role === "worker"
          ? ""
          : " Type `/sos agency` for the agency picture.";
    return { ok: true, text: `You have no open cases allocated to you.${more}`, dashboards: [] };
  }
  const views = boardViews(env, board.cases, [{ staffId: actor.staffId, name: actor.name }], cmd.dashboard);
  return dashboardsReply(`${actor.name}: ${countLine(board.cases.length, views, cmd.dashboard)}.`, views);
}

/** The team dashboard, grouped by worker as on the whiteboard. */
export function team(env: Env, cmd: Extract<Command, { kind: "team" }>): Reply {
  const { actor, ctx } = env;
  if (actor.role === "worker") {
    return refuse(env, {
      code: "role_cannot",
      role: "worker",
      action: "see the team dashboard",
      who: "type `/sos mine` for your own cases, and ask your supervisor about the team's",
    });
  }
  let teamIds: string[];
  if (cmd.team !== null) {
    const found = requireTeam(env, cmd.team);
    if ("reply" in found) return found.reply;
    const t = found.team;
    teamIds = [t.id];
  } else if (actor.role === "supervisor") {
    teamIds = [...actor.teams];
  } else if (ctx.org.teams.length === 1) {
    teamIds = [ctx.org.teams[0]!.id];
  } else {
    return refuse(env, { code: "which_team", teams: ctx.org.teams.map((t) => t.name) });
  }

  const parts: string[] = [];
  const views: DashboardView[] = [];
  for (const id of teamIds) {
    const t = ctx.org.teams.find((x) => x.id === id)!;
    const board = loadBoard(env, { teamIds: [id] });
    const holders = teamHolders(env, id);
    const n = board.cases.length;
    if (n === 0) {
      parts.push(`${t.name}: no open cases.`);
      continue;
    }
    const v = boardViews(env, board.cases, holders, cmd.dashboard);
    views.push(...v);
    parts.push(`${t.name}: ${countLine(n, v, cmd.dashboard)}.`, ...v.map(dashboardText));
  }
  return { ok: true, text: parts.join("\n\n"), dashboards: views };
}
