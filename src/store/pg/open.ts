import { join } from "node:path";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { PACKAGE_ROOT } from "../../util/package-root.ts";
import * as schema from "./schema.ts";
import { shownUrl } from "./url.ts";

export type PgDb = NodePgDatabase<typeof schema>;

/** The PostgreSQL store: a pool of connections and the query builder over it. */
export interface PgStore {
  readonly db: PgDb;
  readonly pool: pg.Pool;
  /** the server and database, for messages: never the password */
  readonly shown: string;
  close(): Promise<void>;
}

// From the package root, so the compiled `dist/src/store/pg/open.js` finds the same folder.
export const PG_MIGRATIONS_DIR = join(PACKAGE_ROOT, "migrations-pg");

/** Any advisory lock key of ours is this pair's first half: "sos!" in ASCII. */
export const LOCK_SPACE = 0x736f7321;
/**
 * The second halves, one per lock, all here so no two can collide (the schedule lock once shared
 * the set-up lock's 2, and a second instance waited for ever on the first's leadership to set up).
 */
const MIGRATION_LOCK = 1;
export const SETUP_LOCK = 2;
export const SCHEDULE_LOCK = 3;
/**
 * The first half of each running instance's own lock, the second half being its `config_reload`
 * row's id: held for the instance's life (`src/store/pg/instances.ts`), so whether an instance is
 * still there is whether its lock is held. Another first half than LOCK_SPACE, so an instance's id
 * can never be one of the numbered locks above.
 */
export const INSTANCE_SPACE = 0x736f7369;

/**
 * Applies the PostgreSQL migrations not yet applied. Under an advisory lock, so two instances
 * starting at once on one database migrate it once, one after the other.
 */
export async function migratePg(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1, $2)", [LOCK_SPACE, MIGRATION_LOCK]);
    try {
      await migrate(drizzle(client, { schema }), { migrationsFolder: PG_MIGRATIONS_DIR });
    } finally {
      await client.query("SELECT pg_advisory_unlock($1, $2)", [LOCK_SPACE, MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

/**
 * How the database's schema stands against this program's PostgreSQL migrations, as `schemaState`
 * says for SQLite: `none`, `behind` (`sos migrate` brings it up), `current` or `ahead`.
 */
export async function pgSchemaState(pool: pg.Pool): Promise<"none" | "behind" | "current" | "ahead"> {
  const table = await pool.query<{ present: boolean }>(
    "SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present",
  );
  if (!table.rows[0]?.present) return "none";
  const row = await pool.query<{ at: string | null }>(
    "SELECT max(created_at)::text AS at FROM drizzle.__drizzle_migrations",
  );
  const at = row.rows[0]?.at;
  if (at === null || at === undefined) return "none";
  const applied = Number(at);
  const latest = readMigrationFiles({ migrationsFolder: PG_MIGRATIONS_DIR }).at(-1)?.folderMillis ?? 0;
  return applied < latest ? "behind" : applied > latest ? "ahead" : "current";
}

/** PostgreSQL's type id for `bigint` (int8). */
const INT8 = 20;

/**
 * Every id is a `bigint` (migrations-pg/0006) and the rows' types say `number`, as on SQLite. Drizzle's
 * `bigint({ mode: "number" })` converts what it reads; statements sent as they are (the prepared
 * writes in `named.ts`, `RETURNING id`) would get node-postgres' default for int8, a string. So the
 * pool reads int8 as a number, and refuses one past 2^53 rather than round it to another id.
 */
function readInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n))
    throw new RangeError(`a bigint of ${text} is past what this app counts exactly (2^53)`);
  return n;
}

function getTypeParser(oid: number, format?: "text" | "binary"): (text: string) => unknown {
  if (oid === INT8 && format !== "binary") return readInt8;
  return format === "binary" ? pg.types.getTypeParser(oid, "binary") : pg.types.getTypeParser(oid, "text");
}

/**
 * Connects to the database at `url` and, unless told not to (the commands that must not reshape
 * the database), brings its schema up to date. `readOnly`: every transaction on these connections is
 * read-only, so the server itself refuses a write from a command that only reads (as SQLite's
 * read-only opening does), and nothing is migrated.
 */
export async function openPgStore(
  url: string,
  opts: { max?: number; migrate?: boolean; readOnly?: boolean } = {},
): Promise<PgStore> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    types: { getTypeParser },
    ...(opts.readOnly ? { options: "-c default_transaction_read_only=on" } : {}),
  });
  // An idle connection the server drops (a restart, a failover) is an error on the pool: logged by
  // the next query's failure, not a crash of the whole app.
  pool.on("error", () => {});
  try {
    if (!opts.readOnly && (opts.migrate ?? true)) await migratePg(pool);
  } catch (e) {
    await pool.end();
    throw e;
  }
  return { db: drizzle(pool, { schema }), pool, shown: shownUrl(url), close: () => pool.end() };
}
