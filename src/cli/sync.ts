import { staffRefusal } from "../app/refusals.ts";
import { setUpLines, syncSummary } from "../app/set-up-report.ts";
import { type Leaver, leaversLines } from "../domain/leavers.ts";
import { leaversWithOpenCases } from "../store/leavers.ts";
import { changesNothing, needsAcceptance, type OrgRows, planSync, readOrgRows } from "../store/org-sync.ts";
import { readArgs } from "./args.ts";
import { type OpenedRecords, openFromEnv, shown } from "./setup.ts";

/**
 * `sos sync`: write the config's teams and staff into the database (start and migrate do the same),
 * and say what changed. `--dry-run` says what would change and writes nothing. The same checks and
 * words on the SQLite file and on PostgreSQL, where the sync is `setUpPg`'s, under the set-up lock.
 */
export async function sync(argv: string[]): Promise<number> {
  const { values } = readArgs("sync", argv, {
    "accept-staff-changes": { type: "boolean" },
    "dry-run": { type: "boolean" },
  });
  if (values["dry-run"]) return dryRun();
  const opened = await openFromEnv({
    open: { mode: "setup", command: "sync", acceptStaffChanges: values["accept-staff-changes"] === true },
  });
  try {
    const { setUp, where, ctx } = opened;
    if (setUp) for (const l of setUpLines(setUp, where, ctx.org)) process.stdout.write(`${l}\n`);
    return 0;
  } finally {
    await opened.close();
  }
}

async function dryRun(): Promise<number> {
  const opened = await openFromEnv({ open: { mode: "read" } });
  const { ctx } = opened;
  try {
    const { rows, leavers } = await syncReads(opened);
    const plan = planSync(rows, ctx.org);
    const what = `${changesNothing(plan) ? " nothing" : ""}: ${syncSummary(plan)}`;
    const out = [
      `Dry run, nothing written: a sync of ${shown(ctx.org.source)} into ${opened.where} would change${what}.`,
    ];
    if (needsAcceptance(plan))
      out.push(`It would be refused: ${staffRefusal(ctx.org, plan, "sync").message}`);
    out.push(...leaversLines(leavers));
    process.stdout.write(`${out.join("\n")}\n`);
    return 0;
  } finally {
    await opened.close();
  }
}

/** What a dry run plans on, from whichever store was opened: the teams and staff rows, and who holds open cases. */
async function syncReads(opened: OpenedRecords): Promise<{ rows: OrgRows; leavers: Leaver[] }> {
  const { ctx, pg } = opened;
  if (!pg) return { rows: readOrgRows(ctx.store), leavers: leaversWithOpenCases(ctx.store, ctx.org) };
  // Loaded only here: a SQLite command never pays for the pg driver.
  const { pgLeavers, pgOrgRows } = await import("../store/pg/setup.ts");
  return { rows: await pgOrgRows(pg), leavers: await pgLeavers(pg, ctx.org) };
}
