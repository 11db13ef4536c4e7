import pg from "pg";
import { LOCK_SPACE, SCHEDULE_LOCK } from "../store/pg/open.ts";
import { type Every, LEADER_RETRY_MS, type Leader, realEvery } from "./leader.ts";

export interface PgLeaderOptions {
  /** a connection of its own, never the pool's: the lock lives and dies with it */
  readonly connect: () => Promise<pg.Client>;
  readonly every?: Every;
  readonly retryMs?: number;
  readonly log?: (line: string) => void;
}

/**
 * PostgreSQL: the leader is the instance holding a session-level advisory lock
 * (`pg_try_advisory_lock(LOCK_SPACE, SCHEDULE_LOCK)`) on a connection of its own. When that
 * instance dies, or its connection does, the server drops the lock with the session; the others
 * try every `retryMs` and one of them takes it. The leader checks on the same beat that its
 * session still holds the lock, so a connection cut without an error event is noticed too.
 * `attempt()` is exported for start-up (lead at once if nobody does) and for tests.
 */
export function pgLeader(opts: PgLeaderOptions): Leader {
  const log = opts.log ?? (() => {});
  const listeners: ((leads: boolean) => void)[] = [];
  let client: pg.Client | null = null;
  let leading = false;
  let stopped = false;
  let trying: Promise<boolean> | null = null;

  const set = (next: boolean) => {
    if (next === leading) return;
    leading = next;
    log(
      next
        ? "digest: this instance now runs the schedules"
        : "digest: this instance no longer runs the schedules",
    );
    for (const l of listeners) l(next);
  };
  const drop = (c: pg.Client) => {
    if (client !== c) return;
    client = null;
    c.end().catch(() => {});
    set(false);
  };

  async function once(): Promise<boolean> {
    if (stopped) return false;
    try {
      if (client === null) {
        const c = await opts.connect();
        // The connection dying is losing the lead: the server has already let the lock go.
        c.on("error", () => drop(c));
        c.on("end", () => drop(c));
        client = c;
      }
      const c = client;
      if (leading) {
        const held = await c.query<{ held: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
             AND classid = $1 AND objid = $2 AND objsubid = 2 AND granted) AS held`,
          [LOCK_SPACE, SCHEDULE_LOCK],
        );
        if (held.rows[0]?.held !== true) drop(c);
        return leading;
      }
      const got = await c.query<{ got: boolean }>("SELECT pg_try_advisory_lock($1, $2) AS got", [
        LOCK_SPACE,
        SCHEDULE_LOCK,
      ]);
      if (stopped) return false;
      set(got.rows[0]?.got === true);
      return leading;
    } catch {
      // The server away or the connection gone: not leading; the next beat connects again.
      if (client) drop(client);
      return false;
    }
  }

  const attempt = (): Promise<boolean> => {
    // One try at a time: a timer's beat during start-up's first try waits for it.
    trying ??= once().finally(() => {
      trying = null;
    });
    return trying;
  };

  const cancel = (opts.every ?? realEvery)(opts.retryMs ?? LEADER_RETRY_MS, () => {
    void attempt();
  });

  return {
    leads: () => leading,
    attempt,
    onChange: (l) => {
      listeners.push(l);
    },
    async stop() {
      stopped = true;
      cancel();
      await trying;
      const c = client;
      client = null;
      set(false);
      // Ending the session lets the lock go at once: another instance takes over on its next beat.
      if (c) await c.end().catch(() => {});
    },
  };
}

/** A leader over a database the pool connects to: its own client, with the pool's settings. */
export function pgLeaderFor(pool: pg.Pool, opts: Omit<PgLeaderOptions, "connect"> = {}): Leader {
  return pgLeader({
    ...opts,
    connect: async () => {
      const c = new pg.Client(pool.options);
      await c.connect();
      return c;
    },
  });
}
