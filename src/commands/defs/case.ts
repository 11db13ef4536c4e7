import { z } from "zod";
import { formatAbuseTypes } from "../../domain/abuse.ts";
import { elementColumn } from "../../domain/dashboards.ts";
import { localDate } from "../../domain/dates.ts";
import { ELEMENTS, isElementKey } from "../../domain/elements.ts";
import { currentAge } from "../../domain/names.ts";
import { buildDashboard } from "../../render/build-dashboard.ts";
import { caseText } from "../../render/text.ts";
import type { CaseView, HistoryLine } from "../../render/view.ts";
import type { CaseRow } from "../../store/schema.ts";
import { requireCase, teamName } from "../access.ts";
import { stuckFor } from "../board.ts";
import { defineCommand } from "../def.ts";
import type { Env } from "../env.ts";
import { caseIdSchema, fail, leadingCaseId, noExtra, ok } from "../grammar.ts";

const USAGE = "/sos case <case-id>";

/** One case: its row on its dashboard, its details and everything that happened to it. */
export const showCase = defineCommand({
  kind: "case",
  words: ["case", "show"],
  usage: USAGE,
  about: "one case: its row on the dashboard and its history",
  ability: "anyone",
  action: "see cases",
  who: "",
  writes: false,
  schema: z.object({ caseId: caseIdSchema(USAGE) }),

  read(words) {
    const first = leadingCaseId(words, "case", USAGE);
    if ("issue" in first) return fail(first.issue);
    const extra = noExtra(words, 1, "case", USAGE);
    return extra ? fail(extra) : ok({ caseId: first.caseId });
  },

  async run(env, cmd) {
    const { ctx } = env;
    const found = await requireCase(env, cmd.caseId, "see");
    if ("reply" in found) return found.reply;
    const c = found.case;
    const def = ctx.org.dashboards[c.service];
    const findings = c.status === "open" ? stuckFor(ctx.org, c, env.today) : [];
    const dashboard = buildDashboard({
      def,
      groups: [{ worker: ctx.people.nameOf(c.workerId), cases: [c] }],
      today: env.today,
      datePattern: ctx.org.dates.format,
      names: env.names,
      isStuck: () => findings.length > 0,
    });
    const child = dashboard.groups[0]!.rows[0]!.cells[0]!;
    const age = currentAge(c, env.today);
    const outcome = ctx.org.outcomes.find((o) => o.code === c.outcome)?.label ?? c.outcome;
    const summary = [
      { label: "Dashboard", value: def.title },
      { label: "Opened", value: env.fmt(c.openedOn) },
      ...(env.names === "full" && age !== null
        ? [{ label: "Age", value: c.dob ? `${age} (born ${env.fmt(c.dob)})` : String(age) }]
        : []),
      { label: "Abuse types", value: formatAbuseTypes(c.abuseTypes) || "none recorded" },
      { label: "Worker", value: `${ctx.people.nameOf(c.workerId)} (${teamName(env, c.teamId)})` },
      {
        label: "Status",
        value:
          c.status === "open"
            ? "open"
            : `closed ${c.closedOn ? env.fmt(c.closedOn) : ""}: ${outcome ?? ""}`.trim(),
      },
      ...findings.map((f) => ({ label: "Stuck", value: `${f.reason} (${f.days} days)` })),
    ];
    const view: CaseView = {
      caseId: c.id,
      child,
      status: c.status,
      summary,
      dashboard,
      history: await history(env, c),
    };
    return { ok: true, text: caseText(view), caseView: view };
  },
});

/** Every entry (undone ones marked), allocation, close and reopen, in the order they happened. */
async function history(env: Env, c: CaseRow): Promise<HistoryLine[]> {
  const { ctx } = env;
  const def = ctx.org.dashboards[c.service];
  const [events, allocations, audit] = await Promise.all([
    env.reads.caseEvents(c.id),
    env.reads.allocations(c.id),
    env.reads.caseAudit(c.id),
  ]);
  const undoneBy = new Map(events.filter((e) => e.retractsId !== null).map((e) => [e.retractsId!, e]));
  const lines: (HistoryLine & { sort: string; seq: number })[] = [];
  for (const e of events) {
    if (e.retractsId !== null) continue;
    const label = isElementKey(e.element)
      ? (elementColumn(def, e.element)?.label ?? ELEMENTS[e.element].name)
      : e.element;
    const undo = undoneBy.get(e.id);
    const note = e.note && env.audience === "private" ? ` Note: "${e.note}"` : "";
    lines.push({
      on: e.occurredOn ? env.fmt(e.occurredOn) : "no date",
      text: `${label}${e.value !== null ? ` ${e.value}` : ""}, recorded by ${ctx.people.nameOf(e.recordedBy)} ${env.fmtInstant(e.recordedAt)} via ${e.surface} (entry #${e.id}).${note}${
        undo ? ` Undone by ${ctx.people.nameOf(undo.recordedBy)} ${env.fmtInstant(undo.recordedAt)}.` : ""
      }`,
      retracted: undo !== undefined,
      sort: e.occurredOn ?? "",
      seq: e.id,
    });
  }
  for (const a of allocations) {
    lines.push({
      on: env.fmt(a.fromOn),
      text: `Allocated to ${ctx.people.nameOf(a.workerId)} (${teamName(env, a.teamId)}) by ${ctx.people.nameOf(a.assignedBy)}.`,
      retracted: false,
      sort: a.fromOn,
      seq: 0,
    });
  }
  for (const a of audit) {
    if (a.action !== "close" && a.action !== "reopen") continue;
    const d = a.detail as { closedOn?: string; outcome?: string };
    const on =
      a.action === "close" && d.closedOn ? d.closedOn : localDate(new Date(a.at), ctx.org.agency.timeZone);
    const outcome = ctx.org.outcomes.find((o) => o.code === d.outcome)?.label ?? d.outcome;
    lines.push({
      on: env.fmt(on),
      text:
        a.action === "close"
          ? `Closed by ${ctx.people.nameOf(a.actorId)}: ${outcome}.`
          : `Reopened by ${ctx.people.nameOf(a.actorId)}.`,
      retracted: false,
      sort: on,
      seq: Number.MAX_SAFE_INTEGER - 1,
    });
  }
  lines.sort((x, y) => (x.sort < y.sort ? -1 : x.sort > y.sort ? 1 : x.seq - y.seq));
  return lines.map(({ sort: _s, seq: _q, ...l }) => l);
}
