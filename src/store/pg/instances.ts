import { eq, getTableColumns, sql } from "drizzle-orm";
import pg from "pg";
import type { ReloadRecord, StartRecord } from "../config-reload.ts";
import type { ConfigReloadRow } from "../schema.ts";
import { INSTANCE_SPACE, type PgStore } from "./open.ts";
import { configReload } from "./schema.ts";

/**
 * Each `sos start` on PostgreSQL is one `config_reload` row: several instances serve one database,
 * and each has its own start, config file and last reload. Whether an instance is still running is
 * not guessed from a pid (the instances may be on other hosts) or a heartbeat (clocks, pauses): it
 * holds the session advisory lock (INSTANCE_SPACE, its id) on a connection of its own, and the
 * server lets that lock go the moment the process or its connection is gone.
 */

/** What an instance began serving, and where it runs. */
export interface InstanceStart extends StartRecord {
  readonly host: string;
}

/** An instance's row as `sos config check` reads it: `live` while its lock is held. */
export interface InstanceRecord extends ConfigReloadRow {
  readonly host: string;
  readonly live: boolean;
}

export interface PgInstance {
  /** the row's id: which row this instance's reloads are recorded on */
  readonly id: number;
  /** Ends the lock's session: the row stays, read as a stopped instance's until the next start prunes it. */
  stop(): Promise<void>;
}

/**
 * The lock of instance `id` is held by some session: a condition on `pg_locks`, readable by any role.
 * Advisory locks belong to a database, and `pg_locks` lists the whole server's: without the database
 * condition another agency's database on the same server, whose instance row has the same id, made
 * a stopped instance here look running (seen as a test failing with two workers, each database a
 * test's own).
 */
const THIS_DATABASE = "l.database = (SELECT oid FROM pg_database WHERE datname = current_database())";

const held = (id: unknown) =>
  sql`EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.classid = ${INSTANCE_SPACE}::oid
        AND l.objid::bigint = ${id} AND l.objsubid = 2 AND l.granted AND ${sql.raw(THIS_DATABASE)})`;

const HELD_BY_ROW = `EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.classid = $1::oid
  AND l.objid::bigint = r.id AND l.objsubid = 2 AND l.granted AND ${THIS_DATABASE})`;

/** How long a dropped lock connection waits before connecting again. */
const RECONNECT_MS = 5_000;

/**
 * This instance began serving: the rows of instances that have stopped are pruned, its own row is
 * written and its lock taken, in one transaction on the lock's own connection (so another
 * instance's pruning never sees the row without the lock). If that connection drops while the
 * process runs, the lock is gone with it: it connects again, takes the same lock and puts its row
 * back if a start pruned it meanwhile.
 */
export async function pgServeAsInstance(
  store: PgStore,
  start: InstanceStart,
  opts: {
    log?: (line: string) => void;
    /** runs `retry` a while later (default: after RECONNECT_MS); tests run it when they choose */
    later?: (retry: () => void) => void;
  } = {},
): Promise<PgInstance> {
  const log = opts.log ?? (() => {});
  const connect = async () => {
    const c = new pg.Client(store.pool.options);
    await c.connect();
    return c;
  };
  const first = await connect();
  let id: number;
  try {
    await first.query("BEGIN");
    await first.query(`DELETE FROM config_reload r WHERE NOT ${HELD_BY_ROW}`, [INSTANCE_SPACE]);
    const row = await first.query<{ id: number }>(
      `INSERT INTO config_reload (host, pid, started_at, config_path, time_zone)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [start.host, start.pid, start.at, start.configPath, start.timeZone],
    );
    id = row.rows[0]!.id;
    // A session lock taken inside a transaction outlives its commit.
    await first.query("SELECT pg_advisory_lock($1, $2)", [INSTANCE_SPACE, id]);
    await first.query("COMMIT");
  } catch (e) {
    await first.end().catch(() => {});
    throw e;
  }

  let client: pg.Client | null = first;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const watch = (c: pg.Client) => {
    const lost = () => {
      if (client !== c || stopped) return;
      client = null;
      c.end().catch(() => {});
      log("config: this instance's connection for sos config check dropped; connecting again");
      again();
    };
    c.on("error", lost);
    c.on("end", lost);
  };
  const again = () => {
    if (opts.later) return opts.later(() => void retake());
    timer = setTimeout(() => void retake(), RECONNECT_MS);
    timer.unref();
  };
  const retake = async () => {
    if (stopped) return;
    let c: pg.Client | null = null;
    try {
      c = await connect();
      await c.query("SELECT pg_advisory_lock($1, $2)", [INSTANCE_SPACE, id]);
      await c.query(
        `INSERT INTO config_reload (id, host, pid, started_at, config_path, time_zone)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
        [id, start.host, start.pid, start.at, start.configPath, start.timeZone],
      );
      if (stopped) {
        await c.end();
        return;
      }
      client = c;
      watch(c);
    } catch {
      await c?.end().catch(() => {});
      again();
    }
  };
  watch(first);

  return {
    id,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      if (!c) return;
      // Let go of the lock first, answered by the server: `end()` resolves before the server has
      // ended the session, and a `sos config check` in that moment still saw a stopped instance as
      // running (a test failed so in CI with two workers).
      await c.query("SELECT pg_advisory_unlock($1, $2)", [INSTANCE_SPACE, id]).catch(() => {});
      await c.end().catch(() => {});
    },
  };
}

/** An instance's reload recorded on its own row; inside the reload's transaction when it applied. */
export async function pgRecordReloadOn(
  db: Pick<PgStore["db"], "update">,
  id: number,
  r: ReloadRecord,
): Promise<void> {
  await db
    .update(configReload)
    .set({ at: r.at, trigger: r.trigger, applied: r.applied, summary: r.summary, problems: [...r.problems] })
    .where(eq(configReload.id, id));
}

/** Every instance's row, oldest start first, each said to be running or not by its lock. */
export async function pgInstanceRecords(store: PgStore): Promise<InstanceRecord[]> {
  return store.db
    .select({ ...getTableColumns(configReload), live: sql<boolean>`${held(configReload.id)}` })
    .from(configReload)
    .orderBy(configReload.startedAt, configReload.id);
}
