import { UsageError } from "../app/boot.ts";
import { auditLines, auditText } from "../commands/audit-view.ts";
import { OPERATOR, viewEnv } from "../commands/views.ts";
import { isIsoDate, zonedInstant } from "../domain/dates.ts";
import { csvDocument } from "../render/csv.ts";
import { oneOf, readArgs } from "./args.ts";
import { openFromEnv } from "./setup.ts";

/**
 * `sos audit`: who did what, when and from where, narrowed by case, person and date. Read-only, and
 * through `Records` only, so it says the same on the SQLite file and on PostgreSQL.
 */
export async function audit(argv: string[]): Promise<number> {
  const { values } = readArgs("audit", argv, {
    case: { type: "string" },
    staff: { type: "string" },
    since: { type: "string" },
    format: { type: "string" },
  });
  const format = oneOf("--format", values.format, ["text", "csv", "json"] as const, "text");
  if (values.since !== undefined && !isIsoDate(values.since))
    throw new UsageError(
      `--since must be a real date written YYYY-MM-DD, like 2016-03-01 (got "${values.since}")`,
    );
  const opened = await openFromEnv({ open: { mode: "read" } });
  const { ctx } = opened;
  try {
    const env = viewEnv(ctx, OPERATOR, "cli", "private");
    let actorId: number | undefined;
    if (values.staff !== undefined) {
      const email = values.staff.trim().toLowerCase();
      // Former staff too: the trail still names people who have left.
      const row = (await ctx.records.reads.staff()).find((s) => s.email === email);
      if (!row)
        throw new UsageError(
          `--staff ${values.staff}: no one with that email has ever been on the staff list`,
        );
      actorId = row.id;
    }
    const since =
      values.since === undefined
        ? undefined
        : zonedInstant(values.since, 0, 0, ctx.org.agency.timeZone).toISOString();
    const rows = await ctx.records.reads.audit({
      ...(values.case !== undefined ? { caseId: values.case } : {}),
      ...(actorId !== undefined ? { actorId } : {}),
      ...(since !== undefined ? { since } : {}),
    });
    const lines = auditLines(env, rows);
    if (format === "json") process.stdout.write(`${JSON.stringify({ lines }, null, 2)}\n`);
    else if (format === "csv") {
      const out = [["When", "Who", "Surface", "Case", "Action", "What"]];
      for (const l of lines) out.push([l.when, l.who, l.surface, l.caseId ?? "", l.action, l.what]);
      process.stdout.write(csvDocument(out));
    } else {
      const scope = [
        values.case ? `case ${values.case}` : null,
        values.staff ? values.staff : null,
        values.since ? `since ${env.fmt(values.since)}` : null,
      ].filter(Boolean);
      process.stdout.write(
        `${auditText(`Audit trail${scope.length ? ` (${scope.join(", ")})` : ""}`, lines)}\n`,
      );
    }
    return 0;
  } finally {
    await opened.close();
  }
}
