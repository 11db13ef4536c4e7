import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type pg from "pg";

const dialect = new PgDialect();

/**
 * The statements of a write, and the digests' raw-SQL reads, sent as named (prepared) statements: a
 * connection parses each once, and PostgreSQL then runs it from its plan cache instead of planning
 * it on every log (measured: about a millisecond a log at p50). A name stands for one text wherever it is used, so no connection can
 * be told two texts under one name; the texts are the few shapes of a batch, and past `MOST` of
 * them a statement is simply sent unnamed, so a connection never holds an unbounded number.
 */
const MOST = 64;
const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MOST) {
    name = `sos_write_${names.size + 1}`;
    names.set(text, name);
  }
  return name;
}

/** Where a statement can be sent: one connection (a write's transaction), or the pool (a read). */
interface Sender {
  query<T extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<T>>;
}

/**
 * Runs one statement on `client`, prepared under its text's name; its rows as the server sent them.
 * On the pool, each connection prepares it the first time it runs it there.
 */
export async function namedRows<T extends pg.QueryResultRow>(client: Sender, query: SQL): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  const name = nameOf(text);
  const config: pg.QueryConfig =
    name === undefined ? { text, values: params } : { name, text, values: params };
  const res = await client.query<T>(config);
  return res.rows;
}
