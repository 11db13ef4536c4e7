import { UsageError } from "../app/boot.ts";
import { formatDate, localDate } from "../domain/dates.ts";
import { NotErased } from "../lifetime/erase.ts";
import { removedText, requireAdmin } from "./admin.ts";
import { readArgs } from "./args.ts";
import { lifetimeOf } from "./open-lifetime.ts";
import { openFromEnv } from "./setup.ts";

const MAX_REASON = 500;

/**
 * `sos erase --case ID --as ADMIN --reason "…"`: one case's records removed now (a court order, a
 * case opened in error), through the same audited path as retention, on the SQLite file or PostgreSQL.
 */
export async function erase(argv: string[]): Promise<number> {
  const { values } = readArgs("erase", argv, {
    case: { type: "string" },
    as: { type: "string" },
    reason: { type: "string" },
    today: { type: "string" },
  });
  const caseId = values.case?.trim();
  if (!caseId) throw new UsageError("sos erase needs --case ID: the case whose records are removed");
  const reason = values.reason?.trim() ?? "";
  if (reason === "")
    throw new UsageError(
      'sos erase needs --reason "…": why (a court order\'s reference, "opened in error"), kept with the record of the erasure',
    );
  if (reason.length > MAX_REASON)
    throw new UsageError(
      `--reason is ${reason.length} characters; at most ${MAX_REASON}: a reference is enough`,
    );
  const opened = await openFromEnv({ open: { mode: "records" }, today: values.today });
  const { ctx } = opened;
  try {
    const admin = requireAdmin(ctx, "erase", values.as, opened.where);
    const lifetime = await lifetimeOf(opened);
    const fmt = (d: string) => formatDate(d, ctx.org.dates.format);
    const row = await ctx.records.reads.case(caseId);
    if (!row) {
      const past = (await lifetime.erasuresOf(caseId))[0];
      throw new UsageError(
        past
          ? `case ${caseId} was already removed, under ${past.under}, on ${fmt(localDate(new Date(past.startedAt), ctx.org.agency.timeZone))}: there is nothing left to erase.`
          : `there is no case ${caseId}, so nothing was removed.`,
      );
    }
    // The reason outlives the case: it must not carry the child's name.
    if (namesChild(reason, row.childName))
      throw new UsageError(
        '--reason names the child, and it is kept after the case is gone: give a reference instead (a court order\'s number, "opened in error"). Nothing was removed.',
      );
    try {
      const erased = await lifetime.erase({
        caseId,
        under: "erasure",
        reason,
        by: admin.staffId,
        at: ctx.clock.now().toISOString(),
      });
      process.stdout.write(
        `case ${caseId}: erased on ${fmt(ctx.today())}, by ${admin.name} (the reason is kept with the erasure): ${removedText(erased.removed)}.\n` +
          "Backups made before now still hold this case until they are pruned (backup.keep); the erasure is in `sos audit`.\n",
      );
      return 0;
    } catch (e) {
      if (e instanceof NotErased) throw new UsageError(`${e.message}.`);
      throw e;
    }
  } finally {
    await opened.close();
  }
}

/** Any word of the child's name of three letters or more, as a whole word, in any case. */
export function namesChild(text: string, childName: string): boolean {
  const words = childName
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3);
  const said = new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  return words.some((w) => said.has(w));
}
