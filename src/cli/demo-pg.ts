import { UsageError } from "../app/boot.ts";
import { DEMO_CONFIG, shown } from "../app/paths.ts";
import { bootPg } from "../app/pg-context.ts";
import { wrongAgency } from "../app/refusals.ts";
import { loadOrg } from "../config/load.ts";
import { demoChange } from "../demo/load.ts";
import { openPgStore, pgSchemaState } from "../store/pg/open.ts";
import { pgAgency, pgCaseCount } from "../store/pg/setup.ts";
import { demoLoadedLines } from "./demo.ts";

/**
 * `sos demo` with DATABASE_URL: the demo agency and the seed's cases in an empty PostgreSQL
 * database, as `sos demo` fills a new SQLite file: the same set-up (migrate, claim the agency, sync
 * the demo staff) and the same batch of writes (`demoChange`), applied in one transaction. A
 * database holding cases, or another agency's, is refused before anything is written.
 */
export async function demoOnPg(url: string, today: string | undefined): Promise<number> {
  // Looked at first without migrating or writing: setting up syncs the demo's staff, which on a
  // real agency's database would mark its own staff as gone.
  const look = await openPgStore(url, { readOnly: true, max: 1 });
  try {
    if ((await pgSchemaState(look.pool)) !== "none") {
      const agency = await pgAgency(look);
      const demoOrg = loadOrg(DEMO_CONFIG);
      if (agency && agency.id !== demoOrg.agency.id) throw wrongAgency(look.shown, demoOrg, agency);
      if ((await pgCaseCount(look)) > 0) throw full(look.shown);
    }
  } finally {
    await look.close();
  }
  const { ctx, store } = await bootPg({
    url,
    configPath: DEMO_CONFIG,
    env: process.env,
    open: { mode: "setup", command: "demo" },
    ...(today ? { today } : {}),
  });
  try {
    // Checked again after setting up: another process may have filled it meanwhile (and the batch
    // itself expects none of its cases to be there, so it could not be loaded twice).
    if ((await pgCaseCount(store)) > 0) throw full(store.shown);
    const change = demoChange(ctx);
    await ctx.records.apply(change);
    const loaded = change.reply([]);
    process.stdout.write(
      // The URL is not repeated: the one set has the password, which is never printed.
      demoLoadedLines(`Filled ${store.shown}`, ctx, loaded, `SOS_CONFIG=${shown(DEMO_CONFIG)} npx sos`),
    );
    return 0;
  } finally {
    await store.close();
  }
}

function full(shown: string): UsageError {
  return new UsageError(
    `${shown} already holds cases; sos demo only fills a new database. Set DATABASE_URL to an empty database.`,
  );
}
