import { z } from "zod";
import { teamMembers } from "../../config/org.ts";
import { ABUSE_CODES, formatAbuseTypes, readAbuseTypes } from "../../domain/abuse.ts";
import { canManageTeam } from "../../domain/access.ts";
import { SERVICE_SLUGS } from "../../domain/dashboards.ts";
import { type IsoDate, localDate, looksLikeDate } from "../../domain/dates.ts";
import { nameCell } from "../../domain/names.ts";
import type { Write } from "../../store/records.ts";
import { teamName } from "../access.ts";
import { adultIssue } from "../child.ts";
import { defineCommand } from "../def.ts";
import {
  checked,
  EMAILISH,
  FILLER,
  fail,
  INTEGER,
  isCaseId,
  isoDateSchema,
  leadingCaseId,
  ok,
  type ParseContext,
  readDate,
  readService,
  usage,
} from "../grammar.ts";
import { dayWords, type Invocation, refuse } from "../invocation.ts";
import type { Issue } from "../issues.ts";
import { AGE_MAX, MAX_LENGTH } from "../limits.ts";
import { resolveCaseholder } from "../people.ts";
import type { Token } from "../tokenize.ts";

const USAGE =
  '/sos open <case-id> "<child name>" <age or date of birth> <service> [abuse types] [date opened] [worker email]';

const args = z.object({
  caseId: z.string(),
  childName: z.string(),
  age: z.number().nullable(),
  dob: isoDateSchema.nullable(),
  service: z.enum(SERVICE_SLUGS),
  abuse: z.array(z.enum(ABUSE_CODES)).max(ABUSE_CODES.length),
  /** null: today */
  openedOn: isoDateSchema.nullable(),
  /** who holds the case: an email, mention or name; null means the person opening it */
  worker: z.string().max(MAX_LENGTH.childName).nullable(),
});

export type OpenArgs = z.output<typeof args>;

/** What every new case must be, however it came: typed, from a form, from a file. */
function formIssue(a: OpenArgs, today: IsoDate | null): Issue | null {
  const problem = (p: string): Issue => usage("open", p, USAGE);
  if (!isCaseId(a.caseId)) return { code: "bad_case_id", token: a.caseId, example: USAGE };
  const name = a.childName.trim();
  if (name === "") return problem("it needs the child's name");
  if (name.length > MAX_LENGTH.childName)
    return { code: "too_long", what: "child's name", length: name.length, max: MAX_LENGTH.childName };
  if (a.age === null && a.dob === null) return problem("it needs the child's age or date of birth");
  if (a.age !== null && (!Number.isInteger(a.age) || a.age < 0 || a.age > AGE_MAX))
    return { code: "bad_age", token: String(a.age) };
  if (a.dob !== null && today !== null && a.dob > today) return { code: "dob_in_future", date: a.dob };
  return null;
}

/**
 * A date of birth as typed, or as a case list writes it: the agency's date order or ISO. Shared by
 * `open` and the import, so a file accepts exactly what chat does.
 */
export function readBirthDate(token: Token, ctx: ParseContext): { date: IsoDate } | { issue: Issue } {
  const d = readDate(token, ctx, USAGE);
  if ("issue" in d)
    return { issue: d.issue.code === "impossible_date" ? d.issue : { code: "bad_age", token: token.text } };
  let born = d.date;
  // "1/1/99": a two-digit year that would be in the future is the last century (a young adult
  // leaving care, a parent's date given by mistake is still caught by the age check on screen).
  if (born > ctx.today && /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$/.test(token.text))
    born = `${Number(born.slice(0, 4)) - 100}${born.slice(4)}`;
  if (born > ctx.today) return { issue: { code: "dob_in_future", date: born } };
  return { date: born };
}

/** The child's name as it is kept: trimmed, inner runs of spaces (or a pasted line break) as one. */
export function childNameOf(a: { readonly childName: string }): string {
  return a.childName.trim().replace(/\s+/g, " ");
}

/** What the opening day must allow: not in the future, and a child on that day (`adultAge`). */
function openedIssue(
  env: Invocation,
  child: { readonly age: number | null; readonly dob: IsoDate | null; readonly openedOn: IsoDate },
): Issue | null {
  if (child.openedOn > env.today) return { code: "future_date", date: child.openedOn, what: "the opening" };
  return adultIssue(env, child);
}

/**
 * Every check of a new case that needs no lookup, as `open` makes them when it runs: its form, a
 * birth date not in the future, the opening day. The import asks this of each row of a case list.
 */
export function newCaseIssue(env: Invocation, a: OpenArgs & { readonly openedOn: IsoDate }): Issue | null {
  return formIssue(a, env.today) ?? openedIssue(env, a);
}

/**
 * The writes that open a case: its row with its first allocation, and the audit line naming who
 * opened it and from where. `open` and the import write exactly these.
 */
export function openWrites(
  env: Invocation,
  a: OpenArgs & { readonly openedOn: IsoDate },
  workerId: number,
  teamId: string,
): Write[] {
  const { actor } = env;
  return [
    {
      kind: "openCase",
      row: {
        id: a.caseId,
        childName: childNameOf(a),
        dob: a.dob,
        ageAtOpening: a.age,
        openedOn: a.openedOn,
        service: a.service,
        abuseTypes: a.abuse,
        workerId,
        teamId,
        status: "open",
        createdAt: env.now,
        createdBy: actor.staffId,
      },
      by: actor.staffId,
      at: env.now,
    },
    {
      kind: "audit",
      entry: {
        at: env.now,
        actorId: actor.staffId,
        surface: env.surface,
        action: "open",
        caseId: a.caseId,
        detail: { service: a.service, worker: workerId, team: teamId, openedOn: a.openedOn },
      },
    },
  ];
}

/** Opens a case and allocates it: supervisors for their own teams, admins for any. */
export const open = defineCommand({
  kind: "open",
  words: ["open", "new"],
  usage: USAGE,
  about: "open a new case and allocate it (supervisors, admins)",
  ability: "manage",
  action: "open cases",
  who: "a supervisor or an admin can",
  writes: true,
  // The date of birth against today is checked again when it runs (the schema has no clock).
  schema: checked(args, (a) => formIssue(a, null)),

  read(words, ctx) {
    const first = leadingCaseId(
      words,
      "open",
      USAGE,
      "it needs a case id, the child's name, age and service",
    );
    if ("issue" in first) return fail(first.issue);
    const { caseId } = first;
    const list = words.args;
    let i = 1;
    const nameWords: string[] = [];
    if (list[i]?.quoted) nameWords.push(list[i++]!.text);
    else {
      while (i < list.length && !INTEGER.test(list[i]!.text) && !looksLikeDate(list[i]!.text))
        nameWords.push(list[i++]!.text);
    }
    const childName = nameWords.join(" ").trim();
    if (childName === "") return fail(usage("open", "it needs the child's name", USAGE));
    const ageToken = list[i++];
    if (!ageToken)
      return fail(usage("open", `it needs the child's age or date of birth after the name`, USAGE));
    let age: number | null = null;
    let dob: IsoDate | null = null;
    if (INTEGER.test(ageToken.text) && !looksLikeDate(ageToken.text)) {
      age = Number(ageToken.text);
    } else {
      const d = readBirthDate(ageToken, ctx);
      if ("issue" in d) return fail(d.issue);
      dob = d.date;
    }
    const serviceToken = list[i++];
    if (!serviceToken)
      return fail(usage("open", "it needs the service: statutory-cp, family-support or voluntary", USAGE));
    const read = readService(serviceToken.text);
    if ("issue" in read) return fail(read.issue);
    const { service } = read;
    let openedOn: IsoDate | null = null;
    let worker: string | null = null;
    const abuseWords: string[] = [];
    for (const t of list.slice(i)) {
      if (FILLER.has(t.text.toLowerCase())) continue;
      if (EMAILISH.test(t.text)) worker = t.text;
      else if (looksLikeDate(t.text) && openedOn === null) {
        const d = readDate(t, ctx, USAGE);
        if ("issue" in d) return fail(d.issue);
        openedOn = d.date;
      } else abuseWords.push(t.text);
    }
    const { codes, unknown } = readAbuseTypes(abuseWords);
    if (unknown.length > 0) return fail({ code: "unknown_abuse", words: unknown.slice(0, 5) });
    return ok({ caseId, childName, age, dob, service, abuse: codes, openedOn, worker });
  },

  async run(env, cmd) {
    const { ctx, actor } = env;
    const issue = formIssue(cmd, env.today);
    if (issue) return refuse(env, issue);
    if (await env.reads.case(cmd.caseId)) return refuse(env, { code: "case_exists", caseId: cmd.caseId });
    // The erasure row is all that is left of a case removed under retention: a new case under its id
    // would be read (in old exports, audit lines, people's memories) as the one that was removed.
    const erasedAt = await env.reads.retentionErasedAt(cmd.caseId);
    if (erasedAt !== undefined)
      return refuse(env, {
        code: "case_erased",
        caseId: cmd.caseId,
        on: localDate(new Date(erasedAt), ctx.org.agency.timeZone),
      });

    let holder = actor;
    if (cmd.worker !== null) {
      const found = resolveCaseholder(env, cmd.worker);
      if ("reply" in found) return found.reply;
      holder = found.actor;
    } else if (actor.role !== "supervisor") {
      return refuse(env, { code: "needs_worker", caseId: cmd.caseId });
    }
    const teamId = holder.teams.find((t) => canManageTeam(actor, t));
    if (teamId === undefined) {
      return refuse(env, {
        code: "outside_team",
        name: holder.name,
        teams: actor.teams.map((t) => teamName(env, t)),
      });
    }
    const openedOn = cmd.openedOn ?? env.today;
    const facts = openedIssue(env, { age: cmd.age, dob: cmd.dob, openedOn });
    if (facts) return refuse(env, facts);
    const childName = childNameOf(cmd);

    return {
      expect: [{ kind: "noCase", caseId: cmd.caseId }],
      writes: openWrites(env, { ...cmd, openedOn }, holder.staffId, teamId),
      reply() {
        const child = nameCell(
          { id: cmd.caseId, childName, dob: cmd.dob, ageAtOpening: cmd.age, openedOn },
          env.today,
          env.names,
        );
        const abuse = cmd.abuse.length ? `, ${formatAbuseTypes(cmd.abuse)}` : "";
        const who = holder.staffId === actor.staffId ? "you" : holder.name;
        const lines = [
          `Opened case ${cmd.caseId} (${child}) on ${ctx.org.dashboards[cmd.service].title}${abuse}, opened ${dayWords(env, openedOn)}, allocated to ${who} in ${teamName(env, teamId)}.`,
        ];
        if (holder.staffId === actor.staffId && teamMembers(ctx.org, teamId).some((m) => m.role === "worker"))
          lines.push(`To give it to a worker: \`/sos assign ${cmd.caseId} <their email>\`.`);
        return { ok: true, text: lines.join("\n"), changedCase: cmd.caseId };
      },
    };
  },
});
