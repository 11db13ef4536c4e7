import { canSeeCase } from "../../domain/access.ts";
import { elementCell } from "../../domain/cells.ts";
import { elementColumn } from "../../domain/dashboards.ts";
import { ELEMENTS, type ElementKey, isElementKey } from "../../domain/elements.ts";
import { requireCase } from "../access.ts";
import type { Command } from "../command.ts";
import { type Env, refuse } from "../env.ts";
import type { Reply } from "../reply.ts";

type UndoCommand = Extract<Command, { kind: "undo" }>;

/**
 * Takes back an entry by recording a retraction; the entry itself stays in the record, marked undone.
 * Without an entry number: the person's own last entry still standing.
 */
export function undoEntry(env: Env, cmd: UndoCommand): Reply {
  const { ctx, actor } = env;
  if (actor.role === "manager" || actor.role === "admin") {
    return refuse(env, {
      code: "role_cannot",
      role: actor.role,
      action: "undo practice entries",
      who: "only the allocated worker or their supervisor can",
    });
  }
  const target =
    cmd.entryId === null ? ctx.repo.events.lastOwnLive(actor.staffId) : ctx.repo.events.get(cmd.entryId);
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
    const c = ctx.repo.cases.get(target.caseId);
    if (!c || !canSeeCase(actor, { workerId: c.workerId, teamId: c.teamId })) {
      return refuse(env, { code: "unknown_entry", entryId: cmd.entryId });
    }
  }

  const found = requireCase(env, target.caseId, "undo");
  if ("reply" in found) return found.reply;
  const c = found.case;
  const element = target.element as ElementKey;
  const column = isElementKey(element) ? elementColumn(ctx.org.dashboards[c.service], element) : undefined;
  const label = column?.label ?? (isElementKey(element) ? ELEMENTS[element].name : element);

  const earlier = ctx.repo.events.retractionOf(target.id);
  if (earlier) {
    return refuse(env, {
      code: "already_undone",
      label,
      caseId: c.id,
      by: earlier.recordedBy === actor.staffId ? "you" : ctx.people.nameOf(earlier.recordedBy),
      at: env.fmtInstant(earlier.recordedAt),
    });
  }
  if (c.status === "closed") return refuse(env, { code: "case_closed", caseId: c.id, closedOn: c.closedOn });

  const { id, state } = ctx.repo.events.retract(target, actor.staffId, env.now, env.surface);
  ctx.repo.audit.record({
    at: env.now,
    actorId: actor.staffId,
    surface: env.surface,
    action: "undo",
    caseId: c.id,
    detail: { entry: target.id, retraction: id, element },
  });

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
}
