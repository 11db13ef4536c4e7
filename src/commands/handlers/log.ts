import { elementCell } from "../../domain/cells.ts";
import { elementColumn, elementColumns } from "../../domain/dashboards.ts";
import { ELEMENTS } from "../../domain/elements.ts";
import { nameCell } from "../../domain/names.ts";
import { compareOccurrence } from "../../domain/projection.ts";
import { requireCase } from "../access.ts";
import type { Command } from "../command.ts";
import { dayWords, type Env, refuse } from "../env.ts";
import type { Reply } from "../reply.ts";

type LogCommand = Extract<Command, { kind: "log" }>;

/** Records one practice element on a case, after every check a worker's slip could fail. */
export function logElement(env: Env, cmd: LogCommand): Reply {
  const { ctx, actor } = env;
  const found = requireCase(env, cmd.caseId, "log");
  if ("reply" in found) return found.reply;
  const c = found.case;
  if (c.status === "closed") return refuse(env, { code: "case_closed", caseId: c.id, closedOn: c.closedOn });

  const dashboard = ctx.org.dashboards[c.service];
  const column = elementColumn(dashboard, cmd.element);
  if (!column) {
    return refuse(env, {
      code: "not_on_dashboard",
      label: ELEMENTS[cmd.element].name,
      caseId: c.id,
      dashboard: dashboard.title,
      labels: elementColumns(dashboard).map((col) => col.label),
    });
  }
  const label = column.label;
  const date = cmd.date ?? env.today;
  if (date > env.today) return refuse(env, { code: "future_date", date, what: label });
  if (date < c.openedOn)
    return refuse(env, { code: "before_opened", date, openedOn: c.openedOn, caseId: c.id });

  const kind = ELEMENTS[cmd.element].kind;
  // A second identical entry is almost always a double send; a second meeting on one day is real.
  // Only the latest entry of that day counts: a network of 7, then 5, then 7 again is a correction.
  if (kind !== "tally") {
    const sameDay = ctx.repo.events
      .live(c.id, cmd.element)
      .filter((e) => e.occurredOn === date)
      .sort(compareOccurrence);
    const latest = sameDay[sameDay.length - 1];
    const same = latest && (latest.value ?? null) === cmd.value ? latest : undefined;
    if (same) {
      return refuse(env, {
        code: "already_recorded",
        label,
        caseId: c.id,
        date,
        value: cmd.value,
        by: same.recordedBy === actor.staffId ? "you" : ctx.people.nameOf(same.recordedBy),
      });
    }
  }

  const { id, state } = ctx.repo.events.append({
    caseId: c.id,
    element: cmd.element,
    occurredOn: date,
    value: cmd.value,
    note: cmd.note,
    recordedBy: actor.staffId,
    recordedAt: env.now,
    surface: env.surface,
  });
  ctx.repo.audit.record({
    at: env.now,
    actorId: actor.staffId,
    surface: env.surface,
    action: "log",
    caseId: c.id,
    detail: { entry: id, element: cmd.element, occurredOn: date, value: cmd.value, note: cmd.note !== null },
  });

  const child = nameCell(c, env.today, env.names);
  const cell = elementCell(kind, column.style, state, env.fmt);
  const what = cmd.value === null ? label : `${label} ${cmd.value}`;
  const lines = [
    `Recorded ${what} on ${dayWords(env, date)} for case ${c.id}${child === c.id ? "" : ` (${child})`}.`,
    `The dashboard now shows ${label}: ${cell}.`,
  ];
  if (cmd.note) lines.push(env.audience === "private" ? `Note saved: "${cmd.note}"` : "Note saved.");
  lines.push("Wrong? `/sos undo` takes it back.");
  return {
    ok: true,
    text: lines.join("\n"),
    logged: { entryId: id, caseId: c.id, element: cmd.element, label, occurredOn: date, value: cmd.value },
    changedCase: c.id,
  };
}
