import { z } from "zod";
import { dashboardCsv } from "../../render/csv.ts";
import type { DashboardView } from "../../render/view.ts";
import { teamFor } from "../access.ts";
import { defineCommand } from "../def.ts";
import { lookupSchema, ok } from "../grammar.ts";
import { refuse } from "../invocation.ts";
import { dashboardFor } from "../views.ts";

/** A dashboard as a CSV file: a worker's own cases, or a team's. */
export const exportCsv = defineCommand({
  kind: "export",
  words: ["export"],
  usage: "/sos export [team name] csv",
  about: "a dashboard as a CSV file",
  ability: "anyone",
  action: "export dashboards",
  who: "",
  writes: false,
  schema: z.object({ team: lookupSchema().nullable() }),

  read(words) {
    const typed = words.args.map((t) => t.text).filter((w) => !/^csv$/i.test(w));
    return ok({ team: typed.length ? typed.join(" ") : null });
  },

  async run(env, cmd) {
    const { actor, ctx } = env;
    let views: DashboardView[];
    let name: string;
    if (cmd.team === null && actor.role === "worker") {
      views = await dashboardFor(env, { kind: "worker", worker: actor }, "overview");
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
      views = await dashboardFor(env, { kind: "team", teamId: team.teamId }, "overview");
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
  },
});
