import { nameCell } from "../../domain/names.ts";
import { stuckText } from "../../render/text.ts";
import type { StuckItem, StuckView } from "../../render/view.ts";
import { requireTeam } from "../access.ts";
import { type Board, loadBoard, type Scope, stuckFor } from "../board.ts";
import type { Command } from "../command.ts";
import { type Env, refuse } from "../env.ts";
import type { Reply } from "../reply.ts";
import { teamName } from "./open.ts";

/** Stuck cases on a board, longest stuck first, each finding with its rule and days. */
export function stuckItems(env: Env, board: Board): StuckItem[] {
  const { org, people } = env.ctx;
  const items: (StuckItem & { worst: number })[] = [];
  for (const c of board.cases) {
    const findings = stuckFor(org, c, env.today);
    if (findings.length === 0) continue;
    items.push({
      caseId: c.id,
      child: nameCell(c, env.today, env.names),
      worker: people.nameOf(c.workerId),
      team: teamName(env, c.teamId),
      dashboard: org.dashboards[c.service].title,
      findings: findings.map((f) => ({
        rule: f.rule,
        reason: f.reason,
        since: env.fmt(f.since),
        sinceOn: f.since,
        days: f.days,
      })),
      worst: Math.max(...findings.map((f) => f.days)),
    });
  }
  items.sort((a, b) => b.worst - a.worst || a.caseId.localeCompare(b.caseId));
  return items.map(({ worst: _, ...item }) => item);
}

/** The most stuck cases one chat reply lists. */
export const STUCK_REPLY_LIMIT = 50;

export function stuck(env: Env, cmd: Extract<Command, { kind: "stuck" }>): Reply {
  const { actor, ctx } = env;
  let scope: Scope;
  let title: string;
  if (cmd.team !== null) {
    const found = requireTeam(env, cmd.team, (team) =>
      actor.role === "worker"
        ? refuse(env, {
            code: "role_cannot",
            role: "worker",
            action: "see a team's stuck cases",
            who: "type `/sos stuck` for your own",
          })
        : refuse(env, { code: "no_team_access", team: team.name }),
    );
    if ("reply" in found) return found.reply;
    const t = found.team;
    scope = { teamIds: [t.id] };
    title = `Stuck cases in ${t.name}`;
  } else if (actor.role === "worker") {
    scope = { workerId: actor.staffId };
    title = "Your stuck cases";
  } else if (actor.role === "supervisor") {
    scope = { teamIds: actor.teams };
    title = `Stuck cases in ${actor.teams.map((t) => teamName(env, t)).join(" and ")}`;
  } else {
    scope = { all: true };
    title = `Stuck cases in ${ctx.org.agency.name}`;
  }
  const items = stuckItems(env, loadBoard(env, scope));
  // An agency's list can run to thousands: a chat reply carries the longest stuck, and says where
  // the rest are (a team's own list, or the CLI for everything).
  const shown = items.slice(0, STUCK_REPLY_LIMIT);
  const view: StuckView = {
    title,
    items: shown,
    ...(items.length > shown.length
      ? {
          more: {
            count: items.length - shown.length,
            hint: "Type `/sos stuck <team name>` for one team's; `sos stuck` at the server lists them all.",
          },
        }
      : {}),
  };
  return { ok: true, text: stuckText(view), stuck: view };
}
