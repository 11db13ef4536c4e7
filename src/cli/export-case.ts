import { resolve } from "node:path";
import { UsageError } from "../app/boot.ts";
import { viewEnv } from "../commands/views.ts";
import { formatDate, localDate } from "../domain/dates.ts";
import { readHoldings } from "../lifetime/case-holdings.ts";
import { writePrivateFile } from "../lifetime/files.ts";
import { subjectAccess } from "../lifetime/subject-access.ts";
import { subjectAccessHtml } from "../lifetime/subject-access-html.ts";
import { requireAdmin } from "./admin.ts";
import { oneOf } from "./args.ts";
import { lifetimeOf } from "./open-lifetime.ts";
import { openFromEnv, shown } from "./setup.ts";

/**
 * `sos export --case ID --format json|html --out FILE --as ADMIN`: a subject-access export, from
 * the SQLite file or PostgreSQL alike. The file (mode 0600) appears only once the audit line saying
 * who exported it is committed.
 */
export async function exportCase(values: {
  case?: string;
  format?: string;
  out?: string;
  team?: string;
  as?: string;
  today?: string;
}): Promise<number> {
  const caseId = values.case?.trim() ?? "";
  if (caseId === "")
    throw new UsageError("--case needs the case id: `sos export --case 12345 --format html …`");
  if (values.team !== undefined)
    throw new UsageError("--case and --team do not go together: a case's export is the one case");
  const format = oneOf("--format", values.format, ["json", "html"] as const, "json");
  if (!values.out) throw new UsageError("sos export needs --out FILE: where to write it");
  const out = resolve(process.cwd(), values.out);
  // Writes one audit line (the export is itself recorded), so it opens for writing; no migration.
  const opened = await openFromEnv({ open: { mode: "records" }, today: values.today });
  const { ctx } = opened;
  try {
    const admin = requireAdmin(ctx, "export --case", values.as, opened.where);
    const lifetime = await lifetimeOf(opened);
    const row = await ctx.records.reads.case(caseId);
    if (!row) {
      const past = (await lifetime.erasuresOf(caseId))[0];
      const on = past
        ? formatDate(localDate(new Date(past.startedAt), ctx.org.agency.timeZone), ctx.org.dates.format)
        : "";
      throw new UsageError(
        past
          ? `case ${caseId} was removed under ${past.under} on ${on}: nothing about the child is held any more, so there is nothing to export.`
          : `there is no case ${caseId}, so nothing was exported.`,
      );
    }
    const env = viewEnv(ctx, admin, "cli", "private");
    const held = await readHoldings(ctx, lifetime, row);
    const model = subjectAccess(env, held, { name: admin.name, email: admin.email });
    const content =
      format === "json"
        ? `${JSON.stringify(model, null, 2)}\n`
        : subjectAccessHtml(model, { day: env.fmt, instant: env.fmtInstant });
    await writePrivateFile(out, content, async () => {
      await ctx.records.apply({
        writes: [
          {
            kind: "audit",
            entry: {
              at: ctx.clock.now().toISOString(),
              actorId: admin.staffId,
              surface: "cli",
              action: "export-case",
              caseId,
              detail: { format },
            },
          },
        ],
        expect: [],
        reply: () => undefined,
      });
    });
    const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
    process.stdout.write(
      `Wrote ${shown(out)} (mode 0600): everything held about case ${caseId}, ${n(model.entries.length, "entry", "entries")}, ${n(model.history.length, "correction, move, close or reopen", "corrections, moves, closes and reopens")}, ${n(model.audit.length, "audit line", "audit lines")}, ${n(model.digests.team.length, "team digest", "team digests")}. It names the child: hand it over as the request allows. The export is in the audit trail.\n`,
    );
    return 0;
  } finally {
    await opened.close();
  }
}
