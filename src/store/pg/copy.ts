import type pg from "pg";
import type { Store } from "../open.ts";
import { EMPTY_STATES_TEXT, SLOTS } from "../states-format.ts";
import { type CopyTable, copyPlan } from "./copy-plan.ts";
import type { PgStore } from "./open.ts";

/** A copy that was not made (a non-empty target, a check that failed): one sentence, nothing written. */
export class CopyRefused extends Error {}

export interface CopyReport {
  readonly tables: readonly { readonly name: string; readonly rows: number }[];
  readonly rows: number;
}

// Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table (20 columns).
const BATCH = 1000;

/**
 * The per-row upkeep triggers switched off while copying, and why.
 *
 * The kept coverage counts (`team_coverage`) and `derived.latest_on` are copied as they stand and then
 * checked against a count made afresh on the target, rather than built again row by row as the cases
 * and entries arrive: with the triggers on, each of 20,000 cases would upsert the same few hot coverage
 * rows, and the copied `team_coverage` rows would then collide with what the triggers had written. A
 * copy that is checked against a fresh count catches a source whose counts had drifted, instead of
 * quietly papering over it. `erasures_open_only` refuses an erasure that starts finished, and every
 * erasure in the source is finished (its case is gone): they are history being carried across, not
 * erasures being started. `ALTER TABLE … DISABLE TRIGGER` is transactional: a copy rolled back leaves
 * them on, and the copy turns them back on before it commits.
 */
const PAUSED_TRIGGERS: readonly [table: string, trigger: string][] = [
  ["cases", "cases_coverage"],
  // The same upkeep on an update (split from it in migrations-pg/0007 to carry a WHEN clause): the
  // copy only inserts, but a paused upkeep is paused whole.
  ["cases", "cases_coverage_update"],
  ["practice_events", "practice_events_latest_on"],
  ["erasures", "erasures_open_only"],
];

/** The rows the PostgreSQL migrations themselves write, which an otherwise empty target holds. */
const SEEDED: Readonly<Record<string, string>> = {
  derived: "NOT (id = 1 AND stuck_generation = 0 AND stuck_fingerprint IS NULL AND latest_on IS NULL)",
};

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Copies every table of the SQLite store into the PostgreSQL one, in one PostgreSQL transaction:
 * refused (nothing written) when the target holds any record; rows read from one SQLite snapshot,
 * streamed a batch at a time in dependency and id order; sequences set past the copied ids; and
 * before commit the row counts, the projection, the coverage counts and `latest_on` checked on the
 * target. Any difference rolls the whole copy back.
 */
export async function copyToPostgres(source: Store, target: PgStore): Promise<CopyReport> {
  const plan = copyPlan();
  const client = await target.pool.connect();
  const { sqlite } = source;
  sqlite.exec("BEGIN");
  try {
    await client.query("BEGIN");
    try {
      // Locked before checking, so nothing can write into the target between the check and the copy.
      await client.query(`LOCK TABLE ${plan.map((t) => q(t.name)).join(", ")} IN EXCLUSIVE MODE`);
      await refuseNonEmpty(client, plan, target.shown);
      for (const [table, trigger] of PAUSED_TRIGGERS)
        await client.query(`ALTER TABLE ${q(table)} DISABLE TRIGGER ${q(trigger)}`);
      await client.query(`DELETE FROM derived`);
      const tables: { name: string; rows: number }[] = [];
      for (const table of plan)
        tables.push({ name: table.name, rows: await copyTable(sqlite, client, table) });
      for (const [table, trigger] of PAUSED_TRIGGERS)
        await client.query(`ALTER TABLE ${q(table)} ENABLE TRIGGER ${q(trigger)}`);
      for (const table of plan)
        if (table.serial)
          await client.query(
            `SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${q(table.serial)}), 0) + 1, false) FROM ${q(table.name)}`,
            [table.name, table.serial],
          );
      await checkCopy(client, sqlite, tables);
      await client.query("COMMIT");
      return { tables, rows: tables.reduce((n, t) => n + t.rows, 0) };
    } catch (e) {
      await client.query("ROLLBACK");
      throw refusedByIndex(e) ?? e;
    }
  } finally {
    sqlite.exec("COMMIT");
    client.release();
  }
}

/**
 * A unique index of the target refusing copied rows: the file holds two rows where PostgreSQL allows
 * one. A file at the current schema has SQLite's twin of every such index (two claims of one digest
 * were set aside by `migrations/0017` before its index was made), so this means the file's indexes
 * were changed by hand: said plainly rather than as a driver error.
 */
function refusedByIndex(e: unknown): CopyRefused | null {
  const err = e as { code?: unknown; table?: unknown; constraint?: unknown };
  if (err.code !== "23505" || typeof err.table !== "string" || typeof err.constraint !== "string")
    return null;
  return new CopyRefused(
    `the SQLite file's ${err.table} holds two rows where PostgreSQL's unique index ${err.constraint} allows one (the file's own index is missing), so nothing was copied.`,
  );
}

async function refuseNonEmpty(client: pg.PoolClient, plan: readonly CopyTable[], shown: string) {
  const counts = await client.query<{ name: string; n: number }>(
    plan
      .map(
        (t) =>
          `SELECT '${t.name}' AS name, count(*)::integer AS n FROM ${q(t.name)}${SEEDED[t.name] ? ` WHERE ${SEEDED[t.name]}` : ""}`,
      )
      .join(" UNION ALL "),
  );
  const held = counts.rows.find((r) => r.n > 0);
  if (held)
    throw new CopyRefused(
      `${shown} already holds records (${held.name}: ${held.n} ${held.n === 1 ? "row" : "rows"}), so nothing was copied: migrate-store writes only into an empty database.`,
    );
}

/** One table, streamed from SQLite in key order and written a batch at a time. Returns its rows. */
async function copyTable(sqlite: Store["sqlite"], client: pg.PoolClient, table: CopyTable): Promise<number> {
  const names = table.columns.map((c) => q(c.name)).join(", ");
  const read = sqlite
    .prepare(`SELECT ${names} FROM ${q(table.name)} ORDER BY ${table.key.map(q).join(", ")}`)
    .raw(true);
  const width = table.columns.length;
  const placeholders = (rows: number) =>
    Array.from(
      { length: rows },
      (_, r) => `(${table.columns.map((_, c) => `$${r * width + c + 1}`).join(", ")})`,
    ).join(", ");
  let batch: unknown[] = [];
  let rows = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const n = batch.length / width;
    await client.query(`INSERT INTO ${q(table.name)} (${names}) VALUES ${placeholders(n)}`, batch);
    rows += n;
    batch = [];
  };
  for (const row of read.iterate() as IterableIterator<unknown[]>) {
    table.columns.forEach((c, i) => {
      const v = row[i];
      batch.push(c.boolean && v !== null ? v !== 0 : v);
    });
    if (batch.length >= BATCH * width) await flush();
  }
  await flush();
  return rows;
}

// The projection folded afresh from the entries on the target: the rules of `rebuildProjection`
// (src/store/rebuild.ts) in PostgreSQL, compared as jsonb so spacing does not matter.
const SLOT_VALUES = SLOTS.map(
  (el) =>
    `coalesce((array_agg(jsonb_build_array(n, first_on, last_on, value)) FILTER (WHERE element = '${el}'))[1], '0'::jsonb)`,
).join(", ");
const PROJECTION_DIFFERENCES = `WITH live AS (
    SELECT e.* FROM practice_events e
    WHERE e.retracts_id IS NULL AND NOT EXISTS (SELECT 1 FROM practice_events r WHERE r.retracts_id = e.id)
  ), ranked AS (
    SELECT case_id, element, value,
           count(*) OVER w AS n, min(occurred_on) OVER w AS first_on, max(occurred_on) OVER w AS last_on,
           row_number() OVER (PARTITION BY case_id, element ORDER BY coalesce(occurred_on, '') DESC, id DESC) AS rn
    FROM live WINDOW w AS (PARTITION BY case_id, element)
  ), folded AS (
    SELECT case_id, jsonb_build_array(${SLOT_VALUES}) AS states FROM ranked WHERE rn = 1 GROUP BY case_id
  )
  SELECT count(*)::integer AS n FROM cases c LEFT JOIN folded f ON f.case_id = c.id
  WHERE (CASE WHEN c.states = '{}' THEN '${EMPTY_STATES_TEXT}' ELSE c.states END)::jsonb
        IS DISTINCT FROM coalesce(f.states, '${EMPTY_STATES_TEXT}'::jsonb)`;

// The coverage counts made afresh from the cases (as `rebuildCoverage`), against those copied.
const COVERAGE_DIFFERENCES = `WITH recount AS (
    SELECT team_id, service, -1 AS element, count(*)::integer AS cases FROM cases WHERE status = 'open'
    GROUP BY team_id, service
    UNION ALL
    SELECT c.team_id, c.service, s, count(*)::integer FROM cases c, unnest(sos_done_slots(c.states)) AS s
    WHERE c.status = 'open' GROUP BY c.team_id, c.service, s
  ), kept AS (SELECT team_id, service, element, cases FROM team_coverage WHERE cases <> 0)
  SELECT count(*)::integer AS n FROM (
    (SELECT * FROM recount EXCEPT SELECT * FROM kept) UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM recount)
  ) d`;

// The latest day ever recorded is at least the latest day still held (an erased case's entries may
// have been later).
const LATEST_ON_WRONG = `SELECT count(*)::integer AS n FROM derived d
  WHERE d.id = 1 AND (SELECT max(occurred_on) FROM practice_events) > coalesce(d.latest_on, '')`;

async function checkCopy(
  client: pg.PoolClient,
  sqlite: Store["sqlite"],
  copied: readonly { name: string; rows: number }[],
) {
  const counts = await client.query<{ name: string; n: number }>(
    copied
      .map((t) => `SELECT '${t.name}' AS name, count(*)::integer AS n FROM ${q(t.name)}`)
      .join(" UNION ALL "),
  );
  for (const t of copied) {
    const held = counts.rows.find((r) => r.name === t.name)?.n;
    // Counted again in the same SQLite snapshot the rows were read from, not taken from the copy loop.
    const had = sqlite
      .prepare(`SELECT count(*) FROM ${q(t.name)}`)
      .pluck()
      .get();
    if (held !== had || held !== t.rows)
      throw new CopyRefused(
        `the copy of ${t.name} holds ${held} rows where the SQLite file has ${String(had)}, so nothing was copied.`,
      );
  }
  const one = async (sql: string) => (await client.query<{ n: number }>(sql)).rows[0]?.n ?? 0;
  const projection = await one(PROJECTION_DIFFERENCES);
  if (projection > 0)
    throw new CopyRefused(
      `${projection} ${projection === 1 ? "case's" : "cases'"} dashboard state differs from its entries once copied, so nothing was copied.`,
    );
  const coverage = await one(COVERAGE_DIFFERENCES);
  if (coverage > 0)
    throw new CopyRefused(
      `${coverage} coverage ${coverage === 1 ? "count differs" : "counts differ"} from the cases once copied, so nothing was copied.`,
    );
  if ((await one(LATEST_ON_WRONG)) > 0)
    throw new CopyRefused(
      "the latest day recorded (derived.latest_on) is before an entry's day once copied, so nothing was copied.",
    );
}
