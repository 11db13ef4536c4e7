import { boot, inspectDatabase, UsageError } from "../app/boot.ts";
import { DEMO_CONFIG, resolveDbPath } from "../app/paths.ts";
import { loadDemoData } from "../demo/load.ts";
import { readArgs } from "./args.ts";
import { shown } from "./setup.ts";

/** `sos demo [--db PATH]`: the demo agency and the seed's sample cases, in a new database. */
export function demo(argv: string[]): number {
  const { values } = readArgs("demo", argv, { db: { type: "string" }, today: { type: "string" } });
  const dbPath = resolveDbPath(process.env, process.cwd(), values.db);
  const full = () =>
    new UsageError(
      `${shown(dbPath)} already holds cases; sos demo only fills a new database. Use --db with a new path.`,
    );
  // Looked at read-only before anything is written: setting up syncs the demo's staff, which on a
  // real agency's database would mark its own staff as gone (and its agency check refuses it too).
  const before = inspectDatabase(dbPath);
  if (before && before.cases > 0) throw full();
  const { ctx, emptyDb } = boot({
    configPath: DEMO_CONFIG,
    dbPath,
    env: process.env,
    open: { mode: "setup", command: "demo" },
    ...(values.today ? { today: values.today } : {}),
  });
  try {
    if (!emptyDb) throw full();
    const { cases, events } = loadDemoData(ctx);
    process.stdout.write(
      `${before ? "Filled" : "Created"} ${shown(dbPath)}: ${ctx.org.agency.name}, ${ctx.org.staff.length} staff, ${cases} cases of Jane Smith with ${events} recorded elements.\n` +
        `Try: SOS_DB=${shown(dbPath)} SOS_CONFIG=${shown(DEMO_CONFIG)} npx sos dashboard --worker jane.smith@demo-agency.example --dashboard statutory-cp --today 2016-03-01\n`,
    );
    return 0;
  } finally {
    ctx.store.close();
  }
}
