import { z } from "zod";
import { dashboardText } from "../../render/text.ts";
import type { DashboardView } from "../../render/view.ts";
import { requireTeam } from "../access.ts";
import { boardViews, loadBoard, teamHolders } from "../board.ts";
import { defineCommand } from "../def.ts";
import { lookupSchema, ok, phrase } from "../grammar.ts";
import { refuse } from "../invocation.ts";
import { normalWord } from "../lexicon.ts";
import { countLine, dashboardSchema } from "./dashboards.ts";

/** The team dashboard, grouped by worker as on the whiteboard. */
export const team = defineCommand({
  kind: "team",
  words: ["team"],
  usage: "/sos team [team name] [dashboard]",
  about: "your team's dashboard, grouped by worker (supervisors, managers)",
  ability: "seeTeam",
  action: "see the team dashboard",
  who: "type `/sos mine` for your own cases, and ask your supervisor about the team's",
  writes: false,
  schema: z.object({ team: lookupSchema().nullable(), dashboard: dashboardSchema }),

  read(words, ctx) {
    let dashboard = null;
    let tokens = words.args;
    const last = tokens[tokens.length - 1];
    if (last !== undefined) {
      const slug = ctx.lexicon.dashboards.get(normalWord(last.text));
      if (slug) {
        dashboard = slug;
        tokens = tokens.slice(0, -1);
      }
    }
    return ok({ team: phrase(tokens), dashboard });
  },

  async run(env, cmd) {
    const { actor, ctx } = env;
    let teamIds: string[];
    if (cmd.team !== null) {
      const found = requireTeam(env, cmd.team);
      if ("reply" in found) return found.reply;
      teamIds = [found.team.id];
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
      const board = await loadBoard(env, { teamIds: [id] });
      const n = board.cases.length;
      if (n === 0) {
        parts.push(`${t.name}: no open cases.`);
        continue;
      }
      const v = boardViews(env, board.cases, teamHolders(env, id), cmd.dashboard);
      views.push(...v);
      parts.push(`${t.name}: ${countLine(n, v, cmd.dashboard)}.`, ...v.map(dashboardText));
    }
    return { ok: true, text: parts.join("\n\n"), dashboards: views };
  },
});
