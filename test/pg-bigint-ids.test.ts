import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migratePg, PG_MIGRATIONS_DIR } from "../src/store/pg/open.ts";
import { JANE } from "./helpers/ctx.ts";
import { emptyPgDatabase, makeStoreCtx, PG_AVAILABLE, type StoreTestCtx } from "./helpers/stores.ts";

// PostgreSQL ids past 2^31 (migrations-pg/0006): an agency's entries, audit lines and case events
// accumulate over children's lifetimes, and an integer id would stop at 2,147,483,647.

const PAST_INT = 2 ** 31 + 5;

describe.skipIf(!PG_AVAILABLE)("ids past 2^31 on PostgreSQL", () => {
  let s: StoreTestCtx;
  beforeAll(async () => {
    s = await makeStoreCtx("postgres");
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  test("every id and every column naming one is bigint, and every id sequence runs to bigint's end", async () => {
    const narrow = await s.rows(
      `SELECT table_name || '.' || column_name AS col FROM information_schema.columns
       WHERE table_schema = 'public' AND data_type = 'integer'
         AND (column_name = 'id' OR column_name IN ('worker_id', 'created_by', 'by', 'assigned_by',
              'recorded_by', 'retracts_id', 'actor_id', 'staff_id', 'run_id'))
       ORDER BY 1`,
    );
    // The one-row tables keep a plain integer key (checked to be 1).
    expect(narrow.map((r) => r.col)).toEqual(["derived.id", "meta.id"]);
    const sequences = await s.rows(
      "SELECT sequencename AS name, data_type::text AS type, max_value::text AS max FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1",
    );
    expect(sequences.length).toBeGreaterThanOrEqual(12);
    for (const q of sequences)
      expect(q).toEqual({ name: q.name, type: "bigint", max: "9223372036854775807" });
  });

  test("an entry logged past 2^31 is numbered so, undo retracts that entry, and both are audited", async () => {
    for (const table of ["practice_events", "audit"])
      await s.rows("SELECT setval(pg_get_serial_sequence($1, 'id'), $2)", [table, PAST_INT]);
    const logged = await s.run(JANE, "three-houses 12345 yesterday");
    expect(logged.ok).toBe(true);
    // Read back as a number, as SQLite's ids are.
    expect(logged.logged?.entryId).toBe(PAST_INT + 1);
    const undone = await s.run(JANE, "undo");
    expect(undone.ok).toBe(true);
    expect(undone.text).toMatch(/three houses/i);
    const entries = await s.rows(
      "SELECT id::text AS id, retracts_id::text AS retracts FROM practice_events WHERE id > 2147483647 ORDER BY id",
    );
    expect(entries).toEqual([
      { id: String(PAST_INT + 1), retracts: null },
      { id: String(PAST_INT + 2), retracts: String(PAST_INT + 1) },
    ]);
    const audited = await s.rows("SELECT count(*)::integer AS n FROM audit WHERE id > 2147483647");
    expect(audited[0]?.n).toBeGreaterThanOrEqual(2);
  });

  test("a database at 0005 holding entries is upgraded in place: rows kept, ids go on, the triggers still refuse", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sos-pg-0005-"));
    const db = await emptyPgDatabase();
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      // The migrations folder as the version before 0006 shipped it.
      const old = join(dir, "migrations-pg");
      mkdirSync(join(old, "meta"), { recursive: true });
      const journal = JSON.parse(readFileSync(join(PG_MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as {
        entries: { idx: number; tag: string }[];
      };
      journal.entries = journal.entries.filter((e) => e.idx <= 5);
      for (const e of journal.entries)
        copyFileSync(join(PG_MIGRATIONS_DIR, `${e.tag}.sql`), join(old, `${e.tag}.sql`));
      writeFileSync(join(old, "meta/_journal.json"), JSON.stringify(journal));
      await migrate(drizzle(pool), { migrationsFolder: old });

      await pool.query("INSERT INTO teams (id, name) VALUES ('north', 'North')");
      await pool.query(
        `INSERT INTO staff (email, name, role, team_ids) VALUES ('w@example.org', 'W', 'worker', '["north"]')`,
      );
      await pool.query(
        `INSERT INTO cases (id, child_name, opened_on, service, abuse_types, worker_id, team_id, created_at)
         VALUES ('c1', 'A', '2016-03-01', 'statutory-cp', '[]', 1, 'north', '2016-03-01T09:00:00Z')`,
      );
      await pool.query(
        `INSERT INTO practice_events (case_id, element, occurred_on, recorded_by, recorded_at, surface)
         VALUES ('c1', 'three-houses', '2016-03-01', 1, '2016-03-01T09:00:00Z', 'cli')`,
      );
      await pool.query(
        `INSERT INTO practice_events (case_id, element, recorded_by, recorded_at, surface, retracts_id)
         VALUES ('c1', 'three-houses', 1, '2016-03-01T09:01:00Z', 'cli', 1)`,
      );

      await migratePg(pool);

      const rows = await pool.query(
        "SELECT id::text, retracts_id::text, recorded_by::text FROM practice_events ORDER BY id",
      );
      expect(rows.rows).toEqual([
        { id: "1", retracts_id: null, recorded_by: "1" },
        { id: "2", retracts_id: "1", recorded_by: "1" },
      ]);
      const next = await pool.query(
        "SELECT nextval(pg_get_serial_sequence('practice_events', 'id'))::text AS n",
      );
      expect(next.rows[0]?.n).toBe("3");
      await expect(pool.query("UPDATE practice_events SET note = 'x' WHERE id = 1")).rejects.toThrow(
        "practice_events is append-only: record a retraction instead",
      );
      // A second retraction of the same entry is still refused by its unique index.
      await expect(
        pool.query(
          `INSERT INTO practice_events (case_id, element, recorded_by, recorded_at, surface, retracts_id)
           VALUES ('c1', 'three-houses', 1, '2016-03-01T09:02:00Z', 'cli', 1)`,
        ),
      ).rejects.toThrow(/events_retracts_once/);
      const coverage = await pool.query(
        "SELECT cases FROM team_coverage WHERE team_id = 'north' AND element = -1",
      );
      expect(coverage.rows).toEqual([{ cases: 1 }]);
    } finally {
      await pool.end();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
