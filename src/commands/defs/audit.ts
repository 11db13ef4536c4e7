import { z } from "zod";
import { requireCase } from "../access.ts";
import { auditLines, auditText } from "../audit-view.ts";
import { defineCommand } from "../def.ts";
import { caseIdSchema, fail, leadingCaseId, noExtra, ok } from "../grammar.ts";

const USAGE = "/sos audit <case-id>";

/** Who did what to a case, when and from where, including entries since undone. */
export const audit = defineCommand({
  kind: "audit",
  words: ["audit", "trail"],
  usage: USAGE,
  about: "who did what to a case, when and from where (supervisors, admins)",
  help: "Every entry (undone ones too), correction, move, transfer, close and reopen, in order. `sos audit` at the server narrows by person and date, and exports CSV or JSON.",
  ability: "manage",
  action: "see the audit trail",
  who: "a supervisor of the case's team or an admin can",
  writes: false,
  schema: z.object({ caseId: caseIdSchema(USAGE) }),

  read(words) {
    const first = leadingCaseId(words, "audit", USAGE);
    if ("issue" in first) return fail(first.issue);
    const extra = noExtra(words, 1, "audit", USAGE);
    return extra ? fail(extra) : ok({ caseId: first.caseId });
  },

  async run(env, cmd) {
    const found = await requireCase(env, cmd.caseId, "manage");
    if ("reply" in found) return found.reply;
    const lines = auditLines(env, await env.reads.audit({ caseId: cmd.caseId }));
    return { ok: true, text: auditText(`Audit trail of case ${cmd.caseId}`, lines) };
  },
});
