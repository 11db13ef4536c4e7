import { stuckItems } from "../../digest/stuck-items.ts";
import { stuckText } from "../../render/text.ts";
import type { StuckView } from "../../render/view.ts";
import { requireTeam } from "../access.ts";
import { loadBoard, type Scope } from "../board.ts";
import type { Command } from "../command.ts";
import { type Env, refuse } from "../env.ts";
import type { Reply } from "../reply.ts";
import { teamName } from "./open.ts";

// Moved to src/digest so the digests need not import this handler; kept exported for the commands.
export { stuckItems };

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
