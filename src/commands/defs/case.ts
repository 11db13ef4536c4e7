import { z } from "zod";
import { formatAbuseTypes } from "../../domain/abuse.ts";
import { elementColumn, isServiceSlug } from "../../domain/dashboards.ts";
import { ELEMENTS, isElementKey } from "../../domain/elements.ts";
import { currentAge } from "../../domain/names.ts";
import { stuckElements } from "../../domain/stuck-points.ts";
import { buildDashboard } from "../../render/build-dashboard.ts";
import { caseText } from "../../render/text.ts";
import type { CaseView, HistoryLine } from "../../render/view.ts";
import type { CaseEventRow, CaseRow } from "../../store/schema.ts";
import { requireCase, teamName } from "../access.ts";
import { stuckFor } from "../board.ts";
import { defineCommand } from "../def.ts";
import { caseIdSchema, fail, leadingCaseId, noExtra, ok } from "../grammar.ts";
import type { Invocation } from "../invocation.ts";
import { FIELD_NAMES } from "./edit.ts";

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
      stuckAt: () => stuckElements(findings, c.states, def),
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
async function history(env: Invocation, c: CaseRow): Promise<HistoryLine[]> {
  const { ctx } = env;
  const def = ctx.org.dashboards[c.service];
  const [events, allocations, caseEvents] = await Promise.all([
    env.reads.caseEvents(c.id),
    env.reads.allocations(c.id),
    env.reads.caseHistory(c.id),
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
  const lastClose = caseEvents.filter((e) => e.kind === "closed").at(-1);
  for (const e of caseEvents) {
    lines.push({
      on: env.fmt(e.on),
      text: caseEventText(env, c, e, e === lastClose),
      retracted: false,
      sort: e.on,
      seq: Number.MAX_SAFE_INTEGER - 1,
    });
  }
  lines.sort((x, y) => (x.sort < y.sort ? -1 : x.sort > y.sort ? 1 : x.seq - y.seq));
  return lines.map(({ sort: _s, seq: _q, ...l }) => l);
}

/**
 * One correction, move, close or reopen as the history says it. Values of a correction and a close's
 * note show only to private audiences: a channel never sees a child's name, old or new.
 */
function caseEventText(env: Invocation, c: CaseRow, e: CaseEventRow, lastClose: boolean): string {
  const { ctx } = env;
  const by = ctx.people.nameOf(e.by);
  const d = e.detail;
  const priv = env.audience === "private";
  const outcome = (code: string | null) => ctx.org.outcomes.find((o) => o.code === code)?.label ?? code ?? "";
  switch (e.kind) {
    case "corrected": {
      if (!("field" in d)) return `Corrected by ${by}.`;
      const shown = (v: unknown) =>
        v === null
          ? "none"
          : Array.isArray(v)
            ? formatAbuseTypes(v) || "none"
            : typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)
              ? env.fmt(v)
              : String(v);
      const values = priv ? ` from ${shown(d.from)} to ${shown(d.to)}` : "";
      return `${capital(FIELD_NAMES[d.field])} corrected${values} by ${by} ${env.fmtInstant(e.at)} via ${e.surface}.`;
    }
    case "moved": {
      if (!("from" in d) || "field" in d) return `Moved by ${by}.`;
      const title = (s: string) => (isServiceSlug(s) ? ctx.org.dashboards[s].title : s);
      return `Moved from ${title(d.from)} to ${title(d.to)} by ${by}.`;
    }
    case "closed": {
      if (!("note" in d)) return `Closed by ${by}.`;
      const note = d.note ?? (lastClose && c.status === "closed" ? c.closingNote : null);
      return `Closed by ${by}: ${outcome(d.outcome)}.${priv && note ? ` Note: "${note}"` : ""}`;
    }
    case "reopened":
      return `Reopened by ${by}.`;
  }
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
