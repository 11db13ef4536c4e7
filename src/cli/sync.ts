import { staffRefusal } from "../app/refusals.ts";
import { setUpLines, syncSummary } from "../app/set-up-report.ts";
import { leaversLines } from "../domain/leavers.ts";
import { leaversWithOpenCases } from "../store/leavers.ts";
import { changesNothing, needsAcceptance, planSync, readOrgRows } from "../store/org-sync.ts";
import { readArgs } from "./args.ts";
import { bootFromEnv, shown } from "./setup.ts";

/**
 * `sos sync`: write the config's teams and staff into the database (start and migrate do the same),
 * and say what changed. `--dry-run` says what would change and writes nothing.
 */
export function sync(argv: string[]): number {
  const { values } = readArgs("sync", argv, {
    "accept-staff-changes": { type: "boolean" },
    "dry-run": { type: "boolean" },
  });
  if (values["dry-run"]) return dryRun();
  const { ctx, dbPath, setUp } = bootFromEnv({
    open: { mode: "setup", command: "sync", acceptStaffChanges: values["accept-staff-changes"] === true },
  });
  try {
    if (setUp) for (const l of setUpLines(setUp, dbPath, ctx.org)) process.stdout.write(`${l}\n`);
    return 0;
  } finally {
    ctx.store.close();
  }
}

function dryRun(): number {
  const { ctx, dbPath } = bootFromEnv({ open: { mode: "read" } });
  try {
    const plan = planSync(readOrgRows(ctx.store), ctx.org);
    const what = `${changesNothing(plan) ? " nothing" : ""}: ${syncSummary(plan)}`;
    const out = [
      `Dry run, nothing written: a sync of ${shown(ctx.org.source)} into ${shown(dbPath)} would change${what}.`,
    ];
    if (needsAcceptance(plan))
      out.push(`It would be refused: ${staffRefusal(ctx.org, plan, "sync").message}`);
    out.push(...leaversLines(leaversWithOpenCases(ctx.store, ctx.org)));
    process.stdout.write(`${out.join("\n")}\n`);
    return 0;
  } finally {
    ctx.store.close();
  }
}
