import { setUpLines } from "../app/set-up-report.ts";
import { chosenStore } from "../app/store-choice.ts";
import { preMigrationLine } from "../lifetime/pre-migration.ts";
import { readArgs } from "./args.ts";
import { bootFromEnv, shown } from "./setup.ts";

/**
 * `sos migrate`: bring the database's schema up to date, record or check its agency, and sync the
 * config's staff (start does the same on its own).
 */
export async function migrate(argv: string[]): Promise<number> {
  const { values } = readArgs("migrate", argv, { "accept-staff-changes": { type: "boolean" } });
  const chosen = chosenStore(process.env);
  if (chosen.kind === "postgres")
    return (await import("./pg.ts")).migrateOnPostgres(chosen.url, values["accept-staff-changes"] === true);
  const { ctx, dbPath, setUp, backedUp } = bootFromEnv({
    open: { mode: "setup", command: "migrate", acceptStaffChanges: values["accept-staff-changes"] === true },
  });
  try {
    const row = ctx.store.sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as {
      n: number;
    };
    if (backedUp) process.stdout.write(`${preMigrationLine(backedUp, shown)}\n`);
    process.stdout.write(`${shown(dbPath)} is up to date (${row.n} migrations applied).\n`);
    if (setUp) for (const l of setUpLines(setUp, dbPath, ctx.org)) process.stdout.write(`${l}\n`);
    return 0;
  } finally {
    ctx.store.close();
  }
}
