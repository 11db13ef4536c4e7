import { boot, inspectDatabase, UsageError } from "../app/boot.ts";
import type { Ctx } from "../app/context.ts";
import { DEMO_CONFIG, resolveDbPath } from "../app/paths.ts";
import { chosenStore } from "../app/store-choice.ts";
import { loadDemoData } from "../demo/load.ts";
import { readArgs } from "./args.ts";
import { shown } from "./setup.ts";

/**
 * `sos demo [--db PATH]`: the demo agency and the seed's sample cases, in a new database; with
 * DATABASE_URL, in an empty PostgreSQL database (`demo-pg.ts`).
 */
export async function demo(argv: string[]): Promise<number> {
  const { values } = readArgs("demo", argv, { db: { type: "string" }, today: { type: "string" } });
  const chosen = chosenStore(process.env);
  if (chosen.kind === "postgres") {
    if (values.db !== undefined)
      throw new UsageError(
        "--db names a SQLite file, but DATABASE_URL is set, so the demo would go into PostgreSQL; nothing was opened: unset DATABASE_URL to use --db, or leave --db out.",
      );
    // Loaded only here: the demo on a SQLite file never pays for the pg driver.
    const { demoOnPg } = await import("./demo-pg.ts");
    return demoOnPg(chosen.url, values.today);
  }
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
    const loaded = loadDemoData(ctx);
    process.stdout.write(
      demoLoadedLines(
        `${before ? "Filled" : "Created"} ${shown(dbPath)}`,
        ctx,
        loaded,
        `SOS_DB=${shown(dbPath)} SOS_CONFIG=${shown(DEMO_CONFIG)} npx sos`,
      ),
    );
    return 0;
  } finally {
    ctx.store.close();
  }
}

/** What the demo says it loaded, and a first thing to try (`run`: the command with its settings). */
export function demoLoadedLines(
  done: string,
  ctx: Ctx,
  loaded: { cases: number; events: number },
  run: string,
): string {
  return (
    `${done}: ${ctx.org.agency.name}, ${ctx.org.staff.length} staff, ${loaded.cases} cases of Jane Smith with ${loaded.events} recorded elements.\n` +
    `Try: ${run} dashboard --worker jane.smith@demo-agency.example --dashboard statutory-cp --today 2016-03-01\n`
  );
}
