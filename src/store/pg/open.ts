import { join } from "node:path";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { PACKAGE_ROOT } from "../../util/package-root.ts";
import * as schema from "./schema.ts";

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
const MIGRATION_LOCK = 1;

/** A `postgres://` URL as it may be shown: user, host, port and database, the password left out. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = "";
    return u.toString();
  } catch {
    return "the DATABASE_URL given";
  }
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url.trim());
}

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

/** Connects to the database at `url` and brings its schema up to date. */
export async function openPgStore(url: string, opts: { max?: number } = {}): Promise<PgStore> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  // An idle connection the server drops (a restart, a failover) is an error on the pool: logged by
  // the next query's failure, not a crash of the whole app.
  pool.on("error", () => {});
  try {
    await migratePg(pool);
  } catch (e) {
    await pool.end();
    throw e;
  }
  return { db: drizzle(pool, { schema }), pool, shown: shownUrl(url), close: () => pool.end() };
}
