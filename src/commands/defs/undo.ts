import { z } from "zod";
import { canSeeCase } from "../../domain/access.ts";
import { elementCell } from "../../domain/cells.ts";
import { elementColumn } from "../../domain/dashboards.ts";
import { ELEMENTS, isElementKey } from "../../domain/elements.ts";
import { requireCase } from "../access.ts";
import { defineCommand } from "../def.ts";
import { fail, noExtra, ok, usage } from "../grammar.ts";
import { refuse } from "../invocation.ts";
import { echo } from "../messages.ts";

const USAGE = "/sos undo [#entry]";

/**
 * Takes back an entry by recording a retraction; the entry itself stays in the record, marked undone.
 * Without an entry number: the person's own last entry still standing.
 */
export const undo = defineCommand({
  kind: "undo",
  words: ["undo"],
  usage: USAGE,
  about: "take back your last entry (or, with its number, exactly that entry: #42)",
  ability: "record",
  action: "undo practice entries",
  who: "only the allocated worker or their supervisor can",
  writes: true,
  /** entryId null: my last entry */
  schema: z.object({ entryId: z.number().int().positive().nullable() }),

  read(words) {
    const first = words.args[0];
    if (!first) return ok({ entryId: null });
    const m = /^#?(\d+)$/.exec(first.text);
    if (!m) return fail(usage("undo", `"${echo(first.text)}" is not an entry number`, USAGE));
    const extra = noExtra(words, 1, "undo", USAGE);
    return extra ? fail(extra) : ok({ entryId: Number(m[1]) });
  },

  async run(env, cmd) {
    const { ctx, actor } = env;
    const target =
      cmd.entryId === null ? await env.reads.lastOwnLive(actor.staffId) : await env.reads.event(cmd.entryId);
    if (!target) {
      return refuse(
        env,
        cmd.entryId === null ? { code: "nothing_to_undo" } : { code: "unknown_entry", entryId: cmd.entryId },
      );
    }
    if (target.retractsId !== null) return refuse(env, { code: "unknown_entry", entryId: target.id });
    // Entry numbers are sequential: an entry on a case this person may not see does not exist for
    // them, or trying numbers would list other workers' case ids.
    if (cmd.entryId !== null) {
      const c = await env.reads.case(target.caseId);
      if (!c || !canSeeCase(actor, { workerId: c.workerId, teamId: c.teamId }))
        return refuse(env, { code: "unknown_entry", entryId: cmd.entryId });
    }
    const found = await requireCase(env, target.caseId, "log");
    if ("reply" in found) return found.reply;
    const c = found.case;
    const element = target.element;
    const column = isElementKey(element) ? elementColumn(ctx.org.dashboards[c.service], element) : undefined;
    const label = column?.label ?? (isElementKey(element) ? ELEMENTS[element].name : element);

    const earlier = await env.reads.retractionOf(target.id);
    if (earlier) {
      return refuse(env, {
        code: "already_undone",
        label,
        caseId: c.id,
        by: earlier.recordedBy === actor.staffId ? "you" : ctx.people.nameOf(earlier.recordedBy),
        at: env.fmtInstant(earlier.recordedAt),
      });
    }
    if (c.status === "closed")
      return refuse(env, { code: "case_closed", caseId: c.id, closedOn: c.closedOn });

    return {
      expect: [{ kind: "caseVersion", caseId: c.id, version: c.version }],
      writes: [
        { kind: "retract", target, by: actor.staffId, at: env.now, surface: env.surface },
        {
          kind: "audit",
          entry: {
            at: env.now,
            actorId: actor.staffId,
            surface: env.surface,
            action: "undo",
            caseId: c.id,
            detail: { entry: target.id, element },
          },
          entryKey: "retraction",
        },
      ],
      reply(entries) {
        const state = entries[0]!.state;
        const what = target.value === null ? label : `${label} ${target.value}`;
        const on = target.occurredOn ? ` on ${env.fmt(target.occurredOn)}` : "";
        const lines = [
          `Undone: ${what}${on} for case ${c.id}. The entry stays in the case history, marked as undone.`,
        ];
        if (column)
          lines.push(
            `The dashboard now shows ${label}: ${elementCell(ELEMENTS[column.id].kind, column.style, state, env.fmt)}.`,
          );
        return {
          ok: true,
          text: lines.join("\n"),
          undone: { entryId: target.id, caseId: c.id, label },
          changedCase: c.id,
        };
      },
    };
  },
});
