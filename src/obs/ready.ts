import type Database from "better-sqlite3";
import type { RequestHandler } from "express";

/** Something `/readyz` asks: `null` when ready, else one plain sentence saying why not. */
export type ReadyCheck = () => string | null;

export interface Readiness {
  readonly ready: boolean;
  /** the names of the checks that are not ready, in order */
  readonly notReady: readonly string[];
  /** each check's answer: "ready", or why not */
  readonly checks: Readonly<Record<string, string>>;
}

/**
 * Whether the database answers a query that reads its file: `SELECT 1` alone never touches the
 * file, so a locked or vanished database would pass it.
 */
export function databaseCheck(sqlite: () => Database.Database): ReadyCheck {
  return () => {
    try {
      sqlite().prepare("SELECT count(*) AS n FROM sqlite_schema").get();
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
    }
  };
}

export function readiness(checks: ReadonlyArray<readonly [string, ReadyCheck]>): Readiness {
  const answers: Record<string, string> = {};
  const notReady: string[] = [];
  for (const [name, check] of checks) {
    const why = check();
    answers[name] = why ?? "ready";
    if (why !== null) notReady.push(name);
  }
  return { ready: notReady.length === 0, notReady, checks: answers };
}

/** `GET /readyz`: 200 with every check ready, else 503 saying which is not and why. */
export function readyRoute(checks: ReadonlyArray<readonly [string, ReadyCheck]>): RequestHandler {
  return (_req, res) => {
    const r = readiness(checks);
    res.status(r.ready ? 200 : 503).json(r);
  };
}
