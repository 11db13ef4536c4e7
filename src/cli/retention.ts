import { UsageError } from "../app/boot.ts";
import type { Ctx } from "../app/context.ts";
import type { RetentionPolicy } from "../config/org.ts";
import { formatDate } from "../domain/dates.ts";
import { NotErased } from "../lifetime/erase.ts";
import { type RetentionFacts, retentionOf, ruleWords } from "../lifetime/retention-rules.ts";
import { table } from "../render/text.ts";
import type { CaseRow } from "../store/schema.ts";
import { removedText, requireAdmin } from "./admin.ts";
import { readArgs } from "./args.ts";
import { lifetimeOf } from "./open-lifetime.ts";
import { openFromEnv, shown } from "./setup.ts";

interface DueCase {
  readonly row: CaseRow;
  readonly since: string;
  readonly why: string;
}

/**
 * `sos retention [--dry-run]` lists the closed cases the config's retention policy says are due for
 * removal; `--apply --as ADMIN` removes them, each through the one audited erasure path. The same on
 * the SQLite file and on PostgreSQL.
 */
export async function retention(argv: string[]): Promise<number> {
  const { values } = readArgs("retention", argv, {
    "dry-run": { type: "boolean" },
    apply: { type: "boolean" },
    as: { type: "string" },
    today: { type: "string" },
  });
  if (values.apply && values["dry-run"]) throw new UsageError("give --dry-run or --apply, not both");
  if (!values.apply && values.as !== undefined)
    throw new UsageError("--as is for --apply: a dry run changes nothing");
  const apply = values.apply === true;
  const opened = await openFromEnv({ open: { mode: apply ? "records" : "read" }, today: values.today });
  const { ctx } = opened;
  try {
    const policy = ctx.org.retention;
    if (!policy)
      throw new UsageError(
        `the config ${shown(ctx.org.source)} has no retention policy, so no case is due: add retention: { afterClosing: { years: 7 } } (see the README), or remove one case with \`sos erase\``,
      );
    const admin = apply ? requireAdmin(ctx, "retention", values.as, opened.where) : null;
    const today = ctx.today();
    const fmt = (d: string) => formatDate(d, ctx.org.dates.format);
    const say = (s: string) => process.stdout.write(`${s}\n`);
    const { due, kept, unknown } = await plan(ctx, policy, today);
    say(`Retention (config): closed cases are kept until ${policyWords(policy)}. Today is ${fmt(today)}.`);
    if (!admin) {
      say(
        due.length === 0
          ? "No case is due for removal."
          : `${due.length} case${due.length === 1 ? " is" : "s are"} due for removal:\n${table(
              ["case", "closed", "due since", "why"],
              due.map((d) => [d.row.id, fmt(d.row.closedOn!), fmt(d.since), d.why]),
            )}`,
      );
      if (kept.length > 0)
        say(
          `${kept.length} other closed case${kept.length === 1 ? " is" : "s are"} kept for now; the next is due on ${fmt(kept[0]!)}.`,
        );
      for (const u of unknown) say(`Case ${u.id} is kept: ${u.why}.`);
      if (due.length > 0)
        say("Nothing was removed (a dry run). `sos retention --apply --as ADMIN-EMAIL` removes them.");
      return 0;
    }
    const lifetime = await lifetimeOf(opened);
    let failed = 0;
    for (const d of due) {
      try {
        const erased = await lifetime.erase({
          caseId: d.row.id,
          under: "retention",
          reason: `retention: closed ${d.row.closedOn}; ${d.why} passed`,
          by: admin.staffId,
          at: ctx.clock.now().toISOString(),
          stillDue: (row) => stillDue(row, policy, today),
        });
        say(
          `case ${d.row.id}: removed under retention on ${fmt(today)}, by ${admin.name} (${d.why}): ${removedText(erased.removed)}.`,
        );
      } catch (e) {
        if (!(e instanceof NotErased)) throw e;
        failed++;
        say(`case ${d.row.id}: kept: ${e.message}.`);
      }
    }
    if (due.length === 0) say("No case is due for removal; nothing was removed.");
    for (const u of unknown) say(`case ${u.id}: kept: ${u.why}.`);
    if (due.length > 0)
      say(
        "Backups made before today still hold these cases until they are pruned (backup.keep); the removals are in `sos audit`.",
      );
    return failed > 0 ? 1 : 0;
  } finally {
    await opened.close();
  }
}

function facts(row: CaseRow): RetentionFacts {
  return {
    id: row.id,
    status: row.status,
    closedOn: row.closedOn,
    openedOn: row.openedOn,
    dob: row.dob,
    ageAtOpening: row.ageAtOpening,
  };
}

async function plan(ctx: Ctx, policy: RetentionPolicy, today: string) {
  const due: DueCase[] = [];
  const kept: string[] = [];
  const unknown: { id: string; why: string }[] = [];
  await ctx.records.reads.eachClosedCase((row) => {
    const r = retentionOf(policy, facts(row), today);
    if (r.kind === "due") due.push({ row, since: r.since, why: r.rules.map(ruleWords).join(" and ") });
    else if (r.kind === "kept") kept.push(r.until);
    else if (r.kind === "unknown") unknown.push({ id: row.id, why: r.why });
  });
  due.sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.row.id < b.row.id ? -1 : 1));
  kept.sort();
  // The closed cases come in no promised order: by id, so both stores list them alike.
  unknown.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { due, kept, unknown };
}

/** Decided again inside the erasure's transaction: the case may have been reopened since the list. */
function stillDue(row: CaseRow, policy: RetentionPolicy, today: string): string | null {
  const r = retentionOf(policy, facts(row), today);
  if (r.kind === "due") return null;
  if (r.kind === "open") return `case ${row.id} is open again`;
  return `case ${row.id} is no longer due`;
}

function policyWords(p: RetentionPolicy): string {
  const parts: string[] = [];
  if (p.afterClosing) parts.push(ruleWords({ rule: "afterClosing", ...p.afterClosing, on: "" }));
  if (p.afterBirthday !== undefined)
    parts.push(ruleWords({ rule: "afterBirthday", age: p.afterBirthday, on: "", estimated: false }));
  return `${parts.join(" and ")}${parts.length > 1 ? ", whichever is later" : ""}`;
}
