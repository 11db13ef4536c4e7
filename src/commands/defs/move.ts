import { z } from "zod";
import { elementColumn, elementColumns, SERVICE_SLUGS, type ServiceSlug } from "../../domain/dashboards.ts";
import { type IsoDate, looksLikeDate } from "../../domain/dates.ts";
import { ELEMENT_KEYS } from "../../domain/elements.ts";
import type { Write } from "../../store/records.ts";
import type { CaseRow } from "../../store/schema.ts";
import { requireCase } from "../access.ts";
import { defineCommand } from "../def.ts";
import {
  caseIdSchema,
  fail,
  isoDateSchema,
  leadingCaseId,
  ok,
  readDate,
  readService,
  usage,
} from "../grammar.ts";
import { dayWords, type Invocation, refuse } from "../invocation.ts";
import type { Issue } from "../issues.ts";

const USAGE = "/sos move <case-id> <service> [date]";

/**
 * Steps a case up or down between the three service dashboards (child protection, family support,
 * voluntary): the source document's "stages of case management". Recorded practice is kept and shows
 * under the new dashboard's labels where that dashboard has the element; stuck rules count from the
 * day of the move.
 */
export const move = defineCommand({
  kind: "move",
  words: ["move", "step-up", "step-down"],
  usage: USAGE,
  about: "move a case to another service's dashboard: step up or step down (supervisors, admins)",
  help: "The services are statutory-cp, family-support and voluntary. Practice already recorded is kept; the case is held to the new dashboard's stuck rules from the day it moved.",
  ability: "manage",
  action: "move cases between services",
  who: "a supervisor of the case's team or an admin can",
  writes: true,
  schema: z.object({
    caseId: caseIdSchema(USAGE),
    service: z.enum(SERVICE_SLUGS),
    on: isoDateSchema.nullable(),
  }),

  read(words, ctx) {
    const first = leadingCaseId(words, "move", USAGE, "it needs a case id and the service to move it to");
    if ("issue" in first) return fail(first.issue);
    const rest = words.args.slice(1).filter((t) => !/^(to|onto|into)$/i.test(t.text));
    let on: IsoDate | null = null;
    const serviceWords: string[] = [];
    for (const t of rest) {
      if (on === null && looksLikeDate(t.text)) {
        const d = readDate(t, ctx, `/sos move ${first.caseId} family-support yesterday`);
        if ("issue" in d) return fail(d.issue);
        on = d.date;
      } else serviceWords.push(t.text);
    }
    if (serviceWords.length === 0)
      return fail(usage("move", "it needs the service: statutory-cp, family-support or voluntary", USAGE));
    const read = readService(serviceWords.join(" "));
    if ("issue" in read) return fail(read.issue);
    return ok({ caseId: first.caseId, service: read.service, on });
  },

  async run(env, cmd) {
    const { ctx } = env;
    const found = await requireCase(env, cmd.caseId, "manage");
    if ("reply" in found) return found.reply;
    const c = found.case;
    const decided = moveCase(env, c, cmd.service, cmd.on ?? env.today);
    if ("issue" in decided) return refuse(env, decided.issue);
    const { on } = decided;
    const to = ctx.org.dashboards[cmd.service];
    const from = ctx.org.dashboards[c.service];
    const recorded = ELEMENT_KEYS.filter((k) => (c.states[k]?.count ?? 0) > 0);
    const hidden = recorded.filter((k) => elementColumn(to, k) === undefined);
    return {
      expect: [{ kind: "caseVersion", caseId: c.id, version: c.version }],
      writes: decided.writes,
      reply() {
        const labels = (keys: readonly string[]) =>
          keys.map((k) => elementColumns(from).find((col) => col.id === k)?.label ?? k).join(", ");
        const kept =
          hidden.length === 0
            ? "All its recorded practice shows there."
            : `Its recorded practice is kept; ${labels(hidden)} ${hidden.length === 1 ? "is" : "are"} not on that dashboard and stay${hidden.length === 1 ? "s" : ""} in the case's history.`;
        return {
          ok: true,
          text: `Moved case ${c.id} from ${from.title} to ${to.title} on ${dayWords(env, on)}. ${kept} Its stuck rules count from the move.`,
          changedCase: c.id,
        };
      },
    };
  },
});

/**
 * Decides a move of a case as it stands: the refusal, or the writes (the case event, the row's new
 * service and the audit line). `/sos move` and `sos import --update` both decide a move here.
 */
export function moveCase(
  env: Invocation,
  c: CaseRow,
  service: ServiceSlug,
  on: IsoDate,
): { issue: Issue } | { on: IsoDate; writes: Write[] } {
  const { ctx, actor } = env;
  if (c.status === "closed") return { issue: { code: "case_closed", caseId: c.id, closedOn: c.closedOn } };
  if (c.service === service)
    return { issue: { code: "same_service", caseId: c.id, dashboard: ctx.org.dashboards[service].title } };
  if (on > env.today) return { issue: { code: "future_date", date: on, what: "the move" } };
  if (on < c.openedOn)
    return { issue: { code: "before_opened", date: on, openedOn: c.openedOn, caseId: c.id } };
  return {
    on,
    writes: [
      {
        kind: "caseEvent",
        event: {
          caseId: c.id,
          kind: "moved",
          on,
          at: env.now,
          by: actor.staffId,
          surface: env.surface,
          detail: { from: c.service, to: service },
        },
      },
      { kind: "updateCase", caseId: c.id, set: { service, serviceSince: on } },
      {
        kind: "audit",
        entry: {
          at: env.now,
          actorId: actor.staffId,
          surface: env.surface,
          action: "move",
          caseId: c.id,
          detail: { from: c.service, to: service, on },
        },
      },
    ],
  };
}
