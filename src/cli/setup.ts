import { type Booted, boot, type Opening } from "../app/boot.ts";
import type { Ctx, SetUp } from "../app/context.ts";
import { resolveConfigPath, resolveDbPath, shown } from "../app/paths.ts";
import { chosenStore } from "../app/store-choice.ts";
import { UsageError } from "../app/usage-error.ts";
import { findStaffByEmail } from "../config/org.ts";
import type { PgStore } from "../store/pg/open.ts";

export { shown };

/**
 * Config, database and clock, found the same way for every `sos` command; `open` is how the command
 * uses the database (see `Opening`): only start, migrate, sync and demo set it up and sync staff.
 */
export function bootFromEnv(opts: {
  open: Opening;
  today?: string | undefined;
  db?: string;
}): Booted & { configPath: string; dbPath: string } {
  const configPath = resolveConfigPath(process.env, process.cwd());
  const dbPath = resolveDbPath(process.env, process.cwd(), opts.db);
  return {
    ...boot({
      configPath,
      dbPath,
      env: process.env,
      open: opts.open,
      ...(opts.today ? { today: opts.today } : {}),
    }),
    configPath,
    dbPath,
  };
}

/**
 * A `sos` command's records on whichever store the environment chooses (`DATABASE_URL` or the
 * SQLite file), opened as the command says, with the same checks on both. The command itself only
 * sees the `Ctx`: what it reads goes through `ctx.records` and `ctx.ledger`.
 */
export interface OpenedRecords {
  readonly ctx: Ctx;
  /** where the records are, as shown to a person (the file, or the URL without its password) */
  readonly where: string;
  /** the PostgreSQL store, when that is where they are */
  readonly pg?: PgStore;
  /** what setting up did (`setup` only): the agency recorded or checked, the staff synced */
  readonly setUp?: SetUp;
  close(): Promise<void>;
}

export async function openFromEnv(opts: {
  open: Opening;
  today?: string | undefined;
}): Promise<OpenedRecords> {
  const chosen = chosenStore(process.env);
  if (chosen.kind === "sqlite") {
    const { ctx, dbPath, setUp } = bootFromEnv(opts);
    return {
      ctx,
      where: shown(dbPath),
      ...(setUp ? { setUp } : {}),
      close: async () => ctx.store.close(),
    };
  }
  // Loaded only here: a SQLite command never pays for the pg driver.
  const { bootPg } = await import("../app/pg-context.ts");
  const { ctx, store, setUp } = await bootPg({
    url: chosen.url,
    configPath: resolveConfigPath(process.env, process.cwd()),
    env: process.env,
    open: opts.open,
    ...(opts.today ? { today: opts.today } : {}),
  });
  return { ctx, where: store.shown, pg: store, ...(setUp ? { setUp } : {}), close: () => store.close() };
}

/**
 * `--as`/`--worker` naming someone the config lists but the database does not have yet (the config
 * was edited since the last sync): a sentence sending them to `sos sync`; null otherwise. `where`
 * is the database as shown (default: the SQLite file).
 */
export function notYetSynced(ctx: Ctx, flag: string, email: string, where?: string): UsageError | null {
  if (ctx.people.byEmail(email) || !findStaffByEmail(ctx.org, email)) return null;
  return new UsageError(
    `${flag} ${email}: in ${shown(ctx.org.source)} but not yet in ${where ?? shown(ctx.store.path)}: run \`sos sync\` first.`,
  );
}
