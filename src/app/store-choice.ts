import { isPostgresUrl, shownUrl } from "../store/pg/url.ts";
import { UsageError } from "./usage-error.ts";

/** The `sos` commands that run on PostgreSQL: the rest still read the SQLite file synchronously. */
export const PG_COMMANDS: readonly string[] = [
  "migrate",
  "chat",
  "start",
  "dashboard",
  "stuck",
  "digest",
  "export",
  "erase",
  "retention",
  "import",
  "audit",
  "sync",
  "api-client",
  "config",
  "demo",
];

/**
 * The store the environment chooses: `DATABASE_URL=postgres://…` is PostgreSQL, no `DATABASE_URL`
 * the SQLite file (`SOS_DB`) as always. Anything else in `DATABASE_URL` is refused: a typo there must
 * not quietly put an agency's records in a local file.
 */
export function chosenStore(env: NodeJS.ProcessEnv): { kind: "sqlite" } | { kind: "postgres"; url: string } {
  const url = env.DATABASE_URL?.trim();
  if (!url) return { kind: "sqlite" };
  if (!isPostgresUrl(url))
    throw new UsageError(
      "DATABASE_URL must be a PostgreSQL URL (postgres://user@host:5432/database), so nothing was opened: unset it to use the SQLite file (SOS_DB).",
    );
  return { kind: "postgres", url };
}

/** A command that cannot run on PostgreSQL yet, asked to with DATABASE_URL set: refused before anything is opened. */
export function notOnPostgres(command: string, url: string): UsageError {
  return new UsageError(
    `sos ${command} does not run on PostgreSQL yet (DATABASE_URL is ${shownUrl(url)}), so nothing was opened: only ${PG_COMMANDS.map((c) => `\`sos ${c}\``).join(", ")} do; unset DATABASE_URL to use the SQLite file (SOS_DB).`,
  );
}
