import { z } from "zod";
import { requireCase, teamName } from "../access.ts";
import { defineCommand } from "../def.ts";
import { caseIdSchema, FILLER, fail, leadingCaseId, lookupSchema, ok, usage } from "../grammar.ts";
import { refuse } from "../invocation.ts";
import { resolveCaseholder } from "../people.ts";

const USAGE = "/sos assign <case-id> <email or @person>";

/**
 * Allocates a case to another worker (a transfer). The case follows the worker's team, so this is
 * also how a case moves between teams.
 */
export const assign = defineCommand({
  kind: "assign",
  words: ["assign", "transfer", "allocate"],
  usage: USAGE,
  about: "allocate a case to another worker, in this team or another (supervisors, admins)",
  ability: "manage",
  action: "change cases",
  who: "a supervisor of the case's team or an admin can",
  writes: true,
  schema: z.object({ caseId: caseIdSchema(USAGE), person: lookupSchema() }),

  read(words) {
    const first = leadingCaseId(words, "assign", USAGE, "it needs a case id and a person");
    if ("issue" in first) return fail(first.issue);
    const rest = words.args.slice(1).filter((t) => !FILLER.has(t.text.toLowerCase()));
    if (rest.length === 0) return fail(usage("assign", "it needs the person to allocate the case to", USAGE));
    return ok({ caseId: first.caseId, person: rest.map((t) => t.text).join(" ") });
  },

  async run(env, cmd) {
    const { ctx, actor } = env;
    const found = await requireCase(env, cmd.caseId, "manage");
    if ("reply" in found) return found.reply;
    const c = found.case;
    if (c.status === "closed")
      return refuse(env, { code: "case_closed", caseId: c.id, closedOn: c.closedOn });
    const target = resolveCaseholder(env, cmd.person);
    if ("reply" in target) return target.reply;
    const holder = target.actor;
    if (holder.staffId === c.workerId)
      return refuse(env, { code: "already_allocated", caseId: c.id, name: holder.name });
    // Whoever may manage the case's team may hand it to a worker of another team: a transfer between
    // teams. The case goes to the worker's team, and both supervisors see it in their next digest.
    const teamId = holder.teams.includes(c.teamId) ? c.teamId : holder.teams[0];
    if (teamId === undefined)
      return refuse(env, {
        code: "not_a_caseholder",
        name: holder.name,
        role: `${holder.role} without a team`,
      });
    const previous = ctx.people.nameOf(c.workerId);
    return {
      expect: [{ kind: "caseVersion", caseId: c.id, version: c.version }],
      writes: [
        {
          kind: "allocate",
          caseId: c.id,
          workerId: holder.staffId,
          teamId,
          fromOn: env.today,
          by: actor.staffId,
          at: env.now,
        },
        {
          kind: "audit",
          entry: {
            at: env.now,
            actorId: actor.staffId,
            surface: env.surface,
            action: "assign",
            caseId: c.id,
            detail: { from: c.workerId, to: holder.staffId, fromTeam: c.teamId, toTeam: teamId },
          },
        },
      ],
      reply() {
        const moved =
          teamId !== c.teamId ? ` It moves from ${teamName(env, c.teamId)} to ${teamName(env, teamId)}.` : "";
        return {
          ok: true,
          text: `Case ${c.id} is now allocated to ${holder.name} (it was ${previous}'s).${moved}`,
          changedCase: c.id,
        };
      },
    };
  },
});
