import type Database from "better-sqlite3";
import type { RequestHandler } from "express";

/** Something `/readyz` asks: `null` when ready, else one plain sentence saying why not. */
export type ReadyCheck = () => string | null | Promise<string | null>;

export interface Readiness {
  readonly ready: boolean;
  /** the names of the checks that are not ready, in order */
  readonly notReady: readonly string[];
  /** each check's answer: "ready", or why not */
  readonly checks: Readonly<Record<string, string>>;
}

/**
 * Whether the database answers a query that reads its file (`SELECT 1` alone never touches it) and
 * would take a write now: an entry waits on another process's write transaction (a stuck import, a
 * tool left open on the file), and that is what a person logging one would meet. The write lock is
 * taken and let go at once; nothing is written.
 */
export function databaseCheck(sqlite: () => Database.Database): ReadyCheck {
  return () => {
    let db: Database.Database | undefined;
    let waits: unknown;
    try {
      db = sqlite();
      // A probe gives up after a second or so: a locked database must answer "not ready" before
      // that, not after the server's own busy wait. Set and put back with nothing in between
      // (better-sqlite3 is synchronous), so no command runs under the short wait.
      waits = db.pragma("busy_timeout", { simple: true });
      db.pragma(`busy_timeout = ${READY_BUSY_MS}`);
      db.prepare("SELECT count(*) AS n FROM sqlite_schema").get();
      db.exec("BEGIN IMMEDIATE");
      db.exec("ROLLBACK");
      return null;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      const why =
        typeof code === "string"
          ? code === "SQLITE_BUSY" || code === "SQLITE_LOCKED"
            ? `busy: another process holds it locked (${code})`
            : code
          : e instanceof TypeError
            ? "the connection is closed"
            : e instanceof Error
              ? e.name
              : "error";
      return `the database did not answer a query: ${why}`;
    } finally {
      if (db?.open && typeof waits === "number") db.pragma(`busy_timeout = ${waits}`);
    }
  };
}

/** How long `/readyz` waits for a database another process holds locked. */
const READY_BUSY_MS = 250;

export async function readiness(checks: ReadonlyArray<readonly [string, ReadyCheck]>): Promise<Readiness> {
  const answers: Record<string, string> = {};
  const notReady: string[] = [];
  for (const [name, check] of checks) {
    const why = await check();
    answers[name] = why ?? "ready";
    if (why !== null) notReady.push(name);
  }
  return { ready: notReady.length === 0, notReady, checks: answers };
}

/** `GET /readyz`: 200 with every check ready, else 503 saying which is not and why. */
export function readyRoute(checks: ReadonlyArray<readonly [string, ReadyCheck]>): RequestHandler {
  return (_req, res, next) => {
    readiness(checks).then((r) => res.status(r.ready ? 200 : 503).json(r), next);
  };
}

/**
 * PostgreSQL's answer to the same question: a query on a pooled connection, within a short wait, so
 * a server that is down or out of connections says "not ready" rather than holding the probe.
 */
export function pgDatabaseCheck(ping: () => Promise<void>): ReadyCheck {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`did not answer within ${READY_PG_MS} ms`), READY_PG_MS);
    });
    try {
      const why = await Promise.race([ping().then(() => null), late]);
      return why === null ? null : `the database ${why}`;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      return `the database did not answer a query: ${typeof code === "string" ? code : e instanceof Error ? e.name : "error"}`;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** How long `/readyz` waits for PostgreSQL (a connection from the pool, then `SELECT 1`). */
const READY_PG_MS = 2000;
