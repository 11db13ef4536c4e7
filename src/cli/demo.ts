import { existsSync } from "node:fs";
import { boot, UsageError } from "../app/boot.ts";
import { DEMO_CONFIG, resolveDbPath } from "../app/paths.ts";
import { loadDemoData } from "../demo/load.ts";
import { openStore } from "../store/open.ts";
import { readArgs } from "./args.ts";
import { shown } from "./setup.ts";

/** `sos demo [--db PATH]`: the demo agency and the seed's sample cases, in a new database. */
export function demo(argv: string[]): number {
  const { values } = readArgs("demo", argv, { db: { type: "string" }, today: { type: "string" } });
  const dbPath = resolveDbPath(process.env, process.cwd(), values.db);
  const existed = dbPath !== ":memory:" && existsSync(dbPath);
  // Refuse before anything is written: booting syncs the demo's staff into the database, which on a
  // real agency's database would mark its own staff as gone.
  if (existed) {
    const store = openStore(dbPath);
    const n = (store.sqlite.prepare("SELECT count(*) AS n FROM cases").get() as { n: number }).n;
    store.close();
    if (n > 0) {
      throw new UsageError(
        `${shown(dbPath)} already holds cases; sos demo only fills a new database. Use --db with a new path.`,
      );
    }
  }
  const { ctx, emptyDb } = boot({
    configPath: DEMO_CONFIG,
    dbPath,
    env: process.env,
    ...(values.today ? { today: values.today } : {}),
  });
  try {
    if (!emptyDb) {
      throw new UsageError(
        `${shown(dbPath)} already holds cases; sos demo only fills a new database. Use --db with a new path.`,
      );
    }
    const { cases, events } = loadDemoData(ctx);
    process.stdout.write(
      `${existed ? "Filled" : "Created"} ${shown(dbPath)}: ${ctx.org.agency.name}, ${ctx.org.staff.length} staff, ${cases} cases of Jane Smith with ${events} recorded elements.\n` +
        `Try: SOS_DB=${shown(dbPath)} SOS_CONFIG=${shown(DEMO_CONFIG)} npx sos dashboard --worker jane.smith@demo-agency.example --dashboard statutory-cp --today 2016-03-01\n`,
    );
    return 0;
  } finally {
    ctx.store.close();
  }
}
