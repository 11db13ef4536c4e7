import { z } from "zod";
import { agencySummary } from "../../digest/agency-summary.ts";
import { planNudges } from "../../digest/nudges.ts";
import { periodOf } from "../../digest/schedule.ts";
import { teamDigest } from "../../digest/team-digest.ts";
import { digestText } from "../../digest/text.ts";
import { canSeeAgency } from "../../domain/access.ts";
import { teamFor } from "../access.ts";
import { defineCommand } from "../def.ts";
import { lookupSchema, ok } from "../grammar.ts";
import { makeInvocation, refuse } from "../invocation.ts";
import { normalWord } from "../lexicon.ts";

/**
 * What the next digest will say, as of now: a team's (as its channel will see it, names by the
 * channel rule), the agency summary, or a worker's own nudge. Nothing is posted or recorded.
 */
export const digest = defineCommand({
  kind: "digest",
  words: ["digest", "preview"],
  usage: "/sos digest [team name | agency] preview",
  about: "what the next weekly digest will say (workers: your next reminder)",
  ability: "anyone",
  action: "preview digests",
  who: "",
  writes: false,
  schema: z.object({ scope: z.enum(["agency", "mine"]).nullable(), team: lookupSchema().nullable() }),

  read(words) {
    const typed = words.args.map((t) => t.text).filter((w) => !/^preview$/i.test(w));
    if (typed.length === 0) return ok({ scope: null, team: null });
    const w = normalWord(typed.join("-"));
    if (w === "agency" || w === "summary") return ok({ scope: "agency" as const, team: null });
    if (w === "mine" || w === "me" || w === "nudge" || w === "nudges")
      return ok({ scope: "mine" as const, team: null });
    return ok({ scope: null, team: typed.join(" ").replace(/^team\s+/i, "") });
  },

  async run(env, cmd) {
    const { actor, ctx } = env;
    const tz = ctx.org.agency.timeZone;
    const period = (kind: "team" | "agency") => periodOf(kind, ctx.clock.now(), tz);
    if (cmd.scope === "mine" || (cmd.scope === null && cmd.team === null && actor.role === "worker")) {
      const teamId = actor.teams[0];
      const plan =
        teamId === undefined ? { nudges: [] } : await planNudges(ctx, teamId, env.today, env.audience);
      if ("skipped" in plan) return { ok: true, text: `No reminders go out today (${plan.skipped}).` };
      const mine = plan.nudges.find((n) => n.actor.staffId === actor.staffId);
      if (!mine)
        return { ok: true, text: "Nothing to remind you about today: none of your cases is newly stuck." };
      return { ok: true, text: digestText(mine.view), digest: mine.view };
    }
    if (cmd.scope === "agency" || (cmd.team === null && canSeeAgency(actor) && ctx.org.teams.length > 1)) {
      if (!canSeeAgency(actor)) {
        return refuse(env, {
          code: "role_cannot",
          role: actor.role,
          action: "see the agency summary",
          who: "type `/sos digest preview` for your team's",
        });
      }
      const view = await agencySummary(env, { asOf: env.today, period: period("agency"), late: false });
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
    const channelEnv = makeInvocation(ctx, actor, env.surface, "channel");
    const view = await teamDigest(channelEnv, team.teamId, {
      asOf: env.today,
      period: period("team"),
      late: false,
    });
    return {
      ok: true,
      text: `Preview, not posted (names as the team's channel will see them):\n\n${digestText(view)}`,
      digest: view,
    };
  },
});
