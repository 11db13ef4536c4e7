import { z } from "zod";
import { stuckItems } from "../../digest/stuck-items.ts";
import { stuckText } from "../../render/text.ts";
import type { StuckItem, StuckView } from "../../render/view.ts";
import { requireTeam, teamName } from "../access.ts";
import { loadBoard, type Scope, stuckRules } from "../board.ts";
import { defineCommand } from "../def.ts";
import { lookupSchema, ok, phrase } from "../grammar.ts";
import { refuse } from "../invocation.ts";

/** The most stuck cases one chat reply lists. */
export const STUCK_REPLY_LIMIT = 50;

export const stuck = defineCommand({
  kind: "stuck",
  words: ["stuck"],
  usage: "/sos stuck [team name]",
  about: "cases that are stuck, and why",
  ability: "anyone",
  action: "see stuck cases",
  who: "",
  writes: false,
  schema: z.object({ team: lookupSchema().nullable() }),

  read(words) {
    return ok({ team: phrase(words.args) });
  },

  async run(env, cmd) {
    const { actor, ctx } = env;
    let scope: Scope;
    let title: string;
    if (cmd.team !== null) {
      const found = requireTeam(env, cmd.team, (t) =>
        actor.role === "worker"
          ? refuse(env, {
              code: "role_cannot",
              role: "worker",
              action: "see a team's stuck cases",
              who: "type `/sos stuck` for your own",
            })
          : refuse(env, { code: "no_team_access", team: t.name }),
      );
      if ("reply" in found) return found.reply;
      scope = { teamIds: [found.team.id] };
      title = `Stuck cases in ${found.team.name}`;
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
    // An agency's list can run to thousands: a chat reply carries the longest stuck, and says where
    // the rest are (a team's own list, or the CLI for everything). Agency-wide, the longest stuck and
    // the count come from the "stuck since" the store keeps, not from checking every case.
    let items: StuckItem[];
    let count: number;
    if ("all" in scope) {
      const rules = stuckRules(ctx.org);
      items = stuckItems(env, { cases: await env.reads.longestStuck(rules, env.today, STUCK_REPLY_LIMIT) });
      count = 0;
      for (const t of (await env.reads.stuckCounts(rules, env.today, env.today)).values()) count += t.stuck;
    } else {
      items = stuckItems(env, await loadBoard(env, scope));
      count = items.length;
    }
    const shown = items.slice(0, STUCK_REPLY_LIMIT);
    const view: StuckView = {
      title,
      items: shown,
      ...(count > shown.length
        ? {
            more: {
              count: count - shown.length,
              hint: "Type `/sos stuck <team name>` for one team's; `sos stuck` at the server lists them all.",
            },
          }
        : {}),
    };
    return { ok: true, text: stuckText(view), stuck: view };
  },
});
