import { type Actor, canManageTeam, canRecord } from "../domain/access.ts";
import { elementColumns } from "../domain/dashboards.ts";
import { ELEMENTS, valueRule } from "../domain/elements.ts";
import { nameCell } from "../domain/names.ts";
import type { CaseChoice, LogFormView } from "../render/view.ts";
import type { CaseRow } from "../store/schema.ts";
import { requireCase } from "./access.ts";
import { type Invocation, refuse } from "./invocation.ts";
import type { IssueCode } from "./issues.ts";
import type { Reply } from "./reply.ts";

/**
 * What a logging form (a Teams card, a Slack modal) offers: first the cases the person may record
 * on, then only the elements on the chosen case's dashboard. Same authorization as typed commands.
 */

/**
 * Open cases the person may record practice on, newest first: a worker's own, a supervisor's team's
 * and their own. Managers and admins get none.
 */
export async function loggableCases(env: Invocation): Promise<CaseRow[]> {
  const { actor } = env;
  if (actor.role === "worker") return env.reads.openCases({ workerId: actor.staffId });
  if (actor.role !== "supervisor") return [];
  const team = await env.reads.openCases({ teamIds: actor.teams });
  const seen = new Set(team.map((c) => c.id));
  const own = (await env.reads.openCases({ workerId: actor.staffId })).filter((c) => !seen.has(c.id));
  return own.length === 0 ? team : [...team, ...own].sort(newestFirst);
}

/** The same cases as choices for a picker, named as the audience may see them. */
export async function casesToLog(env: Invocation): Promise<CaseChoice[]> {
  const { actor, ctx } = env;
  return (await loggableCases(env))
    .filter((c) => canRecord(actor, c))
    .map((c) => ({
      caseId: c.id,
      child: nameCell(c, env.today, env.names),
      worker: ctx.people.nameOf(c.workerId),
      dashboard: ctx.org.dashboards[c.service].title,
    }));
}

/**
 * The people a supervisor or admin may allocate a new case to: workers and supervisors of the teams
 * they manage (every team, for an admin). Empty for anyone who cannot open cases.
 */
export function caseholdersFor(env: Invocation): Actor[] {
  const { actor, ctx } = env;
  return ctx.people
    .all()
    .filter(
      (a) => (a.role === "worker" || a.role === "supervisor") && a.teams.some((t) => canManageTeam(actor, t)),
    );
}

/** The form for one case, or the refusal a typed command on that case would get. */
export async function logFormFor(
  env: Invocation,
  caseId: string,
): Promise<{ form: LogFormView } | { reply: Reply }> {
  const found = await requireCase(env, caseId, "log");
  if ("reply" in found) return found;
  const c = found.case;
  if (c.status === "closed") {
    return { reply: refuse(env, { code: "case_closed", caseId: c.id, closedOn: c.closedOn }) };
  }
  const def = env.ctx.org.dashboards[c.service];
  return {
    form: {
      caseId: c.id,
      child: nameCell(c, env.today, env.names),
      dashboard: def.title,
      openedOn: c.openedOn,
      opened: env.fmt(c.openedOn),
      today: env.today,
      elements: elementColumns(def).map((col) => ({
        element: col.id,
        label: col.label,
        range: valueRule(ELEMENTS[col.id].kind),
      })),
    },
  };
}

export type LogField = "case" | "element" | "date" | "value";

const FIELDS: Partial<Record<IssueCode, LogField>> = {
  unknown_case: "case",
  not_your_case: "case",
  not_your_team: "case",
  case_closed: "case",
  not_on_dashboard: "element",
  already_recorded: "element",
  future_date: "date",
  before_opened: "date",
  impossible_date: "date",
  bad_date: "date",
  value_out_of_range: "value",
  missing_value: "value",
  value_not_allowed: "value",
};

/** Which form field a refused log is about, so a form can show the reason under that field. */
export function logField(code: IssueCode): LogField | null {
  return FIELDS[code] ?? null;
}

function newestFirst(a: CaseRow, b: CaseRow): number {
  if (a.openedOn !== b.openedOn) return a.openedOn < b.openedOn ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
