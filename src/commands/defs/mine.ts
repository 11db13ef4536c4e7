import { z } from "zod";
import { boardViews, loadBoard } from "../board.ts";
import { defineCommand } from "../def.ts";
import { fail, noExtra, ok } from "../grammar.ts";
import { countLine, dashboardSchema, dashboardsReply, readDashboard } from "./dashboards.ts";

const USAGE = "/sos mine [dashboard]";

/** "My cases": the person's own open cases as the seed's tables. */
export const mine = defineCommand({
  kind: "mine",
  words: ["mine", "my", "my-cases", "me"],
  usage: USAGE,
  about: "your open cases, as the dashboard",
  ability: "holdCases",
  action: "see cases of your own",
  who: "only workers and supervisors hold cases",
  writes: false,
  schema: z.object({ dashboard: dashboardSchema }),

  read(words, ctx) {
    const first = words.args[0];
    if (!first) return ok({ dashboard: null });
    const d = readDashboard(first.text, ctx);
    if ("issue" in d) return fail(d.issue);
    const extra = noExtra(words, 1, "mine", USAGE);
    return extra ? fail(extra) : ok({ dashboard: d.dashboard });
  },

  async run(env, cmd) {
    const { actor } = env;
    const board = await loadBoard(env, { workerId: actor.staffId });
    if (board.cases.length === 0) {
      const more = actor.role === "supervisor" ? " Type `/sos team` for your team's cases." : "";
      return { ok: true, text: `You have no open cases allocated to you.${more}`, dashboards: [] };
    }
    const views = boardViews(env, board.cases, [{ staffId: actor.staffId, name: actor.name }], cmd.dashboard);
    return dashboardsReply(`${actor.name}: ${countLine(board.cases.length, views, cmd.dashboard)}.`, views);
  },
});
