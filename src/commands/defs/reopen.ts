import { z } from "zod";
import { requireCase } from "../access.ts";
import { defineCommand } from "../def.ts";
import { caseIdSchema, fail, leadingCaseId, noExtra, ok } from "../grammar.ts";
import { refuse } from "../invocation.ts";

const USAGE = "/sos reopen <case-id>";

/** Reopens a closed case; the earlier close stays in the audit trail and the case's history. */
export const reopen = defineCommand({
  kind: "reopen",
  words: ["reopen"],
  usage: USAGE,
  about: "reopen a closed case (supervisors, admins)",
  ability: "manage",
  action: "change cases",
  who: "a supervisor of the case's team or an admin can",
  writes: true,
  schema: z.object({ caseId: caseIdSchema(USAGE) }),

  read(words) {
    const first = leadingCaseId(words, "reopen", USAGE);
    if ("issue" in first) return fail(first.issue);
    const extra = noExtra(words, 1, "reopen", USAGE);
    return extra ? fail(extra) : ok({ caseId: first.caseId });
  },

  async run(env, cmd) {
    const { ctx, actor } = env;
    const found = await requireCase(env, cmd.caseId, "manage");
    if ("reply" in found) return found.reply;
    const c = found.case;
    if (c.status === "open") return refuse(env, { code: "already_open", caseId: c.id });
    return {
      expect: [{ kind: "caseVersion", caseId: c.id, version: c.version }],
      writes: [
        { kind: "reopen", caseId: c.id },
        {
          kind: "caseEvent",
          event: {
            caseId: c.id,
            kind: "reopened",
            on: env.today,
            at: env.now,
            by: actor.staffId,
            surface: env.surface,
            detail: { outcome: c.outcome, closedOn: c.closedOn },
          },
        },
        {
          kind: "audit",
          entry: {
            at: env.now,
            actorId: actor.staffId,
            surface: env.surface,
            action: "reopen",
            caseId: c.id,
            detail: { closedOn: c.closedOn, outcome: c.outcome },
          },
        },
      ],
      reply: () => ({
        ok: true,
        text: `Reopened case ${c.id}. It is back on ${ctx.people.nameOf(c.workerId)}'s dashboard.`,
        changedCase: c.id,
      }),
    };
  },
});
